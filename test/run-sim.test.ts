import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import type { RunResult } from '../harness/run/result.ts';
import { defineScenario } from '../harness/scenario/define.ts';
import captureRetryStorm from '../scenarios/capture-retry-storm.ts';
import roundingDrift from '../scenarios/rounding-drift.ts';

async function run(scenario: Parameters<typeof runScenario>[0], middlewareName: string, seed?: number): Promise<RunResult> {
  const middleware = await resolveMiddleware(middlewareName, process.cwd());
  return runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: middlewareName, ...(seed !== undefined && { seed }) });
}

function historyText(result: RunResult): string {
  return [...result.history].map((e) => JSON.stringify(e)).join('\n');
}

const small = defineScenario({
  name: 'small-chaos',
  description: 'A few orders under a mix of faults',
  orders: { count: 8, ratePerSecond: 2 },
  faults: [
    { link: { from: 'capture', to: 'middleware' }, kind: 'response-lost', probability: 0.3 },
    { link: { from: 'payment', to: 'middleware' }, kind: 'duplicate', probability: 0.5 },
    { link: { from: 'logistics', to: 'middleware' }, kind: 'reorder', windowMs: 600_000 },
  ],
});

describe('a simulated run', () => {
  it('gives a byte-identical history for the same seed', async () => {
    const first = await run(small, 'naive', 42);
    const second = await run(small, 'naive', 42);
    expect(first.history.length).toBeGreaterThan(100);
    expect(historyText(second)).toBe(historyText(first));
  });

  it('gives a different history for a different seed', async () => {
    const first = await run(small, 'naive', 42);
    const other = await run(small, 'naive', 43);
    expect(historyText(other)).not.toBe(historyText(first));
  });

  it('catches the naive middleware duplicating orders in a capture retry storm and names them', async () => {
    const result = await run(captureRetryStorm, 'naive', 7);
    const duplicates = result.invariants.find((v) => v.name === 'no-duplicate-orders');
    expect(result.verdict).toBe('fail');
    expect(duplicates?.verdict).toBe('fail');
    expect(duplicates?.examples[0]?.orderRef).toMatch(/^CAP-\d+$/);
    expect(result.replay.command).toBe('npx faultline run capture-retry-storm --middleware naive --seed 7');
  });

  it('clears the resilient middleware in the same storm', async () => {
    const result = await run(captureRetryStorm, 'resilient', 7);
    expect(result.invariants.filter((v) => v.verdict !== 'pass')).toEqual([]);
  });
});

describe('a simulated run of rounding-drift (a storefront charging from 3-decimal prices)', () => {
  it('fails the naive middleware on amounts-agree only, saying the storefront kept prices Odoo rounds', async () => {
    const result = await run(roundingDrift, 'naive');
    expect(result.invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name)).toEqual(['amounts-agree']);
    const amounts = result.invariants.find((v) => v.name === 'amounts-agree')!;
    expect(amounts.examples[0]!.message).toMatch(
      /^sale order S\d+ totals [\d.]+, capture charged [\d.]+; .*why: .*the storefront kept unit prices Odoo stores to 2 digits/,
    );
  });

  it('passes the resilient middleware on every invariant, with one rounding adjustment per drifting order', async () => {
    const result = await run(roundingDrift, 'resilient');
    expect(result.invariants.filter((v) => v.verdict !== 'pass')).toEqual([]);
    const adjusted = [...result.history].flatMap((e) => (e.kind === 'event' && e.name === 'order.rounding_adjusted' ? [e.corr] : []));
    expect(adjusted.length).toBeGreaterThan(roundingDrift.orders.count / 2);
    expect(new Set(adjusted).size).toBe(adjusted.length);
    expect([...result.history].filter((e) => e.kind === 'event' && e.name === 'deadletter')).toEqual([]);
  });
});
