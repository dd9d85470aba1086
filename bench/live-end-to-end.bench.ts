/**
 * Live mode end to end: the emulated Odoo, the simulators and the resilient
 * middleware as real HTTP servers on loopback, the capture platform placing
 * orders at a fixed rate (open model). For each rate: how many orders per
 * second reach Odoo, and placed→in-Odoo latency; the first rate where Odoo
 * falls behind (under 95 % of the target, or p99 over 1 s) is where it
 * saturates. Each rate runs twice in the same process, through Toxiproxy (no
 * toxics) and direct, so the proxies' cost is measured under the same noise.
 *
 *   node bench/live-end-to-end.bench.ts [seconds=5] [rates=50,100,150,200]
 */
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import type { RunResult } from '../harness/run/result.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';
import { odooThroughput } from './odoo-throughput.ts';
import type { OdooThroughput } from './odoo-throughput.ts';
import { recordResults } from './results.ts';

const seconds = Number(process.argv[2] ?? 5);
const rates = (process.argv[3] ?? '50,100,150,200').split(',').map(Number);
if (!(seconds > 0 && seconds <= 60 && rates.every((r) => Number.isInteger(r) && r > 0 && r <= 2_000) && rates.length <= 10)) {
  throw new Error('usage: node bench/live-end-to-end.bench.ts [seconds 1..60] [rates, e.g. 50,100,150]');
}
const middleware = await resolveMiddleware('resilient', process.cwd());

interface Figures extends OdooThroughput {
  cpuMsPerOrder: number;
}

function scenario(rate: number): Scenario {
  return {
    name: `bench-live-${rate}`,
    description: 'steady arrivals, no faults',
    seed: 1,
    orders: { count: Math.round(rate * seconds), ratePerSecond: rate, arrival: 'fixed' },
    // No payment at checkout keeps the figure about the order path (capture → middleware → Odoo).
    systems: { capture: { payAtCheckout: false } },
    budget: { settleMs: 1_000 },
  };
}

async function measure(rate: number, proxies: boolean): Promise<Figures> {
  const cpu = process.cpuUsage();
  const result: RunResult = await runScenario(scenario(rate), {
    mode: 'live',
    odoo: 'emulated',
    middleware,
    middlewareArg: 'resilient',
    live: { timeScale: 1 / 3600, timeoutMs: 120_000, proxies },
  });
  const used = process.cpuUsage(cpu);
  const figures = odooThroughput(result, rate);
  return { ...figures, cpuMsPerOrder: Math.round(((used.user + used.system) / 1000 / Math.max(1, figures.placed)) * 100) / 100 };
}

const rows: Array<{ proxied: Figures; direct: Figures }> = [];
for (const rate of rates) {
  const proxied = await measure(rate, true);
  const direct = await measure(rate, false);
  rows.push({ proxied, direct });
  for (const [path, f] of [
    ['toxiproxy', proxied],
    ['direct', direct],
  ] as const) {
    process.stdout.write(
      `${String(rate).padStart(5)}/s ${path.padEnd(9)}  placed ${String(f.placedPerSec).padStart(6)}/s  in Odoo ${String(f.inOdooPerSec).padStart(6)}/s  (${f.inOdoo}/${f.placed})  ` +
        `placed→Odoo p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  max ${f.maxMs} ms  cpu ${f.cpuMsPerOrder} ms/order  ${f.verdict}\n`,
    );
  }
}

/** Kept up: every order reached Odoo, at 95 % of the asked rate or better, p99 within a second (a late generator counts as falling behind). */
const keepsUp = (f: Figures) => f.inOdoo === f.placed && f.inOdooPerSec >= 0.95 * f.targetPerSec && f.p99Ms <= 1_000;
const sustained = rows.filter((r) => keepsUp(r.proxied)).map((r) => r.proxied.targetPerSec);
// One noisy round below the best sustained rate is noise on a shared machine; saturation is the first failing rate above it.
const best = sustained.length > 0 ? Math.max(...sustained) : 0;
const saturatesAt = rows.find((r) => r.proxied.targetPerSec > best && !keepsUp(r.proxied))?.proxied.targetPerSec ?? null;
const directBest = Math.max(0, ...rows.filter((r) => keepsUp(r.direct)).map((r) => r.direct.targetPerSec));
const overheadP50Ms = rows.map((r) => Math.round((r.proxied.p50Ms - r.direct.p50Ms) * 1000) / 1000);
process.stdout.write(
  `sustained (through Toxiproxy): ${best > 0 ? `${best} orders/s` : 'none of the rates'} (direct: ${directBest > 0 ? `${directBest} orders/s` : 'none'}); ` +
    `saturates at: ${saturatesAt === null ? `above ${Math.max(...rates)}/s` : `${saturatesAt}/s`}; ` +
    `Toxiproxy adds to placed→Odoo p50: ${overheadP50Ms.join(', ')} ms (an order crosses 2 links, capture→middleware→odoo, with ~10 Odoo calls)\n`,
);
recordResults('live-end-to-end', {
  seconds,
  sustainedOrdersPerSec: best,
  sustainedDirectOrdersPerSec: directBest,
  saturatesAtOrdersPerSec: saturatesAt,
  toxiproxyOverheadP50Ms: overheadP50Ms,
  rows,
});
