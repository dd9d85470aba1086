import { defineScenario } from '../harness/scenario/define.ts';
import { builtInInvariants } from '../harness/invariants/built-in.ts';
import { crmInvariants } from '../harness/invariants/crm.ts';

export default defineScenario({
  name: 'customer-merge-while-orders-in-flight',
  description:
    'Reps enter customers twice and merge the duplicates, often keeping the newer record, while the storefront keeps taking orders under the merged-away account; merge webhooks come twice',
  incident:
    'A customer merged in the CRM lives on in Odoo as two partners: the integration treats the merge as one more update and the orders in flight make their own.',
  seed: 21,
  orders: { count: 40, ratePerSecond: 0.02 },
  systems: {
    crm: {
      customers: { count: 8 },
      edits: {
        count: 40,
        every: { kind: 'uniform', minMs: 30_000, maxMs: 120_000 },
        mix: { address: 1, vat: 0, name: 0, paymentTerms: 1, creditLimit: 1, duplicate: 4 },
      },
      duplicates: { resolveAfter: { kind: 'uniform', minMs: 60_000, maxMs: 600_000 }, mergeProbability: 0.8, keepNewerProbability: 0.7 },
      webhooks: { duplicate: { probability: 0.3, copies: 1, gapMs: 60_000 } },
    },
  },
  invariants: [...builtInInvariants, ...crmInvariants],
  expect: { naive: { fails: ['one-partner-per-customer', 'crm-one-partner-per-customer'] }, resilient: { fails: [] } },
});
