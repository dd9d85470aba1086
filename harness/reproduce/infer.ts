/**
 * From a timeline to a scenario: the load as the capture export recorded it,
 * the faults the evidence shows (each with the lines that justify it), and the
 * invariants the incident broke. What the evidence cannot tell is said, never
 * guessed silently.
 */
import type { FaultSchedule, FaultSpec } from '../core/faults.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { CATALOGUE, productBySku } from '../world/catalogue.ts';
import type { Citation, EvidenceEvent } from './evidence.ts';
import { scriptFromEvidence } from './script-from-evidence.ts';
import type { InferredScript } from './script-from-evidence.ts';
import { byTime, cite, odooOrderCreations } from './timeline.ts';
import type { Gap, Timeline } from './timeline.ts';

/** One inferred fault or knob, with why and the evidence lines that justify it. */
export interface Inferred {
  why: string;
  evidence: Citation[];
}

export interface InferredFault extends Inferred {
  fault: FaultSpec;
}

export interface InferredKnob extends Inferred {
  system: 'capture' | 'payment' | 'logistics';
  /** Dotted path under `systems.<system>`. */
  path: string;
  value: unknown;
}

export interface Inference {
  scenario: Scenario;
  /** The invariants the evidence shows broken, with the orders that show it. */
  violations: Array<{ invariant: string; orders: string[]; why: string; evidence: Citation[] }>;
  faults: InferredFault[];
  knobs: InferredKnob[];
  load: Inferred;
  /** What the evidence does not say, and what was assumed instead. */
  insufficient: string[];
  /** When the incident's first order was placed: the scenario's time zero. */
  startAt: number;
  /**
   * The recorded orders and deliveries, one by one, when the evidence has a capture export; `shows` says what
   * the scripted deliveries reproduce (duplicates, reordering) that would otherwise be inferred as faults.
   */
  script?: InferredScript & { shows: InferredFault[] };
}

const GAP_INVARIANT: Record<Gap['kind'], string | undefined> = {
  'two-odoo-orders': 'no-duplicate-orders',
  'invoice-before-delivery': 'invoice-after-delivery',
  'shipment-regressed': 'shipment-state-never-regresses',
  'payment-recorded-twice': 'money-reconciles',
  // A missing log line is a question for the timeline, not proof that money went astray.
  'webhook-without-odoo-change': undefined,
};

type Placed = Extract<EvidenceEvent, { kind: 'order.placed' }>;
type Status = Extract<EvidenceEvent, { kind: 'shipment.status' }>;
type Payment = Extract<EvidenceEvent, { kind: 'payment.event' }>;
type Http = Extract<EvidenceEvent, { kind: 'http.request' }>;

const round = (n: number, digits = 3): number => Number(n.toPrecision(digits));
const share = (count: number, of: number): number => Math.min(1, round(count / Math.max(1, of), 2));
const MARGIN_MS = 1000;

/** A window around the affected moments; the whole run when they span most of it. */
function windowFor(times: readonly number[], startAt: number, spanMs: number): FaultSchedule | undefined {
  const from = Math.max(0, Math.min(...times) - startAt - MARGIN_MS);
  const to = Math.max(...times) - startAt + MARGIN_MS;
  if (from < spanMs * 0.1 && to > spanMs * 0.9) return undefined;
  return { kind: 'window', fromMs: Math.round(from), toMs: Math.round(to) };
}

function withSchedule(fault: FaultSpec, schedule: FaultSchedule | undefined): FaultSpec {
  return schedule === undefined ? fault : { ...fault, schedule };
}

