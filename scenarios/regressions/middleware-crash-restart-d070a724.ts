/**
 * Minimal case found by `npx faultline check scenarios/middleware-crash-restart.ts --middleware resilient --seed 1 --extra-faults 0 --path 2:3:0:0:0:0:0:0:0:0:0:0:0:0:0`:
 * 1 order; the middleware's Odoo calls slowed by 16 ms ± 1 s; middleware crashes at 1 s and restarts 16 ms later
 * It fails no-duplicate-orders with the resilient middleware as of commit 74cc845 (before issue 12) until the middleware is fixed:
 *   npx faultline run scenarios/regressions/middleware-crash-restart-d070a724.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'middleware-crash-restart-d070a724',
  description: 'Regression: no-duplicate-orders failed with the resilient middleware (before issue 12) in a case generated from middleware-crash-restart',
  incident:
    'The integration process dies in the middle of pushing an order and comes back: the new process picks the order up while calls the old one sent are still on their way to Odoo, and the order is created twice.',
  seed: 22,
  orders: {
    count: 1,
    ratePerSecond: 2,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-SERV-01'],
  },
  faults: [
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'latency',
      meanMs: 16,
      jitterMs: 1000,
    },
    {
      system: 'middleware',
      kind: 'crash',
      restartAfterMs: 16,
      schedule: {
        kind: 'window',
        fromMs: 1000,
        toMs: 1016,
      },
    },
  ],
});
