/**
 * Minimal case found by `npx faultline check rounding-drift --middleware resilient --runs 1000 --seed 1`:
 * 41 orders; 35% of the middleware's Odoo calls hang until the sender times out from 5 s to 92.6 min; system settings: capture priceDigits=3, capture maxQuantity=3
 * It fails converges with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/rounding-drift-e6be1a70.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'rounding-drift-e6be1a70',
  description: 'Regression: converges failed with the resilient middleware in a case generated from rounding-drift',
  incident: 'Values drift between systems: a rounding cent between the storefront, Odoo and the invoice.',
  seed: 4,
  orders: {
    count: 41,
    ratePerSecond: 8,
    arrival: 'fixed',
    maxLines: 3,
    skus: ['FL-CONSU-01', 'FL-CONSU-02', 'FL-SERV-01'],
  },
  systems: {
    capture: {
      priceDigits: 3,
      maxQuantity: 3,
    },
  },
  faults: [
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'timeout',
      probability: 0.35,
      schedule: {
        kind: 'window',
        fromMs: 4973,
        toMs: 5557718,
      },
    },
  ],
});
