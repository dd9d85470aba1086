import { defineScenario } from '../harness/scenario/define.ts';

export default defineScenario({
  name: 'odoo-outage-recovery',
  description: 'Odoo answers 503 for four minutes mid-load; every paid order must still reach it afterwards',
  incident: 'A failed call is never retried and an order silently never arrives.',
  seed: 17,
  orders: { count: 60, ratePerSecond: 0.2 },
  faults: [{ system: 'odoo', kind: 'outage', status: 503, schedule: { kind: 'window', fromMs: 60_000, toMs: 300_000 } }],
  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },
});
