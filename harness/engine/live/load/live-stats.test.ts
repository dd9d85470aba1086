import { describe, expect, it } from 'vitest';
import { History } from '../../../core/history.ts';
import { liveStatsOf } from './live-stats.ts';

describe('liveStatsOf', () => {
  it('measures placed→Odoo and placed→invoiced per order and throughput per interval', () => {
    let now = 1_000_000;
    const history = new History(() => now);
    const at = (t: number, write: () => void) => {
      now = 1_000_000 + t;
      write();
    };
    at(0, () => history.append({ kind: 'event', system: 'capture', name: 'order.placed', corr: 'CAP-1' }));
    at(500, () => history.append({ kind: 'event', system: 'capture', name: 'order.placed', corr: 'CAP-2' }));
    at(40, () => history.append({ kind: 'odoo', principal: 'mw', model: 'sale.order', method: 'create', outcome: 'ok', corr: 'CAP-1' }));
    // A retry's second create does not move the first sighting.
    at(900, () => history.append({ kind: 'odoo', principal: 'mw', model: 'sale.order', method: 'create', outcome: 'ok', corr: 'CAP-1' }));
    at(1_700, () => history.append({ kind: 'odoo', principal: 'mw', model: 'sale.order', method: 'create', outcome: 'ok', corr: 'CAP-2' }));
    at(3_000, () => history.append({ kind: 'event', system: 'middleware', name: 'invoice.posted', corr: 'CAP-1' }));

    const stats = liveStatsOf({ history: history.toArray(), timeScale: 0.01 });

    expect(stats.placedToOdooMs).toMatchObject({ count: 2, max: 1_200 });
    expect(stats.placedToOdooMs.p50).toBeCloseTo(40, 0);
    expect(stats.placedToInvoicedMs).toMatchObject({ count: 1, max: 3_000 });
    expect(stats.throughput).toEqual([
      { startMs: 0, placed: 2, inOdoo: 1 },
      { startMs: 1_000, placed: 0, inOdoo: 1 },
    ]);
  });

  it('reports no latency when nothing reached Odoo', () => {
    const stats = liveStatsOf({ history: [], timeScale: 1 });
    expect(stats.placedToOdooMs.count).toBe(0);
    expect(stats.throughput).toEqual([]);
  });
});
