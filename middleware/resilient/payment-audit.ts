/**
 * One job: find and cancel the second payment a late registration posted.
 *
 * A registration whose answer was lost is looked for before it is made again
 * (`syncOrder`), but a call still on its way cannot be seen: the retry finds
 * the invoice unpaid, registers, and the late call lands after it. Odoo posts
 * that second payment without complaint and leaves it unreconciled, as
 * outstanding credit (transcript 108). So once the order is quiet,
 * reconciliation counts the posted payments that carry the order's memo and
 * cancels those beyond the ones the middleware recorded (transcript 109).
 */
import { cancelPayment, findPostedPaymentsByMemo } from '../shared/odoo-sales.ts';
import { allPaymentsRecorded } from './order-view.ts';
import type { OrderView } from './order-view.ts';
import type { SyncDeps } from './sync-order.ts';

/** What one audit found: `clean` when Odoo holds no payment beyond the recorded ones, or no longer does. */
export type PaymentAudit = 'clean' | 'unresolved';

/** The order has a registration that may land late, and nothing else left to register. */
export function isAuditDue(view: OrderView): boolean {
  return view.paymentAuditFrom !== undefined && allPaymentsRecorded(view);
}

export async function auditPayments(deps: SyncDeps, view: OrderView): Promise<PaymentAudit> {
  const ref = view.ref;
  const client = deps.odoo.withCorrelationId(ref);
  const posted = await findPostedPaymentsByMemo(client, ref);
  const surplus = posted.length - view.paymentsRecorded.length;
  if (surplus <= 0) return 'clean';
  // The payment that landed first paid the invoice; a later one found nothing to pay and stayed unreconciled.
  const unmatched = posted.filter((p) => !p.is_reconciled).slice(-surplus);
  for (const payment of unmatched) {
    await cancelPayment(client, payment.id);
    deps.event('payment.surplus_cancelled', ref, { odooPaymentId: payment.id, amount: payment.amount });
  }
  if (unmatched.length === surplus) return 'clean';
  // A surplus that paid an invoice is not ours to unpick: cancelling it would reopen the invoice.
  deps.event('payment.surplus_unresolved', ref, { surplus: surplus - unmatched.length });
  return 'unresolved';
}
