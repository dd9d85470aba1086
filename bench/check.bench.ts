import { checkScenario } from '../harness/check/search.ts';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import { defineScenario } from '../harness/scenario/define.ts';
import captureRetryStorm from '../scenarios/capture-retry-storm.ts';
import { median, recordResults } from './results.ts';

/**
 * Property-based chaos, the two targets of issue #6:
 * - 200 generated cases of a 50-order scenario with the resilient middleware, under 60 s of wall time;
 * - a naive failure in a 200-order scenario shrunk to at most 3 orders, under 30 s.
 * Wall-clock on a shared machine; the per-run figures say where the time goes.
 */
const RUNS = Number(process.env.BENCH_CHECK_RUNS ?? 200);
const SEED = Number(process.env.BENCH_CHECK_SEED ?? 1);

const fifty = defineScenario({ ...captureRetryStorm, name: 'bench-check-50', orders: { ...captureRetryStorm.orders, count: 50 } });
const twoHundred = defineScenario({ ...captureRetryStorm, name: 'bench-check-200', orders: { ...captureRetryStorm.orders, count: 200 } });
const figures: Record<string, unknown> = { runs: RUNS, seed: SEED };

{
  const middleware = await resolveMiddleware('resilient', process.cwd());
  let orders = 0;
  let cases = 0;
  const start = performance.now();
  const report = await checkScenario(fifty, {
    middleware,
    middlewareArg: 'resilient',
    runs: RUNS,
    seed: SEED,
    onProgress: (p) => {
      if (p.phase !== 'search') return;
      orders += p.orders;
      cases++;
    },
  });
  const wallMs = performance.now() - start;
  figures.resilientWallMs = Math.round(wallMs);
  figures.resilientCases = report.runs;
  figures.resilientMeanOrdersPerCase = +(orders / Math.max(1, cases)).toFixed(1);
  figures.resilientMsPerCase = Math.round(wallMs / Math.max(1, report.runs));
  figures.resilientVerdict = report.failure === undefined ? 'pass' : `fail: ${report.failure.invariants.join(', ')}`;
  console.log(
    `check, resilient, 50-order scenario: ${report.runs} cases in ${(wallMs / 1000).toFixed(1)} s wall ` +
      `(${Math.round(wallMs / Math.max(1, report.runs))} ms a case, ${figures.resilientMeanOrdersPerCase} orders a case on average; target < 60 s for 200) → ${figures.resilientVerdict}`,
  );
  if (report.failure !== undefined) console.log(`  minimal failing case: ${JSON.stringify(report.failure.case)}`);
}

{
  // Generated cases place 1..50 orders; this is what 200 cases of the full 50 would cost.
  const middleware = await resolveMiddleware('resilient', process.cwd());
  const times: number[] = [];
  for (let seed = 1; seed <= 5; seed++) {
    const result = await runScenario(fifty, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'resilient', seed });
    times.push(result.stats.wallMs);
  }
  figures.resilientFullFiftyMsPerRun = Math.round(median(times));
  console.log(
    `resilient, the 50-order scenario itself: ${Math.round(median(times))} ms a run (median of 5) → 200 runs of 50 orders ≈ ${((median(times) * 200) / 1000).toFixed(0)} s`,
  );
}

{
  const middleware = await resolveMiddleware('naive', process.cwd());
  const start = performance.now();
  let foundAtMs: number | undefined;
  const report = await checkScenario(twoHundred, {
    middleware,
    middlewareArg: 'naive',
    runs: 100,
    seed: SEED,
    onProgress: (p) => {
      // The first shrink report comes after the failing case and one shrink run; close enough to split search from shrinking.
      if (p.phase === 'shrink' && foundAtMs === undefined) foundAtMs = performance.now() - start;
    },
  });
  const wallMs = performance.now() - start;
  const failure = report.failure;
  figures.naiveWallMs = Math.round(wallMs);
  figures.naiveSearchMs = Math.round(foundAtMs ?? wallMs);
  figures.naiveFirstOrders = failure?.firstOrders ?? null;
  figures.naiveMinimalOrders = failure?.case.overrides.orders.count ?? null;
  figures.naiveShrinks = failure?.shrinks ?? null;
  figures.naiveShrinkRuns = failure?.shrinkRuns ?? null;
  console.log(
    failure === undefined
      ? `check, naive, 200-order scenario: no failure in ${report.runs} cases (${(wallMs / 1000).toFixed(1)} s)`
      : `check, naive, 200-order scenario: failure found after ${report.runs} cases with ${failure.firstOrders} orders (${((foundAtMs ?? wallMs) / 1000).toFixed(1)} s), ` +
          `shrunk in ${failure.shrinks} steps / ${failure.shrinkRuns} runs to ${failure.case.overrides.orders.count} orders; ` +
          `${(wallMs / 1000).toFixed(1)} s wall in all (target: ≤ 3 orders in < 30 s)`,
  );
}
recordResults('check', figures);
