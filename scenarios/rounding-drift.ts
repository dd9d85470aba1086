import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'rounding-drift',
  description:
    'The storefront prices and charges with 3 decimals (half-cent ties: 1.005, 2.675, 0.125, 3.335) while Odoo stores unit prices to 2 (1.005 → 1.01): what was charged, the Odoo order and its invoice must still agree to the cent',
  incident: 'Values drift between systems: a rounding cent between the storefront, Odoo and the invoice.',
  seed: 19,
  orders: { count: 60, ratePerSecond: 2, skus: ['FL-CONSU-01', 'FL-CONSU-02', 'FL-STOCK-03', 'FL-SERV-01'], maxLines: 4 },
  // Each unit drifts by at most half a cent (plus its tax), so 4 lines of up to 3 units stay within 5 cents:
  // the resilient middleware's default rounding tolerance, beyond which it would dead-letter the order.
  systems: { capture: { priceDigits: 3, maxQuantity: 3 } },
  expect: { naive: { fails: ['amounts-agree'] }, resilient: { fails: [] } },
});
