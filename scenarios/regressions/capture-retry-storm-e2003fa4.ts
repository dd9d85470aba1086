/**
 * Minimal case found by `npx faultline check capture-retry-storm --middleware resilient --runs 1000 --seed 1`:
 * 25 orders; the answer to 30% of order submissions (capture → middleware) lost after the receiver processed it; 34% of the middleware's Odoo calls lost on the way from 2.4 s to 22.6 min; system settings: capture retry.timeoutMs=5000, capture retry.attempts=4, capture retry.idempotencyKey="reuse"
 * It fails converges with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/capture-retry-storm-e2003fa4.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'capture-retry-storm-e2003fa4',
  description: 'Regression: converges failed with the resilient middleware in a case generated from capture-retry-storm',
  incident:
    'A capture platform retries after a timeout even though the first request went through, and Odoo gets the order twice: Odoo does not de-duplicate client_order_ref.',
  seed: 1327211741,
  orders: {
    count: 25,
    ratePerSecond: 4,
    arrival: 'ramp',
    maxLines: 1,
    skus: ['FL-STOCK-02'],
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
      kind: 'drop',
      probability: 0.34,
      schedule: {
        kind: 'window',
        fromMs: 2427,
        toMs: 1358070,
      },
    },
  ],
});
