/**
 * Minimal case found by `npx faultline check rounding-drift --middleware resilient --seed 1 --path 60:1:0:0:0:0:0:1:1:1:1:1:1:1:1:1:1:1/0:4:1:1:1:1:1:2:1`:
 * 2 orders; 10% of the middleware's Odoo calls to sale.order.write delayed 11 s from 15 ms to 514 ms; system settings: capture priceDigits=3, capture maxQuantity=3
 * What failed: the write adding the order's rounding line was held 11 s on the wire, past the 10 s Odoo timeout;
 * the retry found no rounding line and added one, and the late write added a second: the order totalled a cent off.
 * The fix is the rounding marker tag (middleware/resilient/rounding.ts), which refuses the second write whole.
 * It fails amounts-agree with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/rounding-drift-92da806f.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'rounding-drift-92da806f',
  description: 'Regression: amounts-agree failed with the resilient middleware in a case generated from rounding-drift',
  incident: 'Values drift between systems: a rounding cent between the storefront, Odoo and the invoice.',
  seed: 3,
  orders: { count: 2, ratePerSecond: 2, arrival: 'poisson', maxLines: 1, skus: ['FL-STOCK-03'] },
  systems: { capture: { priceDigits: 3, maxQuantity: 3 } },
  faults: [
    {
      link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'write' } },
      kind: 'delay',
      ms: 11000,
      probability: 0.1,
      schedule: { kind: 'window', fromMs: 15, toMs: 514 },
    },
  ],
});
