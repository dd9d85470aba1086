/**
 * The messages a middleware receives, per simulators/CONTRACTS.md, checked at
 * the door: bad input gets a 400 that says which field is wrong.
 */
import type { Parsed } from './http.ts';

export interface CaptureCustomer {
  name: string;
  email: string;
  street?: string;
  city?: string;
  zip?: string;
  countryCode?: string;
}

export interface CaptureLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface CaptureOrder {
  ref: string;
  placedAt: string;
  currency: string;
  customer: CaptureCustomer;
  lines: CaptureLine[];
  taxRate: number;
  total: number;
}

export type PaymentEventType = 'payment.captured' | 'payment.failed' | 'payment.refunded';

export interface PaymentEvent {
  id: string;
  type: PaymentEventType;
  created: string;
  data: { paymentId: string; orderRef: string; amount: number; currency: string };
}

export const SHIPMENT_STATUSES = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

export interface LogisticsEvent {
  id: string;
  shipmentId: string;
  orderRef: string;
  seq: number;
  status: ShipmentStatus;
  occurredAt: string;
  lines?: { sku: string; quantity: number }[];
}

type Obj = Record<string, unknown>;

/** The largest amount whose cents are still exact in a double (2^53 - 1 cents). */
export const MAX_AMOUNT = Math.floor(Number.MAX_SAFE_INTEGER / 100);

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function parseCaptureOrder(body: unknown): Parsed<CaptureOrder> {
  if (!isObj(body)) return fail('order must be a JSON object with ref, placedAt, currency, customer, lines, taxRate, total');
  if (!isText(body.ref)) return fail('order.ref must be a non-empty string such as "CAP-000001"');
  if (!isText(body.currency)) return fail(`order ${body.ref}: currency must be a code such as "USD"`);
  if (!isObj(body.customer) || !isText(body.customer.name) || !isText(body.customer.email)) return fail(`order ${body.ref}: customer needs a name and an email`);
  if (!Array.isArray(body.lines) || body.lines.length === 0) return fail(`order ${body.ref}: lines must be a non-empty array of {sku, quantity, unitPrice}`);
  const lines: CaptureLine[] = [];
  for (const [i, line] of body.lines.entries()) {
    if (!isObj(line) || !isText(line.sku) || !isNum(line.quantity) || line.quantity <= 0 || !isNum(line.unitPrice) || line.unitPrice < 0) {
      return fail(`order ${body.ref}: lines[${i}] must be {sku: string, quantity > 0, unitPrice >= 0}`);
    }
    lines.push({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice });
  }
  if (!isNum(body.total)) return fail(`order ${body.ref}: total must be a number`);
  // Each value finite is not enough: 1e300 × 1e300 overflows to Infinity in every system downstream.
  const tooLarge = [body.total, ...lines.flatMap((l) => [l.quantity, l.unitPrice, l.quantity * l.unitPrice])].some((v) => !(Math.abs(v) <= MAX_AMOUNT));
  if (tooLarge) return fail(`order ${body.ref}: quantities, prices, line amounts and the total must stay at most ${MAX_AMOUNT} (cents must be exact)`);
  const c = body.customer;
  const customer: CaptureCustomer = { name: c.name as string, email: c.email as string };
  for (const key of ['street', 'city', 'zip', 'countryCode'] as const) if (typeof c[key] === 'string') customer[key] = c[key];
  return {
    ok: true,
    value: {
      ref: body.ref,
      placedAt: typeof body.placedAt === 'string' ? body.placedAt : '',
      currency: body.currency,
      customer,
      lines,
      taxRate: isNum(body.taxRate) ? body.taxRate : 0,
      total: body.total,
    },
  };
}

export function parsePaymentEvent(body: unknown): Parsed<PaymentEvent> {
  if (!isObj(body) || !isText(body.id)) return fail('payment event must be a JSON object with an id such as "evt_…"');
  if (body.type !== 'payment.captured' && body.type !== 'payment.failed' && body.type !== 'payment.refunded') {
    return fail(`payment event ${body.id}: type must be payment.captured, payment.failed or payment.refunded`);
  }
  const d = body.data;
  if (!isObj(d) || !isText(d.paymentId) || !isText(d.orderRef) || !isNum(d.amount)) {
    return fail(`payment event ${body.id}: data needs paymentId, orderRef and a numeric amount`);
  }
  return {
    ok: true,
    value: {
      id: body.id,
      type: body.type,
      created: typeof body.created === 'string' ? body.created : '',
      data: { paymentId: d.paymentId, orderRef: d.orderRef, amount: d.amount, currency: typeof d.currency === 'string' ? d.currency : '' },
    },
  };
}

export function parseLogisticsEvent(body: unknown): Parsed<LogisticsEvent> {
  if (!isObj(body) || !isText(body.id)) return fail('logistics event must be a JSON object with an id such as "evt_…"');
  if (!isText(body.shipmentId) || !isText(body.orderRef)) return fail(`logistics event ${body.id}: shipmentId and orderRef are required`);
  if (!(SHIPMENT_STATUSES as readonly unknown[]).includes(body.status)) return fail(`logistics event ${body.id}: status must be one of ${SHIPMENT_STATUSES.join(', ')}`);
  if (!isNum(body.seq)) return fail(`logistics event ${body.id}: seq must be a number`);
  const event: LogisticsEvent = {
    id: body.id,
    shipmentId: body.shipmentId,
    orderRef: body.orderRef,
    seq: body.seq,
    status: body.status as ShipmentStatus,
    occurredAt: typeof body.occurredAt === 'string' ? body.occurredAt : '',
  };
  if (Array.isArray(body.lines)) event.lines = body.lines.filter(isObj).map((l) => ({ sku: String(l.sku), quantity: Number(l.quantity) }));
  return { ok: true, value: event };
}

export interface CancelRequest {
  ref: string;
  reason: string;
}

/**
 * `POST /orders/{ref}/cancel` with the path segment as it arrived: a
 * malformed percent-encoding is the client's mistake (400), not a crash.
 */
export function parseCancelPath(segment: string, body: unknown): Parsed<CancelRequest> {
  let ref: string;
  try {
    ref = decodeURIComponent(segment);
  } catch {
    return fail(`the order reference in /orders/${segment}/cancel has a malformed percent-encoding; escape "%" as %25`);
  }
  return parseCancelRequest(ref, body);
}

/** `POST /orders/{ref}/cancel` `{ref, reason}`: the path names the order; a body ref must agree. */
export function parseCancelRequest(pathRef: string, body: unknown): Parsed<CancelRequest> {
  if (body !== undefined && body !== null && !isObj(body)) return fail('cancel request body must be a JSON object {ref, reason}');
  const b = (body ?? {}) as Obj;
  if (b.ref !== undefined && b.ref !== pathRef) return fail(`cancel request for ${pathRef} names order ${String(b.ref)} in its body; they must agree`);
  return { ok: true, value: { ref: pathRef, reason: typeof b.reason === 'string' ? b.reason : '' } };
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}
