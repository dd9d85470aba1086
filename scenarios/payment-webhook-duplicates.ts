import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'payment-webhook-duplicates',
  description: 'The payment gateway delivers captured webhooks more than once; money must be applied once',
  incident: 'At-least-once webhooks: a duplicate payment.captured registers the payment twice.',
  seed: 13,
  orders: { count: 40, ratePerSecond: 2 },
  faults: [{ link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate', probability: 0.5, copies: 1, gapMs: 300 }],
  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },
});
