import type { RunResult } from '../harness/run/result.ts';

/** How fast orders reached Odoo in one live run, from its history. */
export interface OdooThroughput {
  targetPerSec: number;
  placed: number;
  /** Arrivals the capture platform managed per second: below the target, the generator itself fell behind (a saturated event loop). */
  placedPerSec: number;
  inOdoo: number;
  /** Orders that reached Odoo per second, from the first order placed to the last one created in Odoo. */
  inOdooPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  wallMs: number;
  verdict: string;
}

export function odooThroughput(result: RunResult, targetPerSec: number): OdooThroughput {
  const placed = [...result.history].filter((e) => e.kind === 'event' && e.name === 'order.placed').map((e) => e.t);
  const created = new Map<string, number>();
  for (const e of result.history) {
    if (e.kind === 'odoo' && e.model === 'sale.order' && e.method === 'create' && e.outcome === 'ok' && e.corr !== undefined && !created.has(e.corr))
      created.set(e.corr, e.t);
  }
  const firstPlaced = Math.min(...placed);
  const lastCreated = created.size === 0 ? firstPlaced : Math.max(...created.values());
  const live = result.stats.live!;
  return {
    targetPerSec,
    placed: placed.length,
    placedPerSec: live.arrivalRate.measuredPerSec,
    inOdoo: created.size,
    inOdooPerSec: Math.round((created.size / Math.max(1, lastCreated - firstPlaced)) * 1000 * 10) / 10,
    p50Ms: live.placedToOdooMs.p50,
    p99Ms: live.placedToOdooMs.p99,
    maxMs: live.placedToOdooMs.max,
    wallMs: result.stats.wallMs,
    verdict: result.verdict,
  };
}
