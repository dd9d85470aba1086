/**
 * Minimal case found by `npx faultline check happy-path --middleware resilient --seed 1 --path 16:1:0:1:1:1:1:1:1:1:1:1:1:1:1:1:2:2/0:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2:2`:
 * 3 orders; no injected faults; system settings: capture customerBook.seed=1, capture customerBook.count=1, capture customerBook.retyped=0.5
 * It fails one-partner-per-customer with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/happy-path-397cbebf.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-397cbebf',
  description: 'Regression: one-partner-per-customer failed with the resilient middleware in a case generated from happy-path',
  seed: 2147483630,
  orders: { count: 3, ratePerSecond: 2, arrival: 'poisson', maxLines: 1, skus: ['FL-STOCK-02'] },
  systems: { capture: { customerBook: { seed: 1, count: 1, retyped: 0.5 } } },
  faults: [],
});
