import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'rounding-drift',
  description: 'Half-cent prices and quantities that round: totals must agree to the cent everywhere',
  incident: 'Values drift between systems: a rounding cent between the storefront, Odoo and the invoice.',
  seed: 19,
  orders: { count: 60, ratePerSecond: 2, skus: ['FL-CONSU-01', 'FL-CONSU-02', 'FL-STOCK-03', 'FL-SERV-01'], maxLines: 4 },
  expect: { naive: { fails: [] }, resilient: { fails: [] } },
});
