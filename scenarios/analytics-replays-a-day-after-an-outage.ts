import { defineScenario } from '../harness/scenario/define.ts';
import { analyticsInvariants } from '../harness/invariants/analytics.ts';
import { builtInInvariants } from '../harness/invariants/built-in.ts';

const HOUR = 3_600_000;

export default defineScenario({
  name: 'analytics-replays-a-day-after-an-outage',
  description:
    "The analytics sink goes down in the morning and comes back after midnight; the day's invoices reach it only after the day closed, so the day must be replayed",
  incident:
    'Analytics totals quietly drift from what Odoo booked: an export that gave up during an outage, and rows that came after the warehouse closed the day.',
  seed: 22,
  orders: { count: 30, ratePerSecond: 0.05 },
  systems: { analytics: { allowedLatenessMs: HOUR } },
  // From 09:30 to 02:00 the next day: past the day's watermark (midnight plus the hour of allowed lateness).
  faults: [{ system: 'analytics', kind: 'outage', schedule: { kind: 'window', fromMs: HOUR / 2, toMs: 17 * HOUR } }],
  invariants: [...builtInInvariants, ...analyticsInvariants],
  expect: { naive: { fails: ['analytics-agrees-with-odoo'] }, resilient: { fails: [] } },
});
