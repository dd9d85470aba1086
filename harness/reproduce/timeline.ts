/**
 * All readers' events on one clock, grouped per order (by order reference or
 * correlation id), with the gaps a person looks for first: two Odoo orders for
 * one reference, an invoice posted before the delivery, a payment webhook the
 * middleware never recorded, a source whose clock runs off the others.
 */
import type { Citation, EvidenceEvent } from './evidence.ts';

export interface Gap {
  orderRef: string;
  kind: 'two-odoo-orders' | 'invoice-before-delivery' | 'webhook-without-odoo-change' | 'shipment-regressed' | 'payment-recorded-twice';
  message: string;
  evidence: Citation[];
}

export interface OrderTimeline {
  orderRef: string;
  events: EvidenceEvent[];
}

export interface Timeline {
  events: EvidenceEvent[];
  orders: OrderTimeline[];
  gaps: Gap[];
  /** Clock offsets between sources, where one source's events precede their cause in another. */
  skew: string[];
}

export const cite = (e: Citation): Citation => ({ file: e.file, line: e.line });
export const citeText = (cs: readonly Citation[]): string => cs.map((c) => `${c.file}:${c.line}`).join(', ');

/** Events sort by time, then by file and line, so equal times keep a stable order. */
export function byTime(a: EvidenceEvent, b: EvidenceEvent): number {
  return a.at - b.at || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line;
}

type Log = Extract<EvidenceEvent, { kind: 'middleware.log' }>;

/** The middleware's and Odoo's record of a sale order being created for a reference, with its Odoo id. */
export function odooOrderCreations(events: readonly EvidenceEvent[]): Array<{ event: EvidenceEvent; id: string }> {
  const out: Array<{ event: EvidenceEvent; id: string }> = [];
  for (const e of events) {
    if (e.kind === 'odoo.record' && e.model === 'sale.order' && e.change === 'created') out.push({ event: e, id: String(e.recordId) });
    if (e.kind === 'middleware.log' && /order\.(accepted|created)|sale_order\.created/.test(e.event)) {
      const id = e.fields.odoo_order_id ?? e.fields.sale_order_id ?? e.fields.order_id;
      if (id !== undefined) out.push({ event: e, id: String(id) });
    }
  }
  return out;
}

export function invoicePostings(events: readonly EvidenceEvent[]): EvidenceEvent[] {
  return events.filter(
    (e) =>
      (e.kind === 'middleware.log' && /invoice\.posted/.test(e.event)) || (e.kind === 'odoo.record' && e.model === 'account.move' && e.change === 'posted'),
  );
}

/**
 * The moment the order's goods were all delivered: the last shipment's delivered status in the 3PL's feed; without
 * a feed, the last delivery Odoo validated (a picking's date_done), which is when Odoo took them as delivered.
 */
export function deliveredAt(events: readonly EvidenceEvent[]): { at: number; event: EvidenceEvent } | undefined {
  const shipments = new Map<string, EvidenceEvent>();
  const all = new Set<string>();
  for (const e of events) {
    if (e.kind !== 'shipment.status') continue;
    all.add(e.shipmentId);
    if (e.status === 'delivered' && (shipments.get(e.shipmentId)?.at ?? Infinity) > e.at) shipments.set(e.shipmentId, e);
  }
  if (all.size === 0) {
    const last = events
      .filter((e) => e.kind === 'odoo.record' && e.model === 'stock.picking' && e.change === 'done')
      .sort(byTime)
      .at(-1);
    return last === undefined ? undefined : { at: last.at, event: last };
  }
  if (shipments.size < all.size) return undefined;
  const last = [...shipments.values()].sort(byTime).at(-1)!;
  return { at: last.at, event: last };
}

function gapsOf(order: OrderTimeline): Gap[] {
  const gaps: Gap[] = [];
  const { orderRef, events } = order;
  const creations = odooOrderCreations(events);
  const ids = [...new Set(creations.map((c) => c.id))];
  if (ids.length > 1) {
    gaps.push({
      orderRef,
      kind: 'two-odoo-orders',
      message: `${ids.length} Odoo sale orders for one reference (ids ${ids.join(', ')})`,
      evidence: creations.map((c) => cite(c.event)),
    });
  }
  const delivered = deliveredAt(events);
  // An invoice for goods invoiced on order is posted before delivery by design; only delivery-invoiced ones count.
  const early =
    delivered === undefined ? [] : invoicePostings(events).filter((i) => i.at < delivered.at && !(i.kind === 'middleware.log' && i.fields.policy === 'order'));
  if (early.length > 0 && delivered !== undefined) {
    const first = early[0]!;
    gaps.push({
      orderRef,
      kind: 'invoice-before-delivery',
      message: `invoice posted at ${new Date(first.at).toISOString()}, but the goods were delivered only at ${new Date(delivered.at).toISOString()}`,
      evidence: [cite(first), cite(delivered.event)],
    });
  }
  const recorded = events.filter((e): e is Log => e.kind === 'middleware.log' && /payment\.recorded/.test(e.event));
  for (const payment of events) {
    if (payment.kind !== 'payment.event' || !/captured|succeeded/.test(payment.type)) continue;
    if (recorded.length === 0 && events.some((e) => e.kind === 'middleware.log')) {
      gaps.push({
        orderRef,
        kind: 'webhook-without-odoo-change',
        message: `payment event ${payment.eventId} (${payment.type}) has no matching payment recorded by the middleware`,
        evidence: [cite(payment)],
      });
      break;
    }
  }
  if (recorded.length > 1) {
    gaps.push({
      orderRef,
      kind: 'payment-recorded-twice',
      message: `the middleware recorded ${recorded.length} payments for one order`,
      evidence: recorded.map(cite),
    });
  }
  const states = events.filter((e): e is Log => e.kind === 'middleware.log' && /shipment\.state/.test(e.event));
  const seen = new Map<string, { seq: number; event: Log }>();
  for (const s of states) {
    const shipment = String(s.fields.shipment_id ?? '');
    const seq = Number(s.fields.seq ?? s.fields.sequence);
    const before = seen.get(shipment);
    if (before !== undefined && Number.isFinite(seq) && seq < before.seq) {
      gaps.push({
        orderRef,
        kind: 'shipment-regressed',
        message: `the middleware moved ${shipment} back to "${String(s.fields.status)}" after step ${before.seq}`,
        evidence: [cite(before.event), cite(s)],
      });
      break;
    }
    if (Number.isFinite(seq)) seen.set(shipment, { seq, event: s });
  }
  return gaps;
}

