import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'middleware-crash-restart',
  description: 'The middleware crashes while its Odoo calls are slow and restarts half a second later',
  incident:
    'The integration process dies in the middle of pushing an order and comes back: the new process picks the order up while calls the old one sent are still on their way to Odoo, and the order is created twice.',
  seed: 2,
  orders: { count: 1, ratePerSecond: 2 },
  faults: [
    { link: { from: 'middleware', to: 'odoo' }, kind: 'latency', meanMs: 16, jitterMs: 1_000 },
    { system: 'middleware', kind: 'crash', restartAfterMs: 500, schedule: { kind: 'window', fromMs: 1_000, toMs: 1_500 } },
  ],
  expect: { naive: { fails: ['no-duplicate-orders'] }, resilient: { fails: [] } },
});
