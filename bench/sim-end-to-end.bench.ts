import { buildHistoryIndex, builtInInvariants, checkInvariants } from '../harness/invariants/index.ts';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import { defineScenario } from '../harness/scenario/define.ts';
import { median, recordResults } from './results.ts';

/**
 * Sim mode end to end: orders placed → paid → delivered → invoiced, with the
 * emulated Odoo, per middleware; invariant checking speed; memory per 10,000 orders.
 * Figures are wall-clock on a shared machine: read the medians, compare ratios.
 */
const ORDERS = Number(process.env.BENCH_ORDERS ?? 2000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function scenario(count: number) {
  return defineScenario({
    name: 'bench-throughput',
    description: 'Throughput: no faults, a steady stream of orders',
    orders: { count, ratePerSecond: 50 },
    budget: { settleMs: 0 },
  });
}

const figures: Record<string, unknown> = { orders: ORDERS, repeats: REPEATS };
for (const name of ['resilient', 'naive']) {
  const middleware = await resolveMiddleware(name, process.cwd());
  const rates: number[] = [];
  const cpuRates: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const cpuBefore = process.cpuUsage();
    const result = await runScenario(scenario(ORDERS), { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: name, seed: 1 + i });
    const cpu = process.cpuUsage(cpuBefore);
    rates.push(result.stats.orders / (result.stats.wallMs / 1000));
    cpuRates.push(result.stats.orders / ((cpu.user + cpu.system) / 1e6));
    if (i === 0) figures[`${name}HistoryEventsPerOrder`] = +(result.history.length / result.stats.orders).toFixed(1);
  }
  figures[`${name}OrdersPerSecond`] = Math.round(median(rates));
  // Orders per second of this process's CPU time: on a shared machine the wall-clock rate measures the neighbours as well.
  figures[`${name}OrdersPerCpuSecond`] = Math.round(median(cpuRates));
  console.log(
    `sim end-to-end, ${name}: ${Math.round(median(rates))} orders/s, ${Math.round(median(cpuRates))} per CPU second (median of ${REPEATS}, ${ORDERS} orders each; runs: ${rates.map(Math.round).join(', ')})`,
  );
}

// Memory and invariant speed on one larger run: 100,000 orders, the size the target is set for.
const big = Number(process.env.BENCH_BIG_ORDERS ?? 100_000);
/** The JS heap and the array buffers beside it, where the packed history keeps its words. */
function retainedBytes(): number {
  globalThis.gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}
const heapBefore = retainedBytes();
const resilient = await resolveMiddleware('resilient', process.cwd());
const result = await runScenario(scenario(big), { mode: 'sim', odoo: 'emulated', middleware: resilient, middlewareArg: 'resilient', seed: 1 });
const heapRetained = retainedBytes() - heapBefore;
const peakRss = process.resourceUsage().maxRSS * 1024;
figures.bigRunOrders = result.stats.orders;
figures.heapRetainedPer10kOrdersMiB = +(((heapRetained / result.stats.orders) * 10_000) / 1048576).toFixed(1);
figures.peakRssMiB = +(peakRss / 1048576).toFixed(0);
console.log(
  `memory: ${result.stats.orders} orders retain ${(heapRetained / 1048576).toFixed(1)} MiB of heap and array buffers (history, ledgers, Odoo's state as read at the end), ${figures.heapRetainedPer10kOrdersMiB} MiB per 10,000; peak RSS ${(peakRss / 1048576).toFixed(0)} MiB`,
);

const input = { history: result.history, ...result.observations, options: {} };
const speeds: number[] = [];
for (let i = 0; i < 5; i++) {
  const start = performance.now();
  checkInvariants(builtInInvariants, input);
  speeds.push(result.history.length / ((performance.now() - start) / 1000));
}
const indexStart = performance.now();
buildHistoryIndex(result.history);
figures.invariantEventsPerSecond = Math.round(median(speeds));
figures.historyIndexMs = +(performance.now() - indexStart).toFixed(1);
console.log(
  `invariants: ${Math.round(median(speeds)).toLocaleString('en')} history events/s over ${result.history.length.toLocaleString('en')} events (all nine, median of 5)`,
);
recordResults('simEndToEnd', figures);
