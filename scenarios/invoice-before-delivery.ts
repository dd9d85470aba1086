import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'invoice-before-delivery',
  description: 'Payment arrives long before the 3PL delivers; nothing may be invoiced for goods not yet delivered',
  incident: 'An invoice is created before delivery is confirmed.',
  seed: 5,
  orders: { count: 40, ratePerSecond: 2, skus: ['FL-STOCK-01', 'FL-STOCK-02', 'FL-STOCK-03'] },
  faults: [{ link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'delay', ms: 2 * 3600_000 }],
  expect: { naive: { fails: ['invoice-after-delivery'] }, resilient: { fails: [] } },
});
