import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'shipment-out-of-order',
  description: '3PL status webhooks overtake each other; a delivered order must not go back to in transit',
  incident: 'Shipment status updates arrive out of sequence and a delivered order goes back to "in transit".',
  seed: 3,
  orders: { count: 40, ratePerSecond: 2 },
  faults: [{ link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'reorder', windowMs: 4 * 3600_000 }],
  expect: { naive: { fails: ['shipment-state-never-regresses'] }, resilient: { fails: [] } },
});