/** The median of how far a source's first event for an order precedes the order's placement in the export. */
function skewOf(events: readonly EvidenceEvent[], orders: readonly OrderTimeline[]): string[] {
  const placed = new Map<string, number>();
  for (const e of events) if (e.kind === 'order.placed') placed.set(e.orderRef, e.at);
  if (placed.size === 0) return [];
  const leads = new Map<string, number[]>();
  for (const order of orders) {
    const at = placed.get(order.orderRef);
    if (at === undefined) continue;
    const firstByFile = new Map<string, number>();
    for (const e of order.events) if (e.kind !== 'order.placed' && !firstByFile.has(e.file)) firstByFile.set(e.file, e.at);
    for (const [file, first] of firstByFile) leads.set(file, [...(leads.get(file) ?? []), at - first]);
  }
  const out: string[] = [];
  for (const [file, values] of leads) {
    const sorted = [...values].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    // Effects never precede their cause: a source whose events for most orders come before the order was placed runs early.
    if (median > 1000)
      out.push(
        `${file} runs about ${Math.round(median / 1000)} s ahead of the capture export (its events for most orders precede the order); correct that source's clock, or the inferred timing is off by as much`,
      );
  }
  return out;
}

export function buildTimeline(events: readonly EvidenceEvent[]): Timeline {
  const sorted = [...events].sort(byTime);
  const byRef = new Map<string, EvidenceEvent[]>();
  for (const e of sorted) if (e.orderRef !== undefined) byRef.set(e.orderRef, [...(byRef.get(e.orderRef) ?? []), e]);
  const orders = [...byRef.entries()]
    .map(([orderRef, list]) => ({ orderRef, events: list }))
    .sort((a, b) => a.events[0]!.at - b.events[0]!.at || (a.orderRef < b.orderRef ? -1 : 1));
  return { events: sorted, orders, gaps: orders.flatMap(gapsOf), skew: skewOf(sorted, orders) };
}

function describe(e: EvidenceEvent): string {
  switch (e.kind) {
    case 'order.placed':
      return `capture placed the order (${e.lines.length} ${e.lines.length === 1 ? 'line' : 'lines'}${e.total !== undefined ? `, total ${e.total}` : ''}${e.attempts.length > 1 ? `, ${e.attempts.length} attempts: ${e.attempts.map((a) => a.outcome).join(' → ')}` : ''})`;
    case 'payment.event':
      return `payment ${e.type} ${e.eventId}${e.attempt !== undefined ? ` attempt ${e.attempt}` : ''}${e.deliveredAt !== undefined ? `, delivered ${new Date(e.deliveredAt).toISOString()}` : ''}`;
    case 'shipment.status':
      return `3PL ${e.shipmentId} ${e.status}${e.sequence !== undefined ? ` (#${e.sequence})` : ''}${e.deliveredAt !== undefined ? `, delivered ${new Date(e.deliveredAt).toISOString()}` : ''}`;
    case 'http.request':
      return `HTTP ${e.method} ${e.path} → ${e.status}${e.requestTimeMs !== undefined ? ` in ${e.requestTimeMs} ms` : ''}`;
    case 'middleware.log':
      return `middleware ${e.level} ${e.event}${Object.keys(e.fields).length > 0 ? ` ${JSON.stringify(e.fields)}` : ''}`;
    case 'odoo.record':
      return `Odoo ${e.model} ${e.recordName} (id ${e.recordId}) ${e.change}`;
  }
}

/** The timeline as a person reads it: per order, each system's record on one UTC clock, then the gaps. */
export function renderTimeline(timeline: Timeline): string {
  const out: string[] = [];
  const gapsByRef = new Map<string, Gap[]>();
  for (const g of timeline.gaps) gapsByRef.set(g.orderRef, [...(gapsByRef.get(g.orderRef) ?? []), g]);
  for (const order of timeline.orders) {
    out.push(`${order.orderRef}`);
    for (const e of order.events) out.push(`  ${new Date(e.at).toISOString()}  ${e.system.padEnd(10)} ${describe(e)}  [${e.file}:${e.line}]`);
    for (const g of gapsByRef.get(order.orderRef) ?? []) out.push(`  ! ${g.kind}: ${g.message} [${citeText(g.evidence)}]`);
  }
  return out.join('\n') + '\n';
}