function linkFor(path: string): { from: string; to: string; path: string } | undefined {
  if (path.startsWith('/orders')) return { from: 'capture', to: 'middleware', path: '/orders' };
  if (path.startsWith('/webhooks/payment')) return { from: 'payment', to: 'middleware', path: '/webhooks/payment' };
  if (path.startsWith('/webhooks/logistics')) return { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' };
  if (path.startsWith('/jsonrpc') || path.startsWith('/xmlrpc') || path.startsWith('/web/dataset'))
    return { from: 'middleware', to: 'odoo', path: path.startsWith('/xmlrpc') ? '/xmlrpc/2' : '/jsonrpc' };
  return undefined;
}

/** Orders whose answer was lost: an attempt that got none, though the middleware had already taken the order. */
function lostAnswers(placed: readonly Placed[], timeline: Timeline): { orders: Placed[]; evidence: Citation[] } {
  const orders: Placed[] = [];
  const evidence: Citation[] = [];
  const byRef = new Map(timeline.orders.map((o) => [o.orderRef, o.events]));
  for (const order of placed) {
    const attempts = [...order.attempts].sort((a, b) => a.attempt - b.attempt);
    const events = byRef.get(order.orderRef) ?? [];
    for (let i = 0; i + 1 < attempts.length; i++) {
      const a = attempts[i]!;
      if (a.outcome === 'ok' || (a.status !== undefined && a.status < 300)) continue;
      const next = attempts[i + 1]!.at;
      // The middleware (its log, or the access log in front of it answering 2xx) took the order before the retry.
      const taken =
        odooOrderCreations(events)
          .map((c) => c.event)
          .find((e) => e.at >= a.at && e.at < next) ??
        events.find((e): e is Http => e.kind === 'http.request' && e.path.startsWith('/orders') && e.status < 300 && e.at >= a.at && e.at < next);
      if (taken !== undefined) {
        orders.push(order);
        evidence.push(cite(order), cite(taken));
        break;
      }
    }
  }
  return { orders, evidence };
}

/**
 * Lost answers seen in the access log alone, for orders whose attempts the export does not list: the same order
 * submitted again after the middleware had answered it with a 2xx, so the answer never reached the caller.
 */
function lostAnswersInAccessLog(http: readonly Http[], known: ReadonlySet<string>): { refs: Array<{ ref: string; at: number }>; evidence: Citation[] } {
  const byRef = new Map<string, Http[]>();
  for (const h of http)
    if (h.orderRef !== undefined && !known.has(h.orderRef) && h.method === 'POST' && h.path.startsWith('/orders'))
      byRef.set(h.orderRef, [...(byRef.get(h.orderRef) ?? []), h]);
  const refs: Array<{ ref: string; at: number }> = [];
  const evidence: Citation[] = [];
  for (const [ref, list] of byRef) {
    const sorted = [...list].sort(byTime);
    const answered = sorted.findIndex((h) => h.status < 300);
    if (answered >= 0 && answered < sorted.length - 1) {
      refs.push({ ref, at: sorted[answered]!.at });
      evidence.push(cite(sorted[answered]!), cite(sorted[answered + 1]!));
    }
  }
  return { refs, evidence };
}

/** How many of an order's attempts went unanswered before the first one answered. */
function unansweredBeforeOk(order: Placed): number {
  const attempts = [...order.attempts].sort((a, b) => a.attempt - b.attempt);
  const ok = attempts.findIndex((a) => a.outcome === 'ok' || (a.status !== undefined && a.status < 300));
  return ok < 0 ? attempts.length : ok;
}

/** The client's timeout: the smallest gap between a failed attempt and the next, less the first back-off (1 s by default). */
function captureTimeout(placed: readonly Placed[]): { ms: number; evidence: Citation[] } | undefined {
  let best: { gap: number; order: Placed } | undefined;
  for (const order of placed) {
    const attempts = [...order.attempts].sort((a, b) => a.attempt - b.attempt);
    for (let i = 0; i + 1 < attempts.length; i++) {
      if (attempts[i]!.outcome === 'ok') continue;
      const gap = attempts[i + 1]!.at - attempts[i]!.at;
      if (best === undefined || gap < best.gap) best = { gap, order };
    }
  }
  if (best === undefined) return undefined;
  return { ms: Math.max(1000, Math.round((best.gap - 500) / 1000) * 1000), evidence: [cite(best.order)] };
}

/** Runs of 5xx answers on one link: an outage window. */
function outages(http: readonly Http[], startAt: number): InferredFault[] {
  const out: InferredFault[] = [];
  const byLink = new Map<string, Http[]>();
  for (const h of http) {
    const link = linkFor(h.path);
    if (link !== undefined) byLink.set(`${link.from}>${link.to}`, [...(byLink.get(`${link.from}>${link.to}`) ?? []), h]);
  }
  for (const [key, list] of byLink) {
    const sorted = [...list].sort(byTime);
    let run: Http[] = [];
    const flush = (): void => {
      if (run.length >= 3) {
        const [from, to] = key.split('>') as [string, string];
        const status = run[0]!.status;
        const fromMs = Math.max(0, run[0]!.at - startAt);
        const toMs = run.at(-1)!.at - startAt + Math.max(1, run.at(-1)!.requestTimeMs ?? 1);
        const fault: FaultSpec =
          to === 'odoo'
            ? { system: 'odoo', kind: 'outage', status, schedule: { kind: 'window', fromMs: Math.round(fromMs), toMs: Math.round(toMs) } }
            : { link: { from, to }, kind: 'http-error', status, schedule: { kind: 'window', fromMs: Math.round(fromMs), toMs: Math.round(toMs) } };
        out.push({
          fault,
          why: `${run.length} answers in a row were ${status} on ${from} → ${to} from ${new Date(run[0]!.at).toISOString()} to ${new Date(run.at(-1)!.at).toISOString()}`,
          evidence: run.map(cite),
        });
      }
      run = [];
    };
    for (const h of sorted) {
      // 499: the client gave up waiting (nginx), as much a sign of the outage as the 5xx around it.
      if (h.status >= 500 || h.status === 499) run.push(h);
      else flush();
    }
    flush();
  }
  return out;
}

/** Slow answers on a link: latency with the median as mean and the spread to the 90th percentile as jitter. */
function latencies(http: readonly Http[]): InferredFault[] {
  const out: InferredFault[] = [];
  const byLink = new Map<string, Http[]>();
  for (const h of http) {
    const link = linkFor(h.path);
    if (link !== undefined && h.requestTimeMs !== undefined && h.status < 500)
      byLink.set(JSON.stringify(link), [...(byLink.get(JSON.stringify(link)) ?? []), h]);
  }
  for (const [key, list] of byLink) {
    const times = list.map((h) => h.requestTimeMs!).sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p90 = times[Math.floor(times.length * 0.9)]!;
    // Below a quarter second a request time is the work itself, not a fault worth simulating.
    if (median < 250) continue;
    const slow = list.filter((h) => h.requestTimeMs! >= median).slice(0, 20);
    const link = JSON.parse(key) as { from: string; to: string; path: string };
    out.push({
      fault: { link, kind: 'latency', meanMs: median, jitterMs: Math.max(0, p90 - median) },
      why: `${list.length} requests on ${link.from} → ${link.to} took ${median} ms at the median, ${p90} ms at the 90th percentile ($request_time)`,
      evidence: slow.map(cite),
    });
  }
  return out;
}

/** The same (shipment, sequence) or payment event delivered more than once. */
function repeatedDeliveries<T extends EvidenceEvent>(events: readonly T[], key: (e: T) => string): { repeated: T[][]; total: number } {
  const groups = new Map<string, T[]>();
  for (const e of events) groups.set(key(e), [...(groups.get(key(e)) ?? []), e]);
  // A retry after a failed delivery is the sender doing its job; a duplicate is a second delivery after one that
  // succeeded (2xx), or a copy with the same attempt number.
  const duplicated = (g: readonly T[]): boolean => {
    const sorted = [...g].sort(byTime);
    return sorted.some(
      (later, i) =>
        i > 0 &&
        sorted.slice(0, i).some((earlier) => {
          const status = 'status' in earlier ? earlier.status : undefined;
          const attempt = (e: EvidenceEvent): number | undefined => ('attempt' in e ? e.attempt : undefined);
          return (
            (typeof status === 'number' && status < 300) ||
            (attempt(earlier) !== undefined && attempt(earlier) === attempt(later)) ||
            (attempt(earlier) === undefined && status === undefined)
          );
        }),
    );
  };
  return { repeated: [...groups.values()].filter((g) => g.length > 1 && duplicated(g)), total: groups.size };
}

/** Statuses the middleware received after a later step of the same shipment. */
function outOfOrder(statuses: readonly Status[]): { late: Array<{ late: Status; overtaken: Status }>; windowMs: number } {
  const late: Array<{ late: Status; overtaken: Status }> = [];
  let windowMs = 0;
  const byShipment = new Map<string, Status[]>();
  for (const s of statuses)
    if (s.deliveredAt !== undefined && s.sequence !== undefined) byShipment.set(s.shipmentId, [...(byShipment.get(s.shipmentId) ?? []), s]);
  for (const list of byShipment.values()) {
    const arrived = [...list].sort((a, b) => a.deliveredAt! - b.deliveredAt! || a.line - b.line);
    let highest: Status | undefined;
    for (const s of arrived) {
      if (highest !== undefined && s.sequence! < highest.sequence!) {
        late.push({ late: s, overtaken: highest });
        windowMs = Math.max(windowMs, s.deliveredAt! - s.at);
      } else if (highest === undefined || s.sequence! > highest.sequence!) highest = s;
    }
  }
  return { late, windowMs };
}

/** Evidence skus the simulated catalogue does not sell become catalogue products of the same kind (shipped or not). */
function catalogueSkus(
  placed: readonly Placed[],
  shippedRefs: ReadonlySet<string>,
  insufficient: string[],
): { skus: string[] | undefined; skuFor: Map<string, string> } {
  const skus = new Set<string>();
  const unknown = new Map<string, boolean>();
  const skuFor = new Map<string, string>();
  for (const order of placed) {
    for (const line of order.lines) {
      if (productBySku(line.sku) !== undefined) skus.add(line.sku);
      else unknown.set(line.sku, (unknown.get(line.sku) ?? false) || shippedRefs.has(order.orderRef));
    }
  }
  if (unknown.size > 0) {
    const stock = CATALOGUE.filter((p) => p.invoicePolicy === 'delivery').map((p) => p.sku);
    const other = CATALOGUE.filter((p) => p.kind === 'consu').map((p) => p.sku);
    let s = 0;
    let o = 0;
    const mapped: string[] = [];
    for (const [sku, shipped] of [...unknown.entries()].sort()) {
      const to = shipped ? stock[s++ % stock.length]! : other[o++ % other.length]!;
      skus.add(to);
      skuFor.set(sku, to);
      mapped.push(`${sku} → ${to}`);
    }
    insufficient.push(
      `${unknown.size} skus are not in the simulated catalogue and stand in as products of the same kind (shipped → stocked, invoiced on delivery): ${mapped.slice(0, 8).join(', ')}${mapped.length > 8 ? ', …' : ''}`,
    );
  }
  return { skus: skus.size > 0 ? [...skus].sort() : undefined, skuFor };
}

/** Statuses whose delay from the previous one the 3PL simulator draws; `picked` counts from a creation the feed does not show. */
const TIMED_STEPS = ['packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'];

/** How long the 3PL took from each status to the next, as the feed's occurred-at times show: the range seen, per step. */
function stepTimings(statuses: readonly Status[]): InferredKnob[] {
  const byShipment = new Map<string, Map<number, Status>>();
  for (const s of statuses) {
    if (s.sequence === undefined) continue;
    const steps = byShipment.get(s.shipmentId) ?? new Map<number, Status>();
    if (!steps.has(s.sequence)) steps.set(s.sequence, s);
    byShipment.set(s.shipmentId, steps);
  }
  const knobs: InferredKnob[] = [];
  for (const step of TIMED_STEPS) {
    const gaps: Array<{ ms: number; event: Status }> = [];
    for (const steps of byShipment.values()) {
      for (const s of steps.values()) {
        const before = steps.get(s.sequence! - 1);
        if (s.status === step && before !== undefined && s.at >= before.at) gaps.push({ ms: s.at - before.at, event: s });
      }
    }
    // Fewer than three say little about a range; the simulator's default stays.
    if (gaps.length < 3) continue;
    gaps.sort((a, b) => a.ms - b.ms);
    const minMs = Math.floor(gaps[0]!.ms / 1000) * 1000;
    const maxMs = Math.max(minMs + 1000, Math.ceil(gaps.at(-1)!.ms / 1000) * 1000);
    knobs.push({
      system: 'logistics',
      path: `steps.${step}`,
      value: { kind: 'uniform', minMs, maxMs },
      why: `${gaps.length} shipments reached ${step} ${Math.round(minMs / 1000)} s to ${Math.round(maxMs / 1000)} s after the step before`,
      evidence: [cite(gaps[0]!.event), cite(gaps.at(-1)!.event)],
    });
  }
  return knobs;
}

/** How long first deliveries took from the event to the middleware: the mean, as the simulators' exponential delay. */
function webhookDelays(system: 'payment' | 'logistics', events: ReadonlyArray<Payment | Status>): InferredKnob[] {
  const first = events.filter((e) => e.deliveredAt !== undefined && (e.attempt ?? 1) === 1 && e.deliveredAt >= e.at);
  if (first.length < 3) return [];
  const meanMs = Math.round(first.reduce((sum, e) => sum + (e.deliveredAt! - e.at), 0) / first.length);
  const slowest = [...first].sort((a, b) => b.deliveredAt! - b.at - (a.deliveredAt! - a.at))[0]!;
  return [
    {
      system,
      path: 'webhooks.delay',
      value: { kind: 'exponential', meanMs },
      why: `${first.length} first deliveries reached the middleware ${meanMs} ms after their event on average`,
      evidence: [cite(first[0]!), cite(slowest)],
    },
  ];
}

export interface InferOptions {
  name: string;
  /** The incident in the team's words, kept in the scenario. */
  incident?: string;
}

export function inferScenario(timeline: Timeline, options: InferOptions): Inference {
  const insufficient: string[] = [];
  const placed = timeline.events.filter((e): e is Placed => e.kind === 'order.placed');
  const statuses = timeline.events.filter((e): e is Status => e.kind === 'shipment.status');
  const payments = timeline.events.filter((e): e is Payment => e.kind === 'payment.event');
  const http = timeline.events.filter((e): e is Http => e.kind === 'http.request');

  // The load: the export's orders, else every reference any source names.
  let count: number;
  let times: number[];
  let load: Inferred;
  if (placed.length > 0) {
    count = placed.length;
    times = placed.map((p) => p.at).sort((a, b) => a - b);
    load = {
      why: `${count} orders in the capture export, placed from ${new Date(times[0]!).toISOString()} to ${new Date(times.at(-1)!).toISOString()}`,
      evidence: [cite(placed[0]!), cite(placed.at(-1)!)],
    };
  } else {
    count = timeline.orders.length;
    times = timeline.orders.map((o) => o.events[0]!.at).sort((a, b) => a - b);
    insufficient.push('no capture order export: the orders are the references the other sources name, placed at their first mention, with generated lines');
    load = { why: `${count} order references across the evidence`, evidence: timeline.orders.slice(0, 2).map((o) => cite(o.events[0]!)) };
  }
  if (count === 0) {
    return {
      scenario: { name: options.name, description: 'No orders in the evidence', orders: { count: 0 } },
      violations: [],
      faults: [],
      knobs: [],
      load,
      insufficient: [...insufficient, 'the evidence names no order at all: nothing to reproduce'],
      startAt: 0,
    };
  }
  const startAt = times[0]!;
  const spanMs = Math.max(1, times.at(-1)! - startAt);
  const ratePerSecond = count > 1 ? round(((count - 1) * 1000) / spanMs) : 1;
  const shippedRefs = new Set(statuses.map((s) => s.orderRef));
  const { skus, skuFor } = catalogueSkus(placed, shippedRefs, insufficient);
  const maxLines = placed.length > 0 ? Math.max(...placed.map((p) => p.lines.length)) : undefined;

  const faults: InferredFault[] = [];
  const knobs: InferredKnob[] = [];

  // What the script replays one by one (each order's lost answers, each delivery) is not also a fault: a fault
  // would strike other orders, or act on the replayed deliveries again.
  const scripting = placed.length > 0;
  const shows: InferredFault[] = [];
  const lost = lostAnswers(placed, timeline);
  const withAttempts = new Set(placed.filter((p) => p.attempts.length > 0).map((p) => p.orderRef));
  const fromLog = lostAnswersInAccessLog(http, withAttempts);
  const lostCount = lost.orders.length + fromLog.refs.length;
  if (lostCount > 0) {
    const why = [
      lost.orders.length > 0
        ? `${lost.orders.length} of ${count} orders were retried by the capture platform after an attempt with no answer, though the middleware had already taken them`
        : '',
      fromLog.refs.length > 0
        ? `${fromLog.refs.length} ${fromLog.refs.length === 1 ? 'order was' : 'orders were'} submitted again after the middleware had answered them 2xx (access log)`
        : '',
    ]
      .filter((w) => w !== '')
      .join('; ');
    (scripting ? shows : faults).push({
      fault: withSchedule(
        { link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: share(lostCount, count) },
        windowFor([...lost.orders.map((o) => o.at), ...fromLog.refs.map((r) => r.at)], startAt, spanMs),
      ),
      why: `${why} (a lost answer)`,
      evidence: [...lost.evidence, ...fromLog.evidence],
    });
    const timeout = captureTimeout(placed);
    if (timeout !== undefined)
      knobs.push({
        system: 'capture',
        path: 'retry.timeoutMs',
        value: timeout.ms,
        why: `the shortest gap between an unanswered attempt and its retry is about ${timeout.ms} ms plus the first back-off`,
        evidence: timeout.evidence,
      });
  } else if (placed.some((p) => p.attempts.length > 1 || (p.retries ?? 0) > 0)) {
    insufficient.push(
      'the capture export shows retries, but no middleware log or access log shows whether the first attempt reached the middleware: a lost answer cannot be told from a lost request',
    );
  }

  faults.push(...outages(http, startAt), ...latencies(http));

  const paymentScripted = scripting && payments.some((p) => p.deliveredAt !== undefined);
  const shipmentsScripted = scripting && statuses.length > 0;
  const paymentDeliveries = repeatedDeliveries(payments, (p) => p.eventId);
  if (paymentDeliveries.repeated.length > 0) {
    const copies = Math.max(...paymentDeliveries.repeated.map((g) => g.length)) - 1;
    (paymentScripted ? shows : faults).push({
      fault: {
        link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' },
        kind: 'duplicate',
        probability: share(paymentDeliveries.repeated.length, paymentDeliveries.total),
        copies,
      },
      why: `${paymentDeliveries.repeated.length} of ${paymentDeliveries.total} payment events were delivered more than once`,
      evidence: paymentDeliveries.repeated.flat().slice(0, 20).map(cite),
    });
  }
  const shipmentDeliveries = repeatedDeliveries(
    statuses.filter((s) => s.sequence !== undefined),
    (s) => `${s.shipmentId}#${s.sequence}`,
  );
  if (shipmentDeliveries.repeated.length > 0) {
    (shipmentsScripted ? shows : faults).push({
      fault: {
        link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' },
        kind: 'duplicate',
        probability: share(shipmentDeliveries.repeated.length, shipmentDeliveries.total),
      },
      why: `${shipmentDeliveries.repeated.length} of ${shipmentDeliveries.total} 3PL status updates were delivered more than once`,
      evidence: shipmentDeliveries.repeated.flat().slice(0, 20).map(cite),
    });
  }
  const reordered = outOfOrder(statuses);
  if (reordered.late.length > 0) {
    (shipmentsScripted ? shows : faults).push({
      fault: { link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'reorder', windowMs: Math.round(reordered.windowMs) },
      why: `${reordered.late.length} 3PL statuses reached the middleware after a later step of the same shipment, up to ${Math.round(reordered.windowMs / 1000)} s late`,
      evidence: reordered.late.slice(0, 10).flatMap((l) => [cite(l.late), cite(l.overtaken)]),
    });
  }
  if (statuses.length > 0 && !statuses.some((s) => s.deliveredAt !== undefined)) {
    insufficient.push('the 3PL feed does not say when each status reached the middleware (delivered_at): out-of-order delivery cannot be judged');
  }

  const shipmentsPerOrder = new Map<string, Set<string>>();
  for (const s of statuses) shipmentsPerOrder.set(s.orderRef, (shipmentsPerOrder.get(s.orderRef) ?? new Set()).add(s.shipmentId));
  // A duplicated order ships twice: its second parcel is the duplicate's, not a partial delivery.
  const duplicated = new Set(timeline.gaps.filter((g) => g.kind === 'two-odoo-orders').map((g) => g.orderRef));
  const split = [...shipmentsPerOrder.entries()].filter(([ref, ids]) => ids.size > 1 && !duplicated.has(ref));
  if (split.length > 0) {
    knobs.push({
      system: 'logistics',
      path: 'partial.probability',
      value: share(split.length, shipmentsPerOrder.size),
      why: `${split.length} of ${shipmentsPerOrder.size} shipped orders left in more than one parcel`,
      evidence: split.slice(0, 10).map(([ref]) => cite(statuses.find((s) => s.orderRef === ref && s.shipmentId === [...shipmentsPerOrder.get(ref)!].at(-1))!)),
    });
  }

  knobs.push(...stepTimings(statuses), ...webhookDelays('payment', payments), ...webhookDelays('logistics', statuses));

  const violations = new Map<string, { invariant: string; orders: string[]; why: string[]; evidence: Citation[] }>();
  for (const gap of timeline.gaps) {
    const invariant = GAP_INVARIANT[gap.kind];
    if (invariant === undefined) continue;
    const v = violations.get(invariant) ?? { invariant, orders: [], why: [], evidence: [] };
    if (!v.orders.includes(gap.orderRef)) v.orders.push(gap.orderRef);
    if (!v.why.includes(gap.kind)) v.why.push(gap.kind);
    v.evidence.push(...gap.evidence);
    violations.set(invariant, v);
  }
  if (violations.size === 0)
    insufficient.push(
      'the evidence shows no broken invariant (no duplicate Odoo order, no early invoice, no regressed shipment, no doubled payment): the reproduction can only be judged by the faults',
    );
  if (faults.length === 0 && knobs.length === 0) insufficient.push('no fault could be inferred: the scenario replays the load alone');

  const systems: NonNullable<Scenario['systems']> = {};
  for (const knob of knobs) {
    const target = (systems[knob.system] ??= {}) as Record<string, unknown>;
    const parts = knob.path.split('.');
    let node = target;
    for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
    node[parts.at(-1)!] = knob.value;
  }
  const answersLost = new Map<string, number>([
    ...lost.orders.map((o): [string, number] => [o.orderRef, unansweredBeforeOk(o)]),
    ...fromLog.refs.map((r): [string, number] => [r.ref, 1]),
  ]);
  const script = scripting ? scriptFromEvidence({ placed, payments, statuses, startAt, skuFor, duplicated, answersLost }, insufficient) : undefined;
  if (script !== undefined) {
    load.why = `${count} orders in the capture export, each placed at its recorded time, from ${new Date(times[0]!).toISOString()} to ${new Date(times.at(-1)!).toISOString()}`;
  }
  const expected = [...violations.keys()].sort();
  // Without the team's words, the evidence's own: what broke, for how many orders, when (UTC).
  const hhmm = (ms: number): string => new Date(ms).toISOString().slice(11, 16);
  const said = [...violations.values()].map((v) => {
    const times = timeline.orders.filter((o) => v.orders.includes(o.orderRef)).map((o) => o.events[0]!.at);
    const [from, to] = [hhmm(Math.min(...times)), hhmm(Math.max(...times))];
    return `${v.invariant} broken for ${v.orders.length} ${v.orders.length === 1 ? 'order' : 'orders'} placed ${from === to ? `at ${from}` : `between ${from} and ${to}`} UTC on ${new Date(Math.min(...times)).toISOString().slice(0, 10)}`;
  });
  const incident = options.incident ?? (said.length > 0 ? `From the evidence: ${said.join('; ')}.` : undefined);
  const scenario: Scenario = {
    name: options.name,
    description: `Reproduction of an incident from its evidence: ${expected.length > 0 ? expected.join(', ') : 'no invariant broken in the evidence'}`,
    ...(incident !== undefined && { incident }),
    orders:
      script !== undefined
        ? { count: script.orders.length }
        : { count, ratePerSecond, arrival: 'poisson', ...(maxLines !== undefined && { maxLines }), ...(skus !== undefined && { skus }) },
    ...(script !== undefined && {
      script: {
        orders: script.orders.map((o) => o.entry),
        ...(script.payments.length > 0 && { payments: script.payments.map((p) => p.entry) }),
        ...(script.shipments.length > 0 && { shipments: script.shipments.map((p) => p.entry) }),
      },
    }),
    ...(Object.keys(systems).length > 0 && { systems }),
    ...(faults.length > 0 && { faults: faults.map((f) => f.fault) }),
    ...(expected.length > 0 && { expect: { naive: { fails: expected } } }),
  };
  return {
    scenario,
    violations: [...violations.values()].map((v) => ({ invariant: v.invariant, orders: v.orders, why: v.why.join(', '), evidence: v.evidence })),
    faults,
    knobs,
    load,
    insufficient,
    startAt,
    ...(script !== undefined && { script: { ...script, shows } }),
  };
}
