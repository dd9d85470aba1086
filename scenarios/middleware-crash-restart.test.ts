import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import crashRestart from './middleware-crash-restart.ts';

describe('middleware-crash-restart with the resilient middleware', () => {
  it('creates every order once and settles on 100 of 100 seeds', async () => {
    const middleware = await resolveMiddleware('resilient', process.cwd());
    const broken: string[] = [];
    for (let seed = 1; seed <= 100; seed++) {
      const result = await runScenario(crashRestart, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'resilient', seed });
      for (const verdict of result.invariants) if (verdict.verdict !== 'pass') broken.push(`seed ${seed}: ${verdict.name}: ${verdict.summary}`);
    }
    expect(broken).toEqual([]);
  }, 180_000);
});
