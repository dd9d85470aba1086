/**
 * Minimal case found by `npx faultline check customer-merge-while-orders-in-flight --middleware <copy> --seed 1 --fault-kinds crash --path 10:0:0:0:0:0:0:0:0:0:0/0:2:0:0:0:0:1:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:1:0:0:0:0:0:0:0:0:0:2:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0/0:3:0:1:1:0:0:0:0:0:0/0:3:0:0:0:2:0`,
 * where <copy> is the resilient middleware as it was before its CRM sync noted its re-checks in the store
 * (middleware/resilient/crm-sync.ts, `createPartner`): 1 order; the middleware's Odoo calls to res.partner.create
 * delayed 79 ms; the middleware crashes at 1 s and again 47 ms later, each time back 16 ms later.
 * Each of the two first incarnations sends a partner create for the same CRM account and dies before the answer;
 * the third finds the first partner, has nothing to create, and so set no re-check, and the second create lands
 * after it looked: two active partners for one customer (crm-one-partner-per-customer). The resilient
 * middleware now notes the re-check before each create, durably, and every incarnation honours it:
 *   npx faultline run scenarios/regressions/customer-merge-while-orders-in-flight-86c7a521.ts --middleware resilient
 * See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'customer-merge-while-orders-in-flight-86c7a521',
  description:
    'Regression: crm-one-partner-per-customer failed with the resilient middleware before its CRM re-checks were durable, in a case generated from customer-merge-while-orders-in-flight',
  incident:
    'A customer merged in the CRM lives on in Odoo as two partners: the integration treats the merge as one more update and the orders in flight make their own.',
  seed: 1133376580,
  orders: {
    count: 1,
    ratePerSecond: 0.02,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-CONSU-02'],
  },
  systems: {
    crm: {
      customers: {
        count: 8,
      },
      edits: {
        count: 40,
        every: {
          kind: 'uniform',
          minMs: 30000,
          maxMs: 120000,
        },
        mix: {
          address: 1,
          vat: 0,
          name: 0,
          paymentTerms: 1,
          creditLimit: 1,
          duplicate: 4,
        },
      },
      duplicates: {
        resolveAfter: {
          kind: 'uniform',
          minMs: 60000,
          maxMs: 600000,
        },
        mergeProbability: 0.8,
        keepNewerProbability: 0.7,
      },
      webhooks: {
        duplicate: {
          probability: 0.3,
          copies: 1,
          gapMs: 60000,
        },
      },
    },
    capture: {
      priceDigits: 3,
      maxQuantity: 3,
    },
  },
  faults: [
    {
      link: {
        from: 'middleware',
        to: 'odoo',
        odoo: {
          model: 'res.partner',
          method: 'create',
        },
      },
      kind: 'delay',
      ms: 79,
      schedule: {
        kind: 'window',
        fromMs: 0,
        toMs: 1348,
      },
    },
    {
      system: 'middleware',
      kind: 'crash',
      restartAfterMs: 16,
      schedule: {
        kind: 'window',
        fromMs: 1000,
        toMs: 1016,
      },
    },
    {
      system: 'middleware',
      kind: 'crash',
      restartAfterMs: 16,
      schedule: {
        kind: 'window',
        fromMs: 1047,
        toMs: 1063,
      },
    },
  ],
  invariants: [
    'no-duplicate-orders',
    'every-order-arrives',
    'invoice-after-delivery',
    'shipment-state-never-regresses',
    'ships-once',
    'money-reconciles',
    'amounts-agree',
    'traceable',
    'boundaries',
    'converges',
    'settles',
    'backs-off',
    'crm-one-partner-per-customer',
    'posted-invoices-keep-fiscal-data',
    'crm-customer-converges',
  ],
});
