/**
 * The exact script of an incident, from its evidence: every order the capture
 * export recorded at its time, every payment event and 3PL status with each of
 * its deliveries to the middleware, one by one, each with the lines that show
 * it. What cannot be scripted (no delivery time, an event type the simulators
 * do not send, a status no webhook carries) is said, and left to the knobs.
 */
import type { ScriptedOrder, ScriptedPaymentEvent, ScriptedShipment } from '../scenario/scenario.ts';
import type { Citation, EvidenceEvent } from './evidence.ts';
import { cite } from './timeline.ts';
import { SALE_TAX_RATE, productBySku } from '../world/catalogue.ts';
import { orderTotal } from '../../simulators/shared/money.ts';

type Placed = Extract<EvidenceEvent, { kind: 'order.placed' }>;
type Status = Extract<EvidenceEvent, { kind: 'shipment.status' }>;
type Payment = Extract<EvidenceEvent, { kind: 'payment.event' }>;

/** One script entry and the evidence lines it replays. */
export interface Scripted<T> {
  entry: T;
  evidence: Citation[];
}

export interface InferredScript {
  orders: Array<Scripted<ScriptedOrder>>;
  payments: Array<Scripted<ScriptedPaymentEvent>>;
  /** Each parcel, with its evidence per status (same order as `entry.events`). */
  shipments: Array<Scripted<ScriptedShipment> & { events: Citation[][]; shipmentId: string }>;
}

/** The statuses the simulated 3PL sends webhooks for; `created` and `cancelled` are no webhook. */
const WEBHOOK_STATUSES = new Set(['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned']);

/** A gateway's event type as the simulated gateway names it: Stripe's `payment_intent.succeeded` is a capture. */
export function simulatedPaymentType(type: string): ScriptedPaymentEvent['type'] | undefined {
  const t = type.toLowerCase();
  if (/refund/.test(t)) return 'payment.refunded';
  if (/fail|declin/.test(t)) return 'payment.failed';
  if (/succeed|captur|paid|complet/.test(t)) return 'payment.captured';
  return undefined;
}

const CUSTOMER_FIELDS = ['name', 'email', 'street', 'city', 'zip', 'countryCode'] as const;

function customerOf(placed: Placed): ScriptedOrder['customer'] | undefined {
  const given = placed.customer;
  if (given === undefined || typeof given.name !== 'string' || typeof given.email !== 'string' || given.name === '' || given.email === '') return undefined;
  const customer: Record<string, string> = {};
  for (const key of CUSTOMER_FIELDS) {
    const value = key === 'countryCode' ? (given.countryCode ?? given.country_code ?? given.country) : given[key];
    if (typeof value === 'string' && value !== '') customer[key] = value;
  }
  return customer as ScriptedOrder['customer'];
}

type Delivery = { deliveredAt?: number; attempt?: number; status?: number };

/**
 * An event's recorded deliveries, split the way a sender makes them: a redelivery after an attempt that failed
 * (a non-2xx answer, or a higher attempt number: senders retry only what failed) is the sender's retry, sent
 * again only if the replayed attempt fails too; any other repeat is a duplicate copy, sent whatever happens.
 */
function deliveriesOf(lines: readonly Delivery[], atMs: number, startAt: number): { deliveredAtMs: number[]; retriedAtMs?: number[] } {
  const timed = lines.filter((d): d is Delivery & { deliveredAt: number } => d.deliveredAt !== undefined).sort((a, b) => a.deliveredAt - b.deliveredAt);
  const copies: number[] = [];
  const retries: number[] = [];
  let chain: Delivery | undefined;
  for (const d of timed) {
    const at = Math.max(atMs, offset(d.deliveredAt, startAt));
    const failed =
      chain !== undefined &&
      ((chain.status !== undefined && chain.status >= 300) || (chain.attempt !== undefined && d.attempt !== undefined && d.attempt > chain.attempt));
    if (chain === undefined) copies.push(at);
    else if (failed) retries.push(at);
    else {
      copies.push(at);
      continue;
    }
    chain = d;
  }
  return { deliveredAtMs: copies, ...(retries.length > 0 && { retriedAtMs: retries }) };
}

/**
 * The total the script charges: none when the record has none or it is what the storefront computes anyway; the
 * recorded one when it is a cent or two off (a rounding drift, maybe the incident); none when it is further off,
 * which is another tax or price set-up, not something the simulated world can show.
 */
function recordedTotal(
  ref: string,
  recorded: number | undefined,
  lines: ReadonlyArray<{ sku: string; quantity: number; unitPrice?: number }>,
  totals: { drift: string[]; apart: string[] },
): number | undefined {
  if (recorded === undefined) return undefined;
  const computed = orderTotal(
    lines.map((l) => ({ quantity: l.quantity, unitPrice: l.unitPrice ?? productBySku(l.sku)?.listPrice ?? 0 })),
    SALE_TAX_RATE,
  );
  const cents = Math.round(Math.abs(recorded - computed) * 100);
  if (cents === 0) return undefined;
  (cents <= 2 ? totals.drift : totals.apart).push(`${ref}: ${recorded} recorded, ${computed} computed`);
  return cents <= 2 ? recorded : undefined;
}

