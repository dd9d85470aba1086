import { defineScenario } from '../harness/scenario/define.ts';
import { builtInInvariants } from '../harness/invariants/built-in.ts';
import { crmInvariants } from '../harness/invariants/crm.ts';

export default defineScenario({
  name: 'crm-edit-storm-during-invoicing',
  description:
    'Sales reps edit VAT numbers, names, addresses and terms in the CRM while the same customers are being invoiced; its webhooks come late, twice and out of order',
  incident:
    'A CRM update directly triggers accounting updates without validation layers: a new VAT number lands on a customer with posted invoices and rewrites them, and a late webhook puts an old address back.',
  seed: 20,
  orders: { count: 40, ratePerSecond: 0.02 },
  systems: {
    crm: {
      customers: { count: 10 },
      edits: { count: 80, every: { kind: 'uniform', minMs: 30_000, maxMs: 180_000 }, mix: { duplicate: 0 } },
      webhooks: { reorder: { windowMs: 120_000 }, duplicate: { probability: 0.3, copies: 1, gapMs: 90_000 } },
    },
  },
  invariants: [...builtInInvariants, ...crmInvariants],
  expect: {
    naive: { fails: ['one-partner-per-customer', 'crm-one-partner-per-customer', 'posted-invoices-keep-fiscal-data', 'crm-customer-converges'] },
    resilient: { fails: [] },
  },
});
