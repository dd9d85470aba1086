import type { HistoryEvents } from '../../../core/history.ts';
import type { LatencySummary, LiveStats } from '../../../run/result.ts';
import { Histogram } from './histogram.ts';

export interface LiveStatsInput {
  history: HistoryEvents;
  timeScale: number;
  /** Width of the throughput buckets; 1 s unless set. */
  intervalMs?: number;
  droppedArrivals?: number;
  faultErrors?: readonly string[];
  /** The scenario's arrival rate, orders per second. */
  targetRatePerSec?: number;
}

/**
 * End-to-end figures of a live run, from the history alone: when each order
 * was placed (capture's `order.placed`), first written to Odoo (the first
 * successful `sale.order` create carrying its correlation id) and invoiced
 * (the middleware's `invoice.posted`). Latencies are recorded in microseconds
 * for the histogram's precision and reported in ms.
 */
export function liveStatsOf(input: LiveStatsInput): LiveStats {
  const intervalMs = input.intervalMs ?? 1_000;
  const { placedAt, inOdooAt, invoicedAt } = orderMilestones(input.history);

  const toOdoo = new Histogram();
  const toInvoice = new Histogram();
  for (const [ref, placed] of placedAt) {
    const odoo = inOdooAt.get(ref);
    if (odoo !== undefined) toOdoo.record(Math.max(0, odoo - placed) * 1000);
    const invoiced = invoicedAt.get(ref);
    if (invoiced !== undefined) toInvoice.record(Math.max(0, invoiced - placed) * 1000);
  }

  const first = Math.min(...placedAt.values());
  const buckets = new Map<number, { placed: number; inOdoo: number }>();
  const bucket = (t: number) => {
    const start = Math.floor((t - first) / intervalMs) * intervalMs;
    let entry = buckets.get(start);
    if (entry === undefined) buckets.set(start, (entry = { placed: 0, inOdoo: 0 }));
    return entry;
  };
  if (placedAt.size > 0) {
    for (const t of placedAt.values()) bucket(t).placed++;
    for (const [ref, t] of inOdooAt) if (placedAt.has(ref)) bucket(t).inOdoo++;
  }
  // Contiguous buckets: a quiet interval shows as 0, not as a gap.
  const last = Math.max(-1, ...buckets.keys());
  const throughput: LiveStats['throughput'] = [];
  for (let startMs = 0; startMs <= last && throughput.length < 10_000; startMs += intervalMs) {
    throughput.push({ startMs, ...(buckets.get(startMs) ?? { placed: 0, inOdoo: 0 }) });
  }

  return {
    timeScale: input.timeScale,
    placedToOdooMs: summarise(toOdoo),
    placedToInvoicedMs: summarise(toInvoice),
    throughput,
    intervalMs,
    droppedArrivals: input.droppedArrivals ?? 0,
    arrivalRate: { targetPerSec: input.targetRatePerSec ?? 0, measuredPerSec: measuredRate([...placedAt.values()]) },
    faultErrors: [...(input.faultErrors ?? [])],
  };
}

export interface OrderMilestones {
  placedAt: Map<string, number>;
  inOdooAt: Map<string, number>;
  invoicedAt: Map<string, number>;
}

/** When each order (by correlation id) was placed, first created in Odoo and first invoiced: what live latency is measured between. */
export function orderMilestones(history: HistoryEvents): OrderMilestones {
  const placedAt = new Map<string, number>();
  const inOdooAt = new Map<string, number>();
  const invoicedAt = new Map<string, number>();
  for (const event of history) {
    if (event.kind === 'event' && event.corr !== undefined) {
      if (event.name === 'order.placed' && !placedAt.has(event.corr)) placedAt.set(event.corr, event.t);
      else if (event.name === 'invoice.posted' && !invoicedAt.has(event.corr)) invoicedAt.set(event.corr, event.t);
    } else if (event.kind === 'odoo' && event.corr !== undefined && event.model === 'sale.order' && event.method === 'create' && event.outcome === 'ok') {
      if (!inOdooAt.has(event.corr)) inOdooAt.set(event.corr, event.t);
    }
  }
  return { placedAt, inOdooAt, invoicedAt };
}

function summarise(histogram: Histogram): LatencySummary {
  const ms = (micros: number) => Math.round(micros) / 1000;
  const s = histogram.summary();
  return { count: s.count, p50: ms(s.p50), p95: ms(s.p95), p99: ms(s.p99), max: ms(s.max) };
}

/** Orders per second between the first and the last placement (n orders span n-1 gaps). */
function measuredRate(times: readonly number[]): number {
  if (times.length < 2) return 0;
  const span = Math.max(...times) - Math.min(...times);
  return span <= 0 ? 0 : Math.round(((times.length - 1) / span) * 1000 * 10) / 10;
}
