import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'lost-webhooks-reconciliation',
  description: 'A share of payment and 3PL webhooks never arrive; reconciliation must repair the gaps',
  incident: 'Webhooks lost for good: without a reconciliation job, paid orders stay unpaid in Odoo.',
  seed: 23,
  orders: { count: 40, ratePerSecond: 2 },
  // Lost for good: the senders give up on these webhooks (a network drop alone would be retried).
  systems: {
    payment: { webhooks: { drop: { probability: 0.3 } } },
    logistics: { webhooks: { drop: { probability: 0.3 } } },
  },
  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },
});
