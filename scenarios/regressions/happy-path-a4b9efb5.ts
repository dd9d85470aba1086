/**
 * Minimal case found by `npx faultline check happy-path --middleware <copy> --seed 1 --path 40:0:0:1:3:2:0:0:0:0:0:4:4:4:4:4:0:0:0:0:0:0/0:4:0:0:2:0:0:0:0:0:0:0:0:0:0:0`,
 * where <copy> is the resilient middleware without its resume at start (mutant `no-crash-recovery`,
 * bench/mutants/resilient.ts), by the restart-cut-off aim (harness/check/aim.ts): 1 order; Odoo refuses
 * sale.order.create for a moment, so the order's job waits on its retry; the middleware crashes at 1 s and is
 * back 16 ms later; the 3PL answers 503 to everything from 1 s to 15 min. That copy leaves the pending job to
 * reconciliation, whose pass takes it up only once the 3PL answers: Odoo had no sale order for 15 m 3 s
 * (converges). The resilient middleware resumes the job at restart, and this case guards that:
 *   npx faultline run scenarios/regressions/happy-path-a4b9efb5.ts --middleware resilient
 * See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-a4b9efb5',
  description: 'Regression: converges failed with the resilient middleware without its resume at start, in a case generated from happy-path',
  incident:
    'The middleware restarted while the 3PL was down and left the orders it had half done to a reconciliation pass that first waits for the 3PL: they reached Odoo only after the outage.',
  seed: 8,
  orders: {
    count: 1,
    ratePerSecond: 2,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-STOCK-03'],
  },
  faults: [
    {
      link: {
        from: 'middleware',
        to: 'odoo',
        odoo: {
          model: 'sale.order',
          method: 'create',
        },
      },
      kind: 'http-error',
      status: 503,
      schedule: {
        kind: 'window',
        fromMs: 238,
        toMs: 864,
      },
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
    {
      system: 'logistics',
      kind: 'outage',
      status: 503,
      schedule: {
        kind: 'window',
        fromMs: 1000,
        toMs: 902000,
      },
    },
  ],
});
