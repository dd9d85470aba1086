import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import analyticsReplay from './analytics-replays-a-day-after-an-outage.ts';
import crmEditStorm from './crm-edit-storm-during-invoicing.ts';
import customerMerge from './customer-merge-while-orders-in-flight.ts';

const failed = (invariants: readonly { name: string; verdict: string }[]) => invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name);

describe.each([crmEditStorm, customerMerge, analyticsReplay])('$name', (scenario) => {
  it('fails the naive design where its description says', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    const result = await runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'naive' });
    expect(failed(result.invariants)).toEqual(expect.arrayContaining([...scenario.expect!.naive!.fails]));
  }, 120_000);

  it('passes with the resilient design', async () => {
    const middleware = await resolveMiddleware('resilient', process.cwd());
    const result = await runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'resilient' });
    expect(failed(result.invariants)).toEqual([]);
  }, 120_000);
});
