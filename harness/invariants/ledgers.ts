/**
 * The simulators' ground truth as served on `GET /_faultline/ledger`
 * (simulators/CONTRACTS.md). Typed here because invariants are their only
 * reader; fields a simulator may omit are optional so an older ledger still
 * parses, and the invariants treat what is absent as unknown, not as zero.
 */

export type AttemptOutcome = 'ok' | 'error' | 'no_answer';

export interface CaptureLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface CaptureAttempt {
  attempt: number;
  at: string;
  idempotencyKey: string | null;
  outcome: AttemptOutcome;
  status: number | null;
}

export interface CaptureOrder {
  ref: string;
  placedAt: string;
  currency: string;
  customer?: Record<string, unknown>;
  lines: CaptureLine[];
  taxRate: number;
  total: number;
  acknowledged: boolean;
  attempts: CaptureAttempt[];
  paymentId: string | null;
  cancelled: boolean;
}

export interface CaptureLedger {
  orders: CaptureOrder[];
}

export interface GatewayPayment {
  paymentId: string;
  orderRef: string;
  amount: number;
  currency: string;
  status: 'captured' | 'failed' | 'refunded' | (string & {});
  capturedAt: string | null;
  /** The amount refunded so far; a simulator that only flags refunds may send a boolean. */
  refunded: number | boolean | null;
}

export interface WebhookDelivery {
  eventId: string;
  type?: string;
  orderRef?: string;
  seq?: number;
  status: number | string | null;
  attempt: number;
  at: string;
  outcome: AttemptOutcome | 'dropped';
}

export interface PaymentLedger {
  payments: GatewayPayment[];
  deliveries: WebhookDelivery[];
}

export type ShipmentStatus =
  | 'picked'
  | 'packed'
  | 'shipped'
  | 'in_transit'
  | 'out_for_delivery'
  | 'delivered'
  | 'exception'
  | 'returned'
  | 'cancelled';

export interface Shipment {
  shipmentId: string;
  orderRef: string;
  trackingNumber: string;
  createdAt: string;
  lines: { sku: string; quantity: number }[];
  status: ShipmentStatus | (string & {});
  timeline: { seq: number; status: string; at: string }[];
  deliveries: WebhookDelivery[];
}

export interface LogisticsLedger {
  shipments: Shipment[];
}

/** What a gateway payment is worth once refunds are taken off; failed captures are worth nothing. */
export function netCaptured(payment: GatewayPayment): number {
  if (payment.status === 'failed') return 0;
  const refunded = payment.refunded;
  if (typeof refunded === 'number') return payment.amount - refunded;
  if (refunded === true || payment.status === 'refunded') return 0;
  return payment.amount;
}
