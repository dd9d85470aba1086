import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'capture-retry-storm',
  description: 'The capture platform times out and retries orders the middleware already pushed to Odoo',
  incident:
    'A capture platform retries after a timeout even though the first request went through, and Odoo gets the order twice: Odoo does not de-duplicate client_order_ref.',
  seed: 7,
  orders: { count: 60, ratePerSecond: 4 },
  faults: [
    // The middleware commits, then its answer is lost: the capture platform sees a timeout.
    { link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.3 },
  ],
  systems: { capture: { retry: { timeoutMs: 5_000, attempts: 4, idempotencyKey: 'reuse' } } },
  expect: { naive: { fails: ['no-duplicate-orders'] }, resilient: { fails: [] } },
});
