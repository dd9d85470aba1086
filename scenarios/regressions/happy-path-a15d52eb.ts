/**
 * Minimal case found by `npx faultline check happy-path --seed 1 --fault-kinds response-lost --invariant settles --path 1:1:0:1:0:5:2:2:2:3:3:0:1:0:3:3:3:3:3:3:4:3/0:0:4:0:0:0:0:1 --middleware M`,
 * M being resilient with its look at the invoice before a second registration taken out (the design before 4fc89f5;
 * `lost-payment-answer.test.ts` builds it): Odoo refuses the second registration ("nothing left to pay") and the job goes round.
 * 1 order; the answer to 32% of the middleware's Odoo calls lost after the receiver processed it from 311 ms to 78.8 min; the answer to 1% of order submissions (capture → middleware) lost after the receiver processed it from 0 ms to 500 ms
 * It fails settles with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/happy-path-a15d52eb.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-a15d52eb',
  description: 'Regression: settles failed with the resilient middleware in a case generated from happy-path',
  seed: 2,
  orders: {
    count: 1,
    ratePerSecond: 2,
    arrival: 'poisson',
    maxLines: 1,
    skus: ['FL-STOCK-03', 'FL-SERV-01'],
  },
  faults: [
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'response-lost',
      probability: 0.32,
      schedule: {
        kind: 'window',
        fromMs: 311,
        toMs: 4730969,
      },
    },
    {
      link: {
        from: 'capture',
        to: 'middleware',
        path: '/orders',
      },
      kind: 'response-lost',
      probability: 0.01,
      schedule: {
        kind: 'window',
        fromMs: 0,
        toMs: 500,
      },
    },
  ],
});
