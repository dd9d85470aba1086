import { describe, expect, it } from 'vitest';
import captureRetryStorm from '../../scenarios/capture-retry-storm.ts';
import { resolveMiddleware } from '../engine/resolve-middleware.ts';
import { CasePlan, exploreCaseSpace } from './case-space.ts';
import { tryCase } from './case-trial.ts';
import { runCase } from './run-case.ts';
import { formatCheckReport } from './report-text.ts';
import { checkScenario } from './search.ts';
import { workerRunner } from './worker-pool.ts';

// Few cases and few orders: each case is a whole simulated run.
describe('property-based chaos on a scenario', () => {
  it('finds the naive middleware duplicating orders in a retry storm and shrinks the case', async () => {
    const naive = await resolveMiddleware('naive', process.cwd());
    const focus = ['no-duplicate-orders'];
    const report = await checkScenario(captureRetryStorm, {
      middleware: naive,
      middlewareArg: 'naive',
      runs: 20,
      seed: 5,
      maxOrders: 6,
      maxShrinkRuns: 30,
      invariants: focus,
    });
    const failure = report.failure!;
    expect(failure.invariants).toEqual(['no-duplicate-orders']);
    expect(failure.result.invariants.find((v) => v.name === 'no-duplicate-orders')?.verdict).toBe('fail');
    // Shrunk: fewer orders than the first failure, and only the lost answers the duplicate needs, no stronger than declared.
    expect(failure.shrinks).toBeGreaterThan(0);
    expect(failure.case.overrides.orders.count).toBeLessThan(failure.firstOrders);
    expect(new Set(failure.case.overrides.faults.map((f) => f.kind))).toEqual(new Set(['response-lost']));
    expect((failure.case.overrides.faults[0] as { probability: number }).probability).toBeLessThanOrEqual(0.3);
    expect(failure.scenario.seed).toBe(failure.case.seed);

    // The printed seed and path lead straight back to the same minimal case, whatever the shrink budget.
    const again = await checkScenario(captureRetryStorm, {
      middleware: naive,
      middlewareArg: 'naive',
      runs: 20,
      seed: report.seed,
      path: failure.path,
      maxOrders: 6,
      maxShrinkRuns: 30,
      invariants: focus,
    });
    expect(again.failure?.case).toEqual(failure.case);
    expect(again.failure?.result.history).toEqual(failure.result.history);
    // The replay ran one case: its report names no coverage of the search's.
    expect(formatCheckReport(again)).not.toMatch(/coverage:/);
    expect(formatCheckReport(report)).toMatch(/coverage: \d+ operation × fault pairs exercised/);

    // Replayed against a design that holds, the report claims the one case it ran, not the search's count.
    const fixed = await checkScenario(captureRetryStorm, {
      middleware: await resolveMiddleware('resilient', process.cwd()),
      middlewareArg: 'resilient',
      seed: report.seed,
      path: failure.path,
      maxOrders: 6,
      invariants: focus,
    });
    expect(fixed.failure).toBeUndefined();
    expect(formatCheckReport(fixed)).toBe(
      `✓ capture-retry-storm [resilient, fast-check seed 5] PASSED: the case at path "${failure.path}" held every invariant`,
    );
  }, 120_000);

  it('lets the resilient middleware through generated storms without a duplicate', async () => {
    const resilient = await resolveMiddleware('resilient', process.cwd());
    const report = await checkScenario(captureRetryStorm, {
      middleware: resilient,
      middlewareArg: 'resilient',
      runs: 4,
      seed: 3,
      maxOrders: 5,
      invariants: ['no-duplicate-orders'],
    });
    expect(report.failure).toBeUndefined();
    expect(report.runs).toBe(4);
  }, 60_000);
});

describe('a search spread over worker threads and CI runners', () => {
  // With this seed and focus, cases 1, 2 and 5 fail and the others hold: the lowest failing index is 1,
  // which the worker thread runs while this thread runs case 0.
  const options = { middlewareArg: 'naive', runs: 10, seed: 9, maxOrders: 4, maxShrinkRuns: 6, invariants: ['invoice-after-delivery'] };
  const source = { loader: new URL('../cli/scenario-source.ts', import.meta.url).href, scenario: 'capture-retry-storm', cwd: process.cwd() };

  it('reports the same lowest failing case, shrunk the same way, with two workers as with one', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    const one = await checkScenario(captureRetryStorm, { ...options, middleware, workers: 1 });
    const two = await checkScenario(captureRetryStorm, { ...options, middleware, workers: 2, source });
    expect(one.failure?.index).toBe(1);
    expect(two.failure?.index).toBe(one.failure?.index);
    expect(two.failure?.case).toEqual(one.failure?.case);
    expect(two.failure?.path).toBe(one.failure?.path);
    expect(two.runs).toBe(one.runs);
    expect(two.coverage).toEqual(one.coverage);
    expect(one.coverage.length).toBeGreaterThan(0);
  }, 120_000);

  it('holds the next case in each worker thread while it runs one, and answers each case by its own index', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    const space = exploreCaseSpace(captureRetryStorm, { maxOrders: 4 }, middleware, 'naive');
    const pool = workerRunner(1, { source: { ...source, middleware: 'naive' }, seed: 9 }, space);
    try {
      expect(pool.slots).toBe(2);
      const [five, six] = await Promise.all([pool.run(5), pool.run(6)]);
      const plan = new CasePlan(captureRetryStorm, await space, 9);
      const here = await tryCase(plan.arbitrary(6), 9, 6, (c) => runCase(captureRetryStorm, c, middleware, 'naive'), undefined);
      expect([five.index, six.index]).toEqual([5, 6]);
      expect(six.case).toEqual(here.case);
      expect(six.coverage).toEqual(here.coverage);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('brings a failing case back from a worker thread with its whole history', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    const space = exploreCaseSpace(captureRetryStorm, { maxOrders: 4 }, middleware, 'naive');
    const pool = workerRunner(1, { source: { ...source, middleware: 'naive' }, seed: 9, focus: options.invariants }, space);
    try {
      const there = await pool.run(1);
      const plan = new CasePlan(captureRetryStorm, await space, 9);
      const here = await tryCase(plan.arbitrary(1), 9, 1, (c) => runCase(captureRetryStorm, c, middleware, 'naive'), options.invariants);
      expect(there.failing).toEqual(['invoice-after-delivery']);
      expect(there.result!.history.length).toBeGreaterThan(0);
      expect([...there.result!.history]).toEqual([...here.result!.history]);
    } finally {
      await pool.close();
    }
  }, 120_000);

  it('splits the case indices between shards so the shard holding the lowest failure finds it', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    const first = await checkScenario(captureRetryStorm, { ...options, middleware, shard: { index: 1, count: 2 }, maxShrinkRuns: 0 });
    const second = await checkScenario(captureRetryStorm, { ...options, middleware, shard: { index: 2, count: 2 }, maxShrinkRuns: 0 });
    expect(first.failure?.index).toBe(4);
    expect(second.failure?.index).toBe(1);
    // Shard 1 runs indices 0, 2 and 4, stopping at 4; shard 2 stops at its first, 1.
    expect(first.runs).toBe(3);
    expect(second.runs).toBe(1);
  }, 120_000);
});
