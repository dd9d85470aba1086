/**
 * Minimal case found by `npx faultline check capture-retry-storm --middleware resilient --runs 1000 --seed 1 --max-orders 50`:
 * 9 orders; the answer to 1% of order submissions (capture → middleware) lost after the receiver processed it; 32% of the middleware's Odoo calls answered 503 by a proxy from 3.9 s to 14.5 s; system settings: capture retry.timeoutMs=5000, capture retry.attempts=4, capture retry.idempotencyKey="reuse"
 * It fails backs-off with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/capture-retry-storm-314df122.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'capture-retry-storm-314df122',
  description: 'Regression: backs-off failed with the resilient middleware in a case generated from capture-retry-storm',
  incident:
    'A capture platform retries after a timeout even though the first request went through, and Odoo gets the order twice: Odoo does not de-duplicate client_order_ref.',
  seed: 20477608,
  orders: {
    count: 9,
    ratePerSecond: 1,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-SERV-01'],
  },
  systems: {
    capture: {
      retry: {
        timeoutMs: 5000,
        attempts: 4,
        idempotencyKey: 'reuse',
      },
    },
  },
  faults: [
    {
      link: {
        from: 'capture',
        to: 'middleware',
        path: '/orders',
      },
      kind: 'response-lost',
      probability: 0.01,
    },
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'http-error',
      status: 503,
      probability: 0.32,
      schedule: {
        kind: 'window',
        fromMs: 3895,
        toMs: 14484,
      },
    },
  ],
});
