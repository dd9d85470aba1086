import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../core/faults.ts';
import { longestStretchMs, middlewareDown, odooDown as odooDownAfter, withinLimit, withinOdooBudget } from './downtimes.ts';

const MIN = 60_000;
const window = (fromMs: number, toMs: number) => ({ kind: 'window' as const, fromMs, toMs });
const odooOutage = (fromMs: number, toMs: number): FaultSpec => ({ system: 'odoo', kind: 'outage', status: 503, schedule: window(fromMs, toMs) });
const methodOut = (fromMs: number, toMs: number): FaultSpec => ({
  link: { from: 'middleware', to: 'odoo', odoo: { model: 'res.partner', method: 'create' } },
  kind: 'http-error',
  status: 503,
  schedule: window(fromMs, toMs),
});
const crash = (fromMs: number, restartAfterMs: number): FaultSpec => ({
  system: 'middleware',
  kind: 'crash',
  restartAfterMs,
  schedule: window(fromMs, fromMs + restartAfterMs),
});
const budget = { joinMs: 2 * MIN, limitMs: 12 * MIN };
/** The reference designs give up on an Odoo call after 10 s. */
const odooDown = odooDownAfter(10_000);

describe('stretches of downtime', () => {
  it('join windows whose gap is shorter than a sender may sleep through, and keep apart the others', () => {
    expect(
      longestStretchMs(
        [
          [0, 4 * MIN],
          [4.5 * MIN, 10 * MIN],
        ],
        2 * MIN,
      ),
    ).toBe(10 * MIN);
    expect(
      longestStretchMs(
        [
          [0, 4 * MIN],
          [7 * MIN, 10 * MIN],
        ],
        2 * MIN,
      ),
    ).toBe(4 * MIN);
  });

  it('count what shuts Odoo to the middleware: an outage, a cut link, a method refusing every call; not a share of calls failing', () => {
    expect(odooDown(odooOutage(1, 2))).toEqual([[1, 2]]);
    expect(odooDown(methodOut(1, 2))).toEqual([[1, 2]]);
    expect(odooDown({ link: { from: 'middleware', to: 'odoo' }, kind: 'link-down', schedule: window(1, 2) })).toEqual([[1, 2]]);
    expect(odooDown({ link: { from: 'middleware', to: 'odoo' }, kind: 'http-error', status: 503, probability: 0.3, schedule: window(1, 2) })).toEqual([]);
    expect(odooDown({ system: 'logistics', kind: 'outage', status: 503, schedule: window(1, 2) })).toEqual([]);
    expect(middlewareDown(crash(1_000, 500))).toEqual([[1_000, 1_500]]);
  });

  it('count every Odoo call held so long that no answer can come back before the caller gives up', () => {
    const toOdoo = { from: 'middleware', to: 'odoo' };
    // crm-edit-storm-during-invoicing, case 78 of seed 1 (duplicate,reorder,delay): every call held 9,973 ms for 14.9 min, answered after the 10 s timeout.
    expect(odooDown({ link: toOdoo, kind: 'delay', ms: 9_973, schedule: window(0, 896_882) })).toEqual([[0, 896_882]]);
    expect(odooDown({ link: toOdoo, kind: 'latency', meanMs: 12_000, schedule: window(1, 2) })).toEqual([[1, 2]]);
    expect(odooDown({ link: toOdoo, kind: 'delay', ms: 5_000, schedule: window(1, 2) })).toEqual([]);
    // A share of the calls held past the timeout: the rest get through, Odoo is not shut.
    expect(odooDown({ link: toOdoo, kind: 'delay', ms: 12_000, probability: 0.3, schedule: window(1, 2) })).toEqual([]);
    expect(odooDown({ link: toOdoo, kind: 'reorder', windowMs: 60_000, schedule: window(1, 2) })).toEqual([]);
    expect(odooDownAfter(30_000)({ link: toOdoo, kind: 'delay', ms: 9_973, schedule: window(1, 2) })).toEqual([]);
    expect(odooDown({ link: { from: 'middleware', to: 'logistics' }, kind: 'delay', ms: 60_000, schedule: window(1, 2) })).toEqual([]);
  });
});

describe('keeping a case inside its downtime budget', () => {
  it("cuts a method's outage short where it would follow the scenario's own Odoo outage past the budget", () => {
    // odoo-outage-recovery, case 591 of seed 1: Odoo out from 1 to 5 min, then res.partner.create refused from 5.4 to 15.7 min.
    const [clipped] = withinOdooBudget([odooOutage(1 * MIN, 5 * MIN)], [methodOut(5.4 * MIN, 15.7 * MIN)], odooDown, budget);
    const to = (clipped!.schedule as { toMs: number }).toMs;
    expect(to).toBeLessThan(13 * MIN);
    expect(to - 1 * MIN).toBeLessThan(budget.limitMs);
    expect(to - 1 * MIN).toBeGreaterThanOrEqual(budget.limitMs - 1);
  });

  it('keeps an aim that fits as it is, and leaves out one that cannot strike even for a moment', () => {
    const aim = methodOut(10 * MIN, 18 * MIN);
    expect(withinOdooBudget([odooOutage(1 * MIN, 5 * MIN)], [aim], odooDown, budget)).toEqual([aim]);
    expect(withinOdooBudget([odooOutage(0, 12 * MIN)], [methodOut(12.5 * MIN, 14 * MIN)], odooDown, budget)).toEqual([]);
  });

  it('drops the generated faults that would join the others into a stretch over the budget, keeping the rest in order', () => {
    const fixed = [odooOutage(1 * MIN, 5 * MIN)];
    const joins = odooOutage(6 * MIN, 14 * MIN);
    const apart = odooOutage(20 * MIN, 25 * MIN);
    const unrelated = crash(2 * MIN, 1_000);
    expect(withinLimit(fixed, [joins, unrelated, apart], odooDown, budget)).toEqual([unrelated, apart]);
  });
});
