import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'lost-webhooks-reconciliation',
  description: 'A share of payment and 3PL webhooks never arrive; reconciliation must repair the gaps',
  incident: 'Webhooks lost for good: without a reconciliation job, paid orders stay unpaid in Odoo.',
  seed: 23,
  orders: { count: 40, ratePerSecond: 2 },
  faults: [
    { link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'drop', probability: 0.3 },
    { link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'drop', probability: 0.3 },
  ],
  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },
});
