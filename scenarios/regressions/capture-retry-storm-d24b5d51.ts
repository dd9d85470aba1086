/**
 * Minimal case found by `npx faultline check capture-retry-storm --middleware resilient --seed 1 --max-orders 50 --path 8:2:0:3:13:6:6:4:7:4:5:0:0:3:0:4:4:3:10:6:4:4:4:4:5:4:6:0:3:0:0:3:0:2:1:3:8:0:6:6:3:3:3:3:3:3:3:3:3:9:4:3:3:4:3:3:4:15:8:6:7:8:10:10`:
 * 12 orders; the answer to 30% of order submissions (capture → middleware) lost after the receiver processed it; the middleware's Odoo calls held back up to 10.5 s, so later ones overtake them from 2.5 s to 30.6 s; system settings: capture retry.timeoutMs=5000, capture retry.attempts=4, capture retry.idempotencyKey="reuse"
 * It fails no-duplicate-orders with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/capture-retry-storm-d24b5d51.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'capture-retry-storm-d24b5d51',
  description: 'Regression: no-duplicate-orders failed with the resilient middleware in a case generated from capture-retry-storm',
  incident:
    'A capture platform retries after a timeout even though the first request went through, and Odoo gets the order twice: Odoo does not de-duplicate client_order_ref.',
  seed: 1589226029,
  orders: {
    count: 12,
    ratePerSecond: 1,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-STOCK-01'],
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
      probability: 0.3,
    },
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'reorder',
      windowMs: 10464,
      schedule: {
        kind: 'window',
        fromMs: 2471,
        toMs: 30601,
      },
    },
  ],
});
