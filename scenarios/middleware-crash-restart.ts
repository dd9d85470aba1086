import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'middleware-crash-restart',
  description: 'The middleware crashes while its Odoo calls are slow and restarts half a second later',
  incident:
    'The integration process dies in the middle of pushing an order and comes back: the new process picks the order up while calls the old one sent are still on their way to Odoo, and the order is created twice.',
  seed: 2,
  // Enough orders in flight that the crash finds some with their create already sent: only a call that went out before
  // the death reaches Odoo (a dead process sends nothing more), and the capture platform's retry then creates it again.
  orders: { count: 10, ratePerSecond: 5 },
  faults: [
    { link: { from: 'middleware', to: 'odoo' }, kind: 'latency', meanMs: 200, jitterMs: 100 },
    { system: 'middleware', kind: 'crash', restartAfterMs: 500, schedule: { kind: 'window', fromMs: 1_000, toMs: 1_500 } },
  ],
  expect: { naive: { fails: ['no-duplicate-orders'] }, resilient: { fails: [] } },
});
