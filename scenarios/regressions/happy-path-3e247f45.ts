/**
 * Minimal case found by `npx faultline check happy-path --middleware <copy> --seed 1 --path 33:3:3:3:3:3:6:5:6:7:6/0:3`,
 * where <copy> is the resilient middleware with its draft renumbering taken out (mutant `no-renumber`,
 * bench/mutants/resilient.ts): 5 orders; no injected faults; system settings: odoo capacity=true.
 * Odoo's workers let the first invoices be created at once, so two drafts hold the year's first number and
 * the second post is refused for good; that copy fails money-reconciles. The resilient middleware renames
 * the draft and posts it, and this case guards that:
 *   npx faultline run scenarios/regressions/happy-path-3e247f45.ts --middleware resilient
 * See scenarios/regressions/README.md and docs/real-odoo.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-3e247f45',
  description: 'Regression: money-reconciles failed with the resilient middleware without its draft renumbering, in a case generated from happy-path',
  incident:
    'Invoices created at once on a fresh year both take its first number as drafts; Odoo posts one and refuses the other on every retry, so its payment is never recorded.',
  seed: 940532637,
  orders: {
    count: 5,
    ratePerSecond: 8,
    arrival: 'poisson',
    maxLines: 2,
    skus: ['FL-STOCK-02', 'FL-SERV-01'],
  },
  systems: {
    odoo: {
      capacity: true,
    },
  },
  faults: [],
});
