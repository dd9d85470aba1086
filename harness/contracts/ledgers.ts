/**
 * The simulators' ground truth as served on `GET /_faultline/ledger`
 * (simulators/CONTRACTS.md), as its readers (the invariants, the evidence a
 * reproduction writes) may rely on it. A reader's view, looser than what the
 * simulators write: fields a simulator may omit are optional so an older
 * ledger, or one a user's simulator serves, still parses, and the invariants
 * treat what is absent as unknown, not as zero.
 */
import type { CaptureOrder } from './capture.ts';
import type { PaymentStatus } from './payment.ts';
import type { ShipmentLine, ShipmentState } from './logistics.ts';

export type AttemptOutcome = 'ok' | 'error' | 'no_answer';

/** One try of the storefront's `POST /orders`; the storefront (simulators/capture/submit.ts) records exactly this. */
export interface CaptureAttempt {
  attempt: number;
  at: string;
  idempotencyKey: string | null;
  outcome: AttemptOutcome;
  status: number | null;
}

/** What the storefront's ledger adds to each order it sent: what became of it. */
export interface CaptureOrderOutcome {
  acknowledged: boolean;
  attempts: CaptureAttempt[];
  paymentId: string | null;
  cancelled: boolean;
}

/** The order as it was sent and what became of it; an older ledger may lack the customer, and `one-partner-per-customer` reads only its email. */
export interface CaptureLedgerOrder extends Omit<CaptureOrder, 'customer'>, CaptureOrderOutcome {
  customer?: Record<string, unknown>;
}

export interface CaptureLedger {
  orders: CaptureLedgerOrder[];
}

export interface GatewayPayment {
  paymentId: string;
  orderRef: string;
  amount: number;
  currency: string;
  status: PaymentStatus | (string & {});
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

export interface Shipment {
  shipmentId: string;
  orderRef: string;
  trackingNumber: string;
  createdAt: string;
  lines: ShipmentLine[];
  /** Any state the 3PL reports, `created` and `cancelled` included; a user's 3PL may report others. */
  status: ShipmentState | (string & {});
  timeline: { seq: number; status: string; at: string }[];
  deliveries: WebhookDelivery[];
}

export interface LogisticsLedger {
  shipments: Shipment[];
}
