import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path',
  description: 'No faults: every design should pass; a failure here is a bug in the middleware itself',
  seed: 1,
  orders: { count: 40, ratePerSecond: 2 },
  expect: { naive: { fails: [] }, resilient: { fails: [] } },
});
