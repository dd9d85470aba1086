/**
 * Calls to the 3PL and the payment gateway (APIs in simulators/CONTRACTS.md).
 * Every call carries a timeout and the order's correlation id.
 */
import { HEADERS } from '../../harness/core/system.ts';
import type { SystemFetch } from '../../harness/core/system.ts';
import type { CaptureOrder } from '../../harness/contracts/capture.ts';

export class UpstreamError extends Error {
  readonly status: number;
  constructor(what: string, status: number, body: string) {
    super(`${what} answered HTTP ${status}: ${body.slice(0, 200)}`);
    this.name = 'UpstreamError';
    this.status = status;
  }
}

export interface UpstreamCall {
  fetch: SystemFetch;
  baseUrl: string | undefined;
  timeoutMs: number;
  correlationId: string;
  attempt?: number;
  /** Sent as `idempotency-key` on a POST, for a receiver that replays the first answer to a repeat. */
  idempotencyKey?: string;
}

export interface ShipmentCreated {
  shipmentId: string;
  trackingNumber?: string;
}

export interface ShipmentRecord {
  shipmentId: string;
  orderRef: string;
  status: string;
  /** Events so far (the 3PL's GET gives `seq`; its ledger gives `timeline`). */
  seq?: number;
  lines?: { sku: string; quantity: number }[];
  timeline?: { seq: number; status: string; at?: string }[];
}

export interface PaymentRecord {
  paymentId: string;
  orderRef: string;
  amount: number;
  status: string;
  refunded?: number | boolean;
}

export async function createShipment(call: UpstreamCall, order: CaptureOrder): Promise<ShipmentCreated> {
  const body = {
    orderRef: order.ref,
    lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })),
    address: {
      name: order.customer.name,
      street: order.customer.street,
      city: order.customer.city,
      zip: order.customer.zip,
      countryCode: order.customer.countryCode,
    },
  };
  const answer = (await send(call, 'POST', '/shipments', body, 'the 3PL (POST /shipments)')) as { shipmentId?: unknown; trackingNumber?: unknown };
  if (typeof answer.shipmentId !== 'string') throw new UpstreamError('the 3PL (POST /shipments)', 201, `no shipmentId in ${JSON.stringify(answer)}`);
  return { shipmentId: answer.shipmentId, ...(typeof answer.trackingNumber === 'string' && { trackingNumber: answer.trackingNumber }) };
}

/** Cancels a shipment at the 3PL; false when it is too late (409: already shipped). */
export async function cancelShipment(call: UpstreamCall, shipmentId: string): Promise<boolean> {
  try {
    await send(call, 'POST', `/shipments/${encodeURIComponent(shipmentId)}/cancel`, {}, 'the 3PL (POST /shipments/{id}/cancel)');
    return true;
  } catch (error) {
    if (error instanceof UpstreamError && error.status === 409) return false;
    throw error;
  }
}

/** Refunds (part of) a captured payment at the gateway. */
export async function refundPayment(call: UpstreamCall, paymentId: string, amount: number): Promise<void> {
  await send(call, 'POST', `/payments/${encodeURIComponent(paymentId)}/refunds`, { amount }, 'the payment gateway (POST /payments/{id}/refunds)');
}

export async function listShipments(call: UpstreamCall, orderRef: string): Promise<ShipmentRecord[]> {
  const answer = (await send(call, 'GET', `/shipments?orderRef=${encodeURIComponent(orderRef)}`, undefined, 'the 3PL (GET /shipments)')) as {
    shipments?: unknown;
  };
  return Array.isArray(answer.shipments) ? (answer.shipments as ShipmentRecord[]) : [];
}

export async function listPayments(call: UpstreamCall, orderRef: string): Promise<PaymentRecord[]> {
  const answer = (await send(call, 'GET', `/payments?orderRef=${encodeURIComponent(orderRef)}`, undefined, 'the payment gateway (GET /payments)')) as {
    payments?: unknown;
  };
  return Array.isArray(answer.payments) ? (answer.payments as PaymentRecord[]) : [];
}

async function send(call: UpstreamCall, method: 'GET' | 'POST', path: string, body: unknown, what: string): Promise<unknown> {
  if (call.baseUrl === undefined) throw new Error(`${what}: no URL for this system in the context's urls; add it to the scenario`);
  const headers: Record<string, string> = { [HEADERS.correlationId]: call.correlationId };
  if (call.attempt !== undefined) headers[HEADERS.attempt] = String(call.attempt);
  if (call.idempotencyKey !== undefined && method === 'POST') headers[HEADERS.idempotencyKey] = call.idempotencyKey;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await call.fetch(`${call.baseUrl}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
    timeoutMs: call.timeoutMs,
  });
  const text = await response.text();
  if (response.status < 200 || response.status >= 300) throw new UpstreamError(what, response.status, text);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UpstreamError(what, response.status, `not JSON: ${text}`);
  }
}
