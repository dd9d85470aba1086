import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import { defineScenario } from '../harness/scenario/define.ts';
import { renderRunReport } from '../reports/html/page.ts';
import { runSummaryOf } from '../reports/html/write-report.ts';
import { recordResults } from './results.ts';

/**
 * report.html's size and render time for a failing run of 100 orders and of
 * 10,000 (the bound: under 5 MB). The retry storm against the naive
 * design makes about three in ten orders violate, so the page's drawing budget
 * and its list of the other orders are both exercised.
 */
const SIZES = (process.env.BENCH_REPORT_ORDERS ?? '100,10000').split(',').map(Number);

function storm(count: number) {
  return defineScenario({
    name: `report-storm-${count}`,
    description: 'capture-retry-storm at a given size, for the report benchmark',
    orders: { count, ratePerSecond: 4 },
    faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.3 }],
    systems: { capture: { retry: { timeoutMs: 5_000, attempts: 4, idempotencyKey: 'reuse' } } },
  });
}

const figures: Record<string, unknown> = {};
const naive = await resolveMiddleware('naive', process.cwd());
for (const count of SIZES) {
  const result = await runScenario(storm(count), { mode: 'sim', odoo: 'emulated', middleware: naive, middlewareArg: 'naive', seed: 7 });
  const start = performance.now();
  const page = renderRunReport({ summary: runSummaryOf(result), history: result.history });
  const ms = performance.now() - start;
  const bytes = Buffer.byteLength(page);
  const timelines = page.split('<svg class="swimlane"').length - 1;
  figures[`orders${count}ReportBytes`] = bytes;
  figures[`orders${count}ReportRenderMs`] = Math.round(ms);
  figures[`orders${count}Timelines`] = timelines;
  console.log(
    `report.html, ${count} orders (${result.history.length.toLocaleString('en')} history events): ${(bytes / 1048576).toFixed(2)} MiB, ${timelines} timelines, rendered in ${Math.round(ms)} ms`,
  );
}
recordResults('report', figures);
