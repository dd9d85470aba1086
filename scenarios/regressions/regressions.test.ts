import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../../harness/engine/resolve-middleware.ts';
import { runScenario } from '../../harness/engine/run-scenario.ts';
import type { RunResult } from '../../harness/run/result.ts';
import type { Scenario } from '../../harness/scenario/scenario.ts';

const here = dirname(fileURLToPath(import.meta.url));
/** Saved cases are named `<scenario>-<8 hex digits>.ts` by `faultline check --save-regression`. */
const saved = readdirSync(here)
  .filter((name) => /-[0-9a-f]{8}\.ts$/.test(name))
  .sort();

async function runResilient(scenario: Scenario): Promise<RunResult> {
  const middleware = await resolveMiddleware('resilient', process.cwd());
  return runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'resilient' });
}

const historyText = (result: RunResult) => [...result.history].map((event) => JSON.stringify(event)).join('\n');

describe('saved regressions, with the resilient middleware', () => {
  it('finds the saved cases', () => {
    expect(saved.length).toBeGreaterThanOrEqual(2);
  });

  for (const file of saved) {
    it(`${file} holds every invariant and replays byte for byte`, async () => {
      const scenario = ((await import(join(here, file))) as { default: Scenario }).default;
      const first = await runResilient(scenario);
      const failed = first.invariants.filter((v) => v.verdict !== 'pass').map((v) => `${v.name}: ${v.summary}`);
      expect(failed).toEqual([]);
      const again = await runResilient(scenario);
      expect(historyText(again)).toBe(historyText(first));
    });
  }
});
