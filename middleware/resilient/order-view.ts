/**
 * The resilient middleware's own view of one order: what it was told (the
 * order, payments, shipment events) and what it has done in Odoo so far.
 * Workers compare the two and do the missing steps, so every step can be
 * retried or resumed after a crash.
 */
import type { CaptureOrder } from '../../harness/contracts/capture.ts';

export interface PaymentState {
  amount: number;
  status: 'captured' | 'failed' | 'refunded';
}

export interface ShipmentState {
  status: string;
  seq: number;
  /** Milliseconds since the epoch of the event (`occurredAt`), when known. */
  at: number;
  /** What this parcel holds, when the 3PL said so (on shipped/delivered): a partial shipment lists part of the order. */
  lines?: { sku: string; quantity: number }[];
}

export interface OrderView {
  ref: string;
  /** The accepted order; absent while only webhooks about it have arrived. */
  order?: CaptureOrder;
  acceptedAt?: number;
  /** Intent logged before the first sale order create: from then on, look for the marked order before creating. */
  createRequested?: boolean;
  /** Intent logged before the customer's partner is created: an attempt that finds it set may have a create on its way. */
  partnerRequested?: boolean;
  /** The customer in Odoo, found or created for this order. */
  partnerId?: number;
  /**
   * When the customer was found or created again after an earlier attempt sent a create whose answer never came: that
   * call may still land and make a second partner. Until the audit window has passed, reconciliation looks for copies.
   */
  partnerAuditFrom?: number;
  saleOrderId?: number;
  pickingIds?: number[];
  /** Intent logged before adding a rounding line: if set without an adjustment, look in Odoo before adding another. */
  roundingRequested?: boolean;
  /** Cents booked on the sale order as a rounding line (0: its total already was the charge); absent until compared. */
  roundingAdjustment?: number;
  /** Whether the order has goods to ship (not only services). */
  needsShipment?: boolean;
  /** A shipment was requested from the 3PL (the answer may have been lost). */
  shipmentRequested?: boolean;
  shipmentId?: string;
  /** The pickings are validated in Odoo. */
  delivered?: boolean;
  shipments: Record<string, ShipmentState>;
  payments: Record<string, PaymentState>;
  /** Intent logged before asking Odoo to invoice: if set without ids, look before invoicing again. */
  invoiceRequested?: boolean;
  invoiceIds?: number[];
  invoicePosted?: boolean;
  /** Payment ids whose registration was started: check Odoo before registering again. */
  paymentsRequested?: string[];
  /** Payment ids already registered in Odoo. */
  paymentsRecorded: string[];
  /**
   * When a payment was last registered again while an earlier registration's answer was lost: that call may still
   * be on its way and post a second payment. Until the audit window has passed, reconciliation counts Odoo's payments.
   */
  paymentAuditFrom?: number;
  /** The capture platform asked to cancel the order. */
  cancelRequested?: boolean;
  /** The cancellation is done in Odoo and at the 3PL. */
  cancelled?: boolean;
  /** Too late to cancel: the parcel left, or the order is invoiced. */
  cancelRefused?: boolean;
  /** Payment ids whose refund was asked of the gateway (after a cancellation). */
  refundsRequested?: string[];
  /** Reconciliation passes in a row that found nothing new; each one waits twice as long for the next. */
  quietChecks?: number;
  /** Times reconciliation brought the dead-lettered job back with nothing new to go on (bounded by `reconcileMaxRevivals`). */
  revivals?: number;
  /** The job went to the dead-letter queue because the other side was out of reach, not because it refused. */
  deadLetterOutOfReach?: boolean;
}

export function emptyView(ref: string): OrderView {
  return { ref, shipments: {}, payments: {}, paymentsRecorded: [] };
}

/** Status order used only when a sequence number cannot decide (reconciliation reads current state). */
const STATUS_RANK: Record<string, number> = {
  picked: 1,
  packed: 2,
  shipped: 3,
  in_transit: 4,
  out_for_delivery: 5,
  delivered: 6,
  exception: 6,
  returned: 7,
};

export function statusRank(status: string): number {
  return STATUS_RANK[status] ?? 0;
}

/**
 * State guard: a shipment only moves forward. The 3PL's `seq` is the true order
 * of its events; a smaller or equal one is a late or repeated message.
 */
export function isNewer(current: ShipmentState | undefined, next: ShipmentState): boolean {
  if (current === undefined) return true;
  if (next.seq > 0 && current.seq > 0) return next.seq > current.seq;
  // A state read without its sequence number (reconciliation): fall back to the status order.
  return statusRank(next.status) > statusRank(current.status);
}

/**
 * The 3PL has delivered the whole order: every parcel it told us about is
 * delivered and, where parcels list their contents, together they hold every
 * ordered quantity (a first parcel delivered is not the order delivered).
 */
export function isDeliveredEverywhere(view: OrderView, goods: readonly { sku: string; quantity: number }[]): boolean {
  const shipments = Object.values(view.shipments);
  if (shipments.length === 0 || !shipments.every((s) => s.status === 'delivered')) return false;
  if (!shipments.some((s) => s.lines !== undefined)) return true;
  const delivered = new Map<string, number>();
  for (const s of shipments) for (const l of s.lines ?? []) delivered.set(l.sku, (delivered.get(l.sku) ?? 0) + l.quantity);
  return goods.every((l) => (delivered.get(l.sku) ?? 0) >= l.quantity - 1e-9);
}

export function capturedPayments(view: OrderView): [string, PaymentState][] {
  return Object.entries(view.payments).filter(([, p]) => p.status === 'captured');
}

/** Nothing left for the worker to do unless something new arrives. */
export function isSettled(view: OrderView): boolean {
  if (view.order === undefined) return false;
  if (view.partnerAuditFrom !== undefined) return false;
  if (view.cancelled === true) return capturedPayments(view).every(([id]) => view.refundsRequested?.includes(id) === true);
  if (view.saleOrderId === undefined) return false;
  if (view.needsShipment === true && (view.shipmentId === undefined || view.delivered !== true)) return false;
  const captured = capturedPayments(view);
  if (captured.length === 0) return false;
  if (view.invoicePosted !== true) return false;
  return allPaymentsRecorded(view) && view.paymentAuditFrom === undefined;
}

/** Every captured payment is registered in Odoo. */
export function allPaymentsRecorded(view: OrderView): boolean {
  return capturedPayments(view).every(([id]) => view.paymentsRecorded.includes(id));
}

/** The order can be invoiced: delivery done (or nothing to deliver) and money captured. */
export function isReadyToInvoice(view: OrderView): boolean {
  if (view.saleOrderId === undefined) return false;
  if (view.needsShipment === true && view.delivered !== true) return false;
  return capturedPayments(view).length > 0;
}
