import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'concurrent-updates',
  description: 'Odoo under concurrent writes: serialization failures and duplicated payment webhooks racing each other',
  incident: 'Two payment registrations race on one invoice and both post: the invoice reads paid, the money is applied twice.',
  seed: 29,
  orders: { count: 40, ratePerSecond: 5 },
  // Odoo's workers on: calls take time and overlap, so races between them happen as on a real server.
  systems: { odoo: { capacity: true } },
  faults: [
    { system: 'odoo', kind: 'serialization-failure', probability: 0.1 },
    { link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate', probability: 0.3, copies: 1, gapMs: 0 },
  ],
  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },
});
