/**
 * The payment gateway's webhook to a middleware (simulators/CONTRACTS.md,
 * "Payment gateway"), with the validator a receiver checks it with. The
 * gateway (simulators/payment) sends it; the middlewares parse it.
 */
import { type Parsed, fail, isNum, isObj, isText } from './parsed.ts';

/** A payment's state at the gateway, as its API and its ledger show it. */
export type PaymentStatus = 'captured' | 'failed' | 'refunded';

export type PaymentEventType = 'payment.captured' | 'payment.failed' | 'payment.refunded';

/** The body of `POST /webhooks/payment` as a receiver may rely on it once parsed. */
export interface PaymentEvent {
  id: string;
  type: PaymentEventType;
  created: string;
  data: { paymentId: string; orderRef: string; amount: number; currency: string };
}

/** The webhook as the simulated gateway sends it: a refund also names the refund, which no receiver needs (the parser drops it). */
export interface PaymentWebhook extends PaymentEvent {
  data: PaymentEvent['data'] & { refundId?: string };
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
