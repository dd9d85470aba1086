/**
 * Minimal case found by `npx faultline check happy-path --middleware resilient --seed 1 --path 20:1:0:1:0:1:1:1:1:1:1:1:1:2:5:4/0:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3:3`:
 * 8 orders; no injected faults; system settings: capture priceDigits=3, capture maxQuantity=3, capture customerBook.seed=1, capture customerBook.count=3, odoo capacity=true
 * It fails one-partner-per-customer with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/happy-path-e218a477.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-e218a477',
  description: 'Regression: one-partner-per-customer failed with the resilient middleware in a case generated from happy-path',
  seed: 30,
  orders: { count: 8, ratePerSecond: 8, arrival: 'poisson', maxLines: 1, skus: ['FL-CONSU-01'] },
  systems: { capture: { priceDigits: 3, maxQuantity: 3, customerBook: { seed: 1, count: 3 } }, odoo: { capacity: true } },
  faults: [],
});
