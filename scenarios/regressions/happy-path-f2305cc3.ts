/**
 * Minimal case found by `npx faultline check happy-path --middleware resilient --seed 1 --path 209:1:0:0:2:3:5:4:5:5:4:5:4:5:5:5:5:5:5:4:4:4:4:4:4/0:6:3:3:4:3:3:3`:
 * 6 orders; 15% of the middleware's Odoo calls to res.partner.create delayed 11 s from 15 ms to 3 s
 * It fails one-partner-per-customer with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/happy-path-f2305cc3.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-f2305cc3',
  description: 'Regression: one-partner-per-customer failed with the resilient middleware in a case generated from happy-path',
  seed: 471603082,
  orders: { count: 6, ratePerSecond: 2, arrival: 'poisson', maxLines: 1, skus: ['FL-SERV-01'] },
  faults: [
    {
      link: { from: 'middleware', to: 'odoo', odoo: { model: 'res.partner', method: 'create' } },
      kind: 'delay',
      ms: 11000,
      probability: 0.15,
      schedule: { kind: 'window', fromMs: 15, toMs: 2991 },
    },
  ],
});
