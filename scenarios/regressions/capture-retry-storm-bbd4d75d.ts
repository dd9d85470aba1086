/**
 * Minimal case found by `npx faultline check capture-retry-storm --middleware resilient --seed 2 --fault-kinds duplicate,reorder,delay --path 72:6:6:6:6:6:6:9:9:9:16:9:9:11:9:9:30:10:10:11:9:9:10:10:9:9:9:9:10:9:10:9:9:9:11:11:16`:
 * 39 orders; the answer to 30% of order submissions (capture → middleware) lost after the receiver processed it; 10% of order submissions (capture → middleware) delivered twice at once from 77 ms to 38.2 s; the middleware's Odoo calls held back up to 10.5 s, so later ones overtake them from 61.8 min to 61.9 min; the middleware's 3PL API calls held back up to 80.6 s, so later ones overtake them from 35.7 min to 36.1 min; the middleware's 3PL API calls held back up to 2.6 min, so later ones overtake them from 69.4 min to 69.9 min; system settings: capture retry.timeoutMs=5000, capture retry.attempts=4, capture retry.idempotencyKey="reuse", odoo capacity=true
 * What failed: the registration of CAP-000003's payment was held 10.3 s on the wire, past the 10 s Odoo timeout;
 * the retry found the invoice unpaid and registered again, and the late call posted a second payment.
 * The fix is the payment audit (middleware/resilient/payment-audit.ts), which cancels the unreconciled surplus.
 * It fails money-reconciles with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/capture-retry-storm-bbd4d75d.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'capture-retry-storm-bbd4d75d',
  description: 'Regression: money-reconciles failed with the resilient middleware in a case generated from capture-retry-storm',
  incident:
    'A capture platform retries after a timeout even though the first request went through, and Odoo gets the order twice: Odoo does not de-duplicate client_order_ref.',
  seed: 772923433,
  orders: {
    count: 39,
    ratePerSecond: 16,
    arrival: 'ramp',
    maxLines: 2,
    skus: ['FL-CONSU-02', 'FL-STOCK-01', 'FL-STOCK-03', 'FL-SERV-01'],
  },
  systems: {
    capture: {
      retry: {
        timeoutMs: 5000,
        attempts: 4,
        idempotencyKey: 'reuse',
      },
    },
    odoo: {
      capacity: true,
    },
  },
  faults: [
    {
      link: {
        from: 'capture',
        to: 'middleware',
        path: '/orders',
      },
      kind: 'response-lost',
      probability: 0.3,
    },
    {
      link: {
        from: 'capture',
        to: 'middleware',
        path: '/orders',
      },
      kind: 'duplicate',
      probability: 0.1,
      copies: 1,
      gapMs: 0,
      schedule: {
        kind: 'window',
        fromMs: 77,
        toMs: 38155,
      },
    },
    {
      link: {
        from: 'middleware',
        to: 'odoo',
      },
      kind: 'reorder',
      windowMs: 10486,
      schedule: {
        kind: 'window',
        fromMs: 3710708,
        toMs: 3711708,
      },
    },
    {
      link: {
        from: 'middleware',
        to: 'logistics',
      },
      kind: 'reorder',
      windowMs: 80605,
      schedule: {
        kind: 'window',
        fromMs: 2143976,
        toMs: 2168643,
      },
    },
    {
      link: {
        from: 'middleware',
        to: 'logistics',
      },
      kind: 'reorder',
      windowMs: 157657,
      schedule: {
        kind: 'window',
        fromMs: 4162306,
        toMs: 4196732,
      },
    },
  ],
});