/** ms after the incident's first order; before it (another source's clock, a timestamp in whole seconds) counts as 0. */
const offset = (at: number, startAt: number): number => Math.max(0, Math.round(at - startAt));

export interface ScriptInput {
  placed: readonly Placed[];
  payments: readonly Payment[];
  statuses: readonly Status[];
  startAt: number;
  /** Evidence skus the catalogue does not sell → the catalogue product standing in for each. */
  skuFor: ReadonlyMap<string, string>;
  /** Orders with two sale orders in Odoo: each of their parcels is its own booking, not a backorder. */
  duplicated: ReadonlySet<string>;
  /** Orders whose answers were lost (the middleware took them, the storefront retried): how many. */
  answersLost: ReadonlyMap<string, number>;
}

export function scriptFromEvidence(input: ScriptInput, insufficient: string[]): InferredScript {
  const { startAt } = input;
  const totals = { drift: [] as string[], apart: [] as string[] };
  // One order per reference: a second record of it (another export, a re-export) adds its citation, not an order.
  const records = new Map<string, Placed[]>();
  for (const p of [...input.placed].sort((a, b) => a.at - b.at || a.line - b.line)) records.set(p.orderRef, [...(records.get(p.orderRef) ?? []), p]);
  const repeated = [...records.values()].filter((r) => r.length > 1);
  if (repeated.length > 0) {
    insufficient.push(
      `${repeated.length} order references appear in more than one capture record (${repeated
        .slice(0, 3)
        .map((r) => `${r[0]!.orderRef}: ${r.map((p) => `${p.file}:${p.line}`).join(', ')}`)
        .join('; ')}): the script places each once, as its first record says, with the first customer any of them names`,
    );
  }
  const orders = [...records.values()].map((all): Scripted<ScriptedOrder> => {
    const p = all[0]!;
    const merged = new Map<string, { sku: string; quantity: number; unitPrice?: number }>();
    // Two evidence skus may stand in as one catalogue product: one line, quantities added.
    for (const line of p.lines) {
      const sku = input.skuFor.get(line.sku) ?? line.sku;
      const known = merged.get(sku);
      if (known === undefined) merged.set(sku, { sku, quantity: line.quantity, ...(line.unitPrice !== undefined && { unitPrice: line.unitPrice }) });
      else known.quantity += line.quantity;
    }
    const customer = all.map(customerOf).find((c) => c !== undefined);
    const lostAnswers = input.answersLost.get(p.orderRef) ?? 0;
    const lines = [...merged.values()];
    const total = recordedTotal(p.orderRef, p.total, lines, totals);
    return {
      entry: {
        ref: p.orderRef,
        atMs: offset(p.at, startAt),
        lines,
        ...(customer !== undefined && { customer }),
        ...(total !== undefined && { total }),
        ...(lostAnswers > 0 && { answersLost: lostAnswers }),
      },
      evidence: all.map(cite),
    };
  });
  if (totals.drift.length > 0)
    insufficient.push(
      `${totals.drift.length} orders' recorded totals are a cent or two off what Odoo computes for their lines (${totals.drift.slice(0, 3).join(', ')}): the script charges the recorded totals, so amounts-agree judges the drift`,
    );
  if (totals.apart.length > 0)
    insufficient.push(
      `${totals.apart.length} orders' recorded totals differ from what the simulated storefront computes for their lines by more than rounding (${totals.apart.slice(0, 3).join(', ')}), a tax or price set-up the simulation does not have (${SALE_TAX_RATE * 100} % tax): the script charges the computed totals`,
    );
  const placedRefs = new Set(orders.map((o) => o.entry.ref));
  const known = (ref: string | undefined): ref is string => ref !== undefined && (placedRefs.size === 0 || placedRefs.has(ref));

  const payments: InferredScript['payments'] = [];
  let undelivered = 0;
  const unknownTypes = new Set<string>();
  const byEvent = new Map<string, Payment[]>();
  for (const p of input.payments) byEvent.set(p.eventId, [...(byEvent.get(p.eventId) ?? []), p]);
  for (const deliveries of byEvent.values()) {
    const first = deliveries[0]!;
    const type = simulatedPaymentType(first.type);
    if (type === undefined) {
      unknownTypes.add(first.type);
      continue;
    }
    if (!known(first.orderRef)) continue;
    if (!deliveries.some((d) => d.deliveredAt !== undefined)) {
      undelivered++;
      continue;
    }
    const atMs = offset(Math.min(...deliveries.map((d) => d.at)), startAt);
    payments.push({ entry: { orderRef: first.orderRef, type, atMs, ...deliveriesOf(deliveries, atMs, startAt) }, evidence: deliveries.map(cite) });
  }
  payments.sort((a, b) => a.entry.atMs - b.entry.atMs);
  if (unknownTypes.size > 0)
    insufficient.push(`payment events of types the simulated gateway does not send (${[...unknownTypes].sort().join(', ')}) are not in the script`);
  if (undelivered > 0)
    insufficient.push(
      `${undelivered} payment events do not say when they reached the middleware (delivered_at): their deliveries follow systems.payment.webhooks instead of the script`,
    );

  const shipments: InferredScript['shipments'] = [];
  const byShipment = new Map<string, Status[]>();
  let notWebhooks = 0;
  let timeless = 0;
  for (const s of input.statuses) {
    if (!WEBHOOK_STATUSES.has(s.status)) {
      notWebhooks++;
      continue;
    }
    if (known(s.orderRef)) byShipment.set(s.shipmentId, [...(byShipment.get(s.shipmentId) ?? []), s]);
  }
  for (const [shipmentId, lines] of byShipment) {
    // One status per sequence (or per status, without one); each line of it is one delivery.
    const steps = new Map<string, Status[]>();
    for (const s of lines)
      steps.set(s.sequence !== undefined ? `#${s.sequence}` : s.status, [...(steps.get(s.sequence !== undefined ? `#${s.sequence}` : s.status) ?? []), s]);
    const ordered = [...steps.values()].sort(
      (a, b) => (a[0]!.sequence ?? 0) - (b[0]!.sequence ?? 0) || Math.min(...a.map((s) => s.at)) - Math.min(...b.map((s) => s.at)),
    );
    let previous = 0;
    const events = ordered.map((deliveries) => {
      // A status before the one listed before it (the 3PL's clock) keeps the sequence: it happens with it.
      const atMs = Math.max(previous, offset(Math.min(...deliveries.map((d) => d.at)), startAt));
      previous = atMs;
      if (deliveries.some((d) => d.deliveredAt === undefined)) timeless++;
      // Without a delivery time, the webhook arrives as the status happens: the record says no more.
      const timed = deliveries.map((d): Delivery => ({ deliveredAt: d.deliveredAt ?? d.at, ...(d.attempt !== undefined && { attempt: d.attempt }) }));
      return { status: deliveries[0]!.status as ScriptedShipment['events'][number]['status'], atMs, ...deliveriesOf(timed, atMs, startAt) };
    });
    shipments.push({ entry: { orderRef: lines[0]!.orderRef, events }, evidence: lines.map(cite), events: ordered.map((d) => d.map(cite)), shipmentId });
  }
  shipments.sort((a, b) => a.entry.events[0]!.atMs - b.entry.events[0]!.atMs || a.shipmentId.localeCompare(b.shipmentId));
  // An order's second parcel is split off its first (a backorder), unless the order was booked twice (duplicated in Odoo).
  const parcels = new Map<string, number>();
  for (const s of shipments) {
    const n = (parcels.get(s.entry.orderRef) ?? 0) + 1;
    parcels.set(s.entry.orderRef, n);
    if (n === 2 && !input.duplicated.has(s.entry.orderRef)) s.entry = { ...s.entry, backorder: true };
  }
  const many = [...parcels.entries()].filter(([ref, n]) => n > 2 && !input.duplicated.has(ref));
  if (many.length > 0)
    insufficient.push(
      `${many.length} orders left in more than two parcels (${many
        .slice(0, 3)
        .map(([ref]) => ref)
        .join(', ')}): the simulated 3PL splits a booking in two, so their third parcels wait for a booking that does not come`,
    );
  if (notWebhooks > 0) insufficient.push(`${notWebhooks} 3PL lines are statuses no webhook carries (created, cancelled): not in the script`);
  if (timeless > 0)
    insufficient.push(`${timeless} 3PL statuses do not say when they reached the middleware (delivered_at): the script delivers them as they happen`);
  return { orders, payments, shipments };
}

