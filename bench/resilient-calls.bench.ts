import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import happyPath from '../scenarios/happy-path.ts';
import { recordResults } from './results.ts';

/**
 * What the resilient design costs Odoo per order on the happy path (40
 * orders, seed 1, no faults): the calls of the order's own job (those that
 * carry its ref as correlation id) and all of the middleware's calls, which
 * add reconciliation's look-ups while orders wait for their parcels. Counted
 * from the history, as Odoo saw them; deterministic, so one run is the figure.
 */
const middleware = await resolveMiddleware('resilient', process.cwd());
const result = await runScenario(happyPath, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'resilient' });
const orders = new Set([...result.history].flatMap((e) => (e.kind === 'event' && e.name === 'order.placed' && e.corr !== undefined ? [e.corr] : [])));
const calls = [...result.history].flatMap((e) => (e.kind === 'odoo' && e.principal === 'faultline-middleware' ? [e] : []));
const own = calls.filter((e) => e.corr !== undefined && orders.has(e.corr));
const counts = new Map<string, number>();
for (const e of own) counts.set(`${e.model}.${e.method}`, (counts.get(`${e.model}.${e.method}`) ?? 0) + 1);
const perMethod = Object.fromEntries([...counts].map(([call, n]) => [call, +(n / orders.size).toFixed(2)]));

const figures = {
  scenario: happyPath.name,
  orders: orders.size,
  seed: result.seed,
  verdict: result.verdict,
  ownJobCallsPerOrder: +(own.length / orders.size).toFixed(1),
  allCallsPerOrder: +(calls.length / orders.size).toFixed(1),
  ownJobCallsPerOrderByMethod: perMethod,
};
console.log(
  `resilient, happy path (${orders.size} orders): ${figures.ownJobCallsPerOrder} Odoo calls per order in its own job, ${figures.allCallsPerOrder} with reconciliation's look-ups → ${result.verdict}`,
);
recordResults('resilientOdooCalls', figures);
