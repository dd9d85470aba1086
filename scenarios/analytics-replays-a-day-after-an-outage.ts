import { defineScenario } from '../harness/scenario/define.ts';
import { analyticsInvariants } from '../harness/invariants/analytics.ts';
import { builtInInvariants } from '../harness/invariants/built-in.ts';

const HOUR = 3_600_000;

export default defineScenario({
  name: 'analytics-replays-a-day-after-an-outage',
  description: 'The analytics sink is down from the evening until after midnight; the invoices of that evening reach it only after the day closed, so the day must be replayed',
  incident: 'Analytics totals quietly drift from what Odoo booked: an export that gave up during an outage, and rows that came after the warehouse closed the day.',
  seed: 22,
  orders: { count: 40, ratePerSecond: 1 / 1_500 },
  systems: { analytics: { allowedLatenessMs: HOUR } },
  faults: [{ system: 'analytics', kind: 'outage', schedule: { kind: 'window', fromMs: 11 * HOUR, toMs: 16.5 * HOUR } }],
  // Not `converges`: the load spans 17 hours to cross midnight, and a generated storm as long as the load
  // (10 s on every Odoo call for hours) keeps any design's orders out of Odoo past its 15-minute bound.
  invariants: [...builtInInvariants.filter((i) => i.name !== 'converges'), ...analyticsInvariants],
  expect: { naive: { fails: ['analytics-agrees-with-odoo'] }, resilient: { fails: [] } },
});
