import { describe, expect, it } from 'vitest';
import { builtInInvariants, resolveInvariants, shippedInvariantNames } from '../invariants/index.ts';
import { crmInvariants } from '../invariants/crm.ts';
import { UsageError } from '../run/errors.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { scenarioProblems } from '../scenario/validate.ts';
import { scenarioForCase } from './case.ts';
import { parseReplayFile, renderReplayFile, replaySpecForCase } from './replay-file.ts';

describe('replay files', () => {
  const scenario = { name: 'storm', description: 'd', seed: 99, orders: { count: 2 }, faults: [] };

  it('carry a generated scenario whole and read back as written', () => {
    const spec = replaySpecForCase(scenario, 'naive', 'out/replay.json');
    expect(spec.command).toBe('npx faultline replay out/replay.json');
    expect(spec.seed).toBe(99);
    expect(parseReplayFile(renderReplayFile(spec), 'replay.json')).toEqual(spec);
  });

  it('are refused with the reason when they are not replay files or are damaged', () => {
    expect(() => parseReplayFile('{', 'a.json')).toThrow(UsageError);
    expect(() => parseReplayFile('{"name":"x"}', 'a.json')).toThrow(/not a Faultline replay file/);
    expect(() =>
      parseReplayFile('{"format":"faultline-replay/1","scenario":"x","seed":"7","mode":"sim","middleware":"naive","odoo":"emulated"}', 'a.json'),
    ).toThrow(/seed must be an integer/);
  });

  it("carry every invariant the case was judged by, so a replay of a CRM case judges the CRM's too", () => {
    const base: Scenario = { ...scenario, invariants: [...builtInInvariants, ...crmInvariants] };
    const carried = scenarioForCase(base, {
      base: 'storm',
      overrides: { orders: { count: 1, ratePerSecond: 1, arrival: 'fixed', maxLines: 1, skus: ['FL-STOCK-01'] }, faults: [] },
      seed: 5,
    });
    const read = parseReplayFile(renderReplayFile(replaySpecForCase(carried, 'resilient', 'replay.json')), 'replay.json').scenarioValue as Scenario;
    expect(read.invariants).toEqual([...builtInInvariants, ...crmInvariants].map((i) => i.name));
    expect(resolveInvariants(read.invariants)).toEqual([...builtInInvariants, ...crmInvariants]);
    expect(scenarioProblems(read, shippedInvariantNames)).toEqual([]);
  });

  it("name a scenario's own invariant, so its replay stops on it instead of passing without it", () => {
    const own = {
      name: 'my-check',
      description: 'mine',
      check: () => ({ name: 'my-check', verdict: 'pass' as const, violations: 0, summary: '', examples: [] }),
    };
    const carried = scenarioForCase(
      { ...scenario, invariants: ['no-duplicate-orders', own] },
      { base: 'storm', overrides: { orders: { count: 1, ratePerSecond: 1, arrival: 'fixed', maxLines: 1, skus: ['FL-STOCK-01'] }, faults: [] }, seed: 5 },
    );
    expect(carried.invariants).toEqual(['no-duplicate-orders', 'my-check']);
    expect(scenarioProblems(carried, shippedInvariantNames).map((p) => p.message)).toEqual([expect.stringContaining('unknown invariant "my-check"')]);
  });
});
