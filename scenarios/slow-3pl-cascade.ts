import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'slow-3pl-cascade',
  description: 'The 3PL API slows to 20 s a call; order intake must not stall behind it',
  incident: 'One slow API stalls invoicing, delivery and reporting downstream.',
  seed: 11,
  orders: { count: 40, ratePerSecond: 2 },
  faults: [{ link: { from: 'middleware', to: 'logistics', path: '/shipments' }, kind: 'latency', meanMs: 20_000, jitterMs: 5_000 }],
  expect: { naive: { fails: ['no-duplicate-orders'] }, resilient: { fails: [] } },
});
