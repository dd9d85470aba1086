/**
 * How many orders per second a real Odoo 17 takes through each reference
 * middleware: live mode, the capture platform placing orders at fixed rates
 * (open model, no payment at checkout, so the figure is the order path:
 * capture → middleware → Odoo's sale.order create and confirm), every call
 * through Faultline's recorder. The sustained rate is the highest one where
 * every order reached Odoo at 95 % of the asked rate or better.
 *
 *   REAL_ODOO_URL=http://127.0.0.1:8069 REAL_ODOO_DB=faultline_ci node bench/real-odoo.bench.ts [seconds=20] [rates=2,4,8]
 *
 * `bash tools/start-real-odoo.sh` starts one. Without REAL_ODOO_URL it says so and records nothing.
 */
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';
import { odooThroughput } from './odoo-throughput.ts';
import type { OdooThroughput } from './odoo-throughput.ts';
import { recordResults } from './results.ts';

const url = process.env.REAL_ODOO_URL;
if (url === undefined || url === '') {
  process.stdout.write('real-odoo bench skipped: set REAL_ODOO_URL (and REAL_ODOO_DB) to a real Odoo 17; `bash tools/start-real-odoo.sh` starts one\n');
  process.exit(0);
}
const seconds = Number(process.argv[2] ?? 20);
const rates = (process.argv[3] ?? '2,4,8').split(',').map(Number);
if (!(seconds > 0 && seconds <= 120 && rates.every((r) => Number.isInteger(r) && r > 0 && r <= 200) && rates.length <= 6)) {
  throw new Error('usage: node bench/real-odoo.bench.ts [seconds 1..120] [rates, e.g. 2,4,8]');
}

function scenario(rate: number): Scenario {
  return {
    name: `bench-real-odoo-${rate}`,
    description: 'steady arrivals, no faults, a real Odoo',
    seed: 1,
    orders: { count: Math.round(rate * seconds), ratePerSecond: rate, arrival: 'fixed' },
    systems: { capture: { payAtCheckout: false } },
    budget: { settleMs: 1_000 },
  };
}

const figures: Record<string, OdooThroughput[]> = {};
for (const name of ['naive', 'resilient']) {
  const middleware = await resolveMiddleware(name, process.cwd());
  figures[name] = [];
  for (const rate of rates) {
    const result = await runScenario(scenario(rate), {
      mode: 'live',
      odoo: 'external',
      odooOptions: {
        url,
        db: process.env.REAL_ODOO_DB ?? 'faultline_ci',
        user: 'admin',
        password: 'admin',
        masterPassword: process.env.REAL_ODOO_MASTER_PASSWORD ?? 'admin',
      },
      middleware,
      middlewareArg: name,
      live: { timeScale: 1 / 3600, timeoutMs: (seconds + 120) * 1_000 },
    });
    const f = odooThroughput(result, rate);
    figures[name].push(f);
    process.stdout.write(
      `${name.padEnd(9)} ${String(rate).padStart(3)}/s  in Odoo ${String(f.inOdooPerSec).padStart(5)}/s (${f.inOdoo}/${f.placed})  placed→Odoo p50 ${f.p50Ms} ms  p99 ${f.p99Ms} ms  max ${f.maxMs} ms  ${f.verdict}\n`,
    );
  }
}

const keepsUp = (f: OdooThroughput) => f.inOdoo === f.placed && f.inOdooPerSec >= 0.95 * f.targetPerSec;
const sustained = Object.fromEntries(Object.entries(figures).map(([name, rows]) => [name, Math.max(0, ...rows.filter(keepsUp).map((f) => f.targetPerSec))]));
process.stdout.write(
  `sustained orders/s into a real Odoo: ${Object.entries(sustained)
    .map(([name, rate]) => `${name} ${rate > 0 ? rate : `none of ${rates.join(', ')}`}`)
    .join('; ')}\n`,
);
recordResults('real-odoo', { seconds, rates, sustainedOrdersPerSec: sustained, figures });
