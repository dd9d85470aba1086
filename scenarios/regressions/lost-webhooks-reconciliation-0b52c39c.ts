/**
 * Minimal case found by `npx faultline check lost-webhooks-reconciliation --middleware resilient --seed 1 --fault-kinds clock-skew --path 17:0:1:2:2:2:2:1:1:5:2:1:3:1:1:2:1:3:4:1:2:3:4:1:1:1:1:4:2:2:2:2:2:2:3:3:2:2:2:3:2:2:2:2:3:3:5:4:4:5`:
 * 1 order; middleware's clock runs 17 min behind from 1 s to 19 min; system settings: payment webhooks.drop.probability=0.3, logistics webhooks.drop.probability=0.3, capture priceDigits=3, capture maxQuantity=3
 * It fails converges with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/lost-webhooks-reconciliation-0b52c39c.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'lost-webhooks-reconciliation-0b52c39c',
  description: 'Regression: converges failed with the resilient middleware in a case generated from lost-webhooks-reconciliation',
  incident: 'Webhooks lost for good: without a reconciliation job, paid orders stay unpaid in Odoo.',
  seed: 1919569821,
  orders: { count: 1, ratePerSecond: 2, arrival: 'poisson', maxLines: 2, skus: ['FL-STOCK-03', 'FL-SERV-01'] },
  systems: {
    payment: { webhooks: { drop: { probability: 0.3 } } },
    logistics: { webhooks: { drop: { probability: 0.3 } } },
    capture: { priceDigits: 3, maxQuantity: 3 },
  },
  faults: [{ system: 'middleware', kind: 'clock-skew', offsetMs: -1021590, schedule: { kind: 'window', fromMs: 1000, toMs: 1141955 } }],
});
