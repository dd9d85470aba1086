/**
 * How news about payments and shipments changes an order's view, whether it
 * comes from a webhook or from reconciliation. Both go through the same state
 * guards, so neither can move the view backwards.
 */
import { isNewer } from './order-view.ts';
import type { OrderView, PaymentState, ShipmentState } from './order-view.ts';

const PAYMENT_RANK: Record<PaymentState['status'], number> = { failed: 0, captured: 1, refunded: 2 };

/** Returns true when the view changed. */
export function applyPayment(view: OrderView, paymentId: string, amount: number, status: PaymentState['status']): boolean {
  const current = view.payments[paymentId];
  if (current === undefined) {
    view.payments[paymentId] = { amount, status };
    return true;
  }
  if (PAYMENT_RANK[status] <= PAYMENT_RANK[current.status]) return false;
  current.status = status;
  return true;
}

/**
 * Returns 'moved' when the shipment moved forward, 'lines' when a late event
 * only told what the parcel holds, false when it changed nothing (late or repeated).
 */
export function applyShipment(view: OrderView, shipmentId: string, next: ShipmentState): 'moved' | 'lines' | false {
  const current = view.shipments[shipmentId];
  if (!isNewer(current, next)) {
    // A late "shipped" still tells what the parcel holds, if nothing else did.
    if (current !== undefined && current.lines === undefined && next.lines !== undefined) {
      current.lines = next.lines;
      return 'lines';
    }
    return false;
  }
  view.shipments[shipmentId] = { ...next, ...(next.lines === undefined && current?.lines !== undefined && { lines: current.lines }) };
  return 'moved';
}