/** The script in a few lines for the command's report: what it replays, and what it replays instead of a fault. */
export function describeScript(script: InferredScript & { shows: ReadonlyArray<{ why: string; fault: { kind: string } }> }): string[] {
  const lost = script.orders.filter((o) => o.entry.answersLost !== undefined).length;
  const copies = script.payments.filter((p) => p.entry.deliveredAtMs.length > 1).length;
  const redelivered = script.payments.filter((p) => p.entry.retriedAtMs !== undefined).length;
  const backorders = script.shipments.filter((s) => s.entry.backorder === true).length;
  const statuses = script.shipments.reduce((sum, s) => sum + s.entry.events.length, 0);
  return [
    `script: ${script.orders.length} orders at their recorded times${lost > 0 ? ` (${lost} with their lost answers)` : ''}, ` +
      `${script.payments.length} payment events with each delivery${copies + redelivered > 0 ? ` (${[copies > 0 ? `${copies} delivered more than once` : '', redelivered > 0 ? `${redelivered} redelivered after a failure` : ''].filter((t) => t !== '').join(', ')})` : ''}, ` +
      `${script.shipments.length} parcels${backorders > 0 ? ` (${backorders} backorders)` : ''} with ${statuses} statuses and each delivery`,
    ...script.shows.map((s) => `replayed by the script, not a ${s.fault.kind} fault: ${s.why}`),
  ];
}
