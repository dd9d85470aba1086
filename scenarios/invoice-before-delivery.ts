import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'invoice-before-delivery',
  description: 'The 3PL ships orders in several parcels; nothing may be invoiced before the last parcel is delivered',
  incident: 'An invoice is created before delivery is confirmed.',
  seed: 5,
  orders: { count: 40, ratePerSecond: 2, skus: ['FL-STOCK-01', 'FL-STOCK-02', 'FL-STOCK-03'], maxLines: 3 },
  // Most orders leave in two parcels, the second up to a day later.
  systems: { logistics: { partial: { probability: 0.8 } } },
  expect: { naive: { fails: ['invoice-after-delivery'] }, resilient: { fails: [] } },
});
