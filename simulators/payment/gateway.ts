/**
 * A Stripe-like payment gateway: payments captured or declined at once,
 * refunds, and webhooks delivered at least once, late, in any order.
 */
import type { PaymentEventType, PaymentStatus, PaymentWebhook } from '../../harness/contracts/payment.ts';
import { LEDGER_PATH, type System, type SystemContext } from '../../harness/core/system.ts';
import { json } from '../../harness/core/json-response.ts';
import { BadInput, requireAmount, requireCurrency, requireString } from '../shared/http.ts';
import { createInbound } from '../shared/inbound.ts';
import { createRouter } from '../shared/router.ts';
import { sequentialId } from '../shared/seeded-data.ts';
import { requireUrl } from '../shared/urls.ts';
import { type DeliveryRecord, webhookSenderFor } from '../shared/webhook-sender.ts';
import { deliveryPlan, scriptQueue } from '../shared/replay-script.ts';
import { type PaymentKnobs, readPaymentKnobs } from './knobs.ts';

export interface PaymentRecord {
  paymentId: string;
  orderRef: string;
  amount: number;
  currency: string;
  /** `refunded` once the whole amount has been refunded. */
  status: PaymentStatus;
  capturedAt: string | null;
  /** Total refunded so far, in the currency's unit. */
  refunded: number;
}

export interface PaymentDelivery {
  eventId: string;
  type: PaymentEventType;
  orderRef: string;
  /** 1 for the first try; for `dropped`, the attempt that was never made. */
  attempt: number;
  at: string;
  outcome: DeliveryRecord['outcome'];
  status: number | null;
  /** 0 for the original message, 1.. for duplicates the gateway made on purpose. */
  copy: number;
}

export interface PaymentLedger {
  payments: PaymentRecord[];
  deliveries: PaymentDelivery[];
}

export interface PaymentGateway extends System {
  readonly knobs: PaymentKnobs;
  /** The ledger as served at `GET /_faultline/ledger` (a copy). */
  ledger(): PaymentLedger;
  /** Webhook messages not yet delivered or given up on. */
  pendingWebhooks(): number;
}

export function createPaymentGateway(context: SystemContext): PaymentGateway {
  const knobs = readPaymentKnobs(context.config);
  const { clock, history } = context;
  const webhookUrl = `${requireUrl(context, 'middleware')}/webhooks/payment`;
  const payments = new Map<string, PaymentRecord>();
  const byOrder = new Map<string, PaymentRecord[]>();
  // Times stay numbers until a ledger is asked for: fewer strings on the hot path.
  const deliveries: (Omit<PaymentDelivery, 'at'> & { at: number })[] = [];
  let paymentCount = 0;
  let refundCount = 0;
  let eventCount = 0;

  const outcomeRng = context.rng.fork('outcome');
  // The recorded events, per order and type; the first recorded for an order also decides whether its payment is declined.
  const script = knobs.script ?? [];
  const nextScripted = scriptQueue(script, (e) => `${e.orderRef} ${e.type}`);
  const firstScripted = new Map<string, string>();
  for (const e of script) if (e.type !== 'payment.refunded' && !firstScripted.has(e.orderRef)) firstScripted.set(e.orderRef, e.type);
  let startedAt = 0;
  const inbound = createInbound({
    systemName: 'payment gateway',
    clock,
    rng: context.rng.fork('api'),
    api: knobs.api,
    requireSignatureWith: knobs.requireSignedRequests ? knobs.webhookSecret : null,
  });
  const sender = webhookSenderFor<{ type: PaymentEventType; orderRef: string }>(context, webhookUrl, knobs, (message, record) => {
    const event = message.meta;
    deliveries.push({
      eventId: record.eventId,
      type: event.type,
      orderRef: event.orderRef,
      attempt: record.attempt,
      at: record.at,
      outcome: record.outcome,
      status: record.status,
      copy: record.copy,
    });
  });

  const emit = (type: PaymentEventType, data: PaymentWebhook['data']): void => {
    const id = sequentialId('evt_pay_', ++eventCount);
    const webhook: PaymentWebhook = { id, type, created: new Date(clock.now()).toISOString(), data };
    const recorded = script.length === 0 ? undefined : nextScripted(`${data.orderRef} ${type}`);
    const plan = recorded === undefined ? undefined : deliveryPlan(clock.now(), startedAt, recorded.atMs, recorded);
    sender.send({ eventId: id, corr: data.orderRef, body: JSON.stringify(webhook), meta: { type, orderRef: data.orderRef }, ...plan });
  };

  const router = createRouter('payment gateway')
    .on('GET', LEDGER_PATH, () => json(200, snapshot()))
    .on('POST', '/payments', async (request) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const { raw, body } = await inbound.readBody(request);
      const orderRef = requireString(body, 'orderRef');
      const amount = requireAmount(body, 'amount');
      const currency = requireCurrency(body, 'currency');
      const response = inbound.idempotent(request, 'payments', raw, () => {
        const recordedOutcome = firstScripted.get(orderRef);
        const declined = recordedOutcome !== undefined ? recordedOutcome === 'payment.failed' : outcomeRng.chance(knobs.failureProbability);
        const record: PaymentRecord = {
          paymentId: sequentialId('pay_', ++paymentCount),
          orderRef,
          amount,
          currency,
          status: declined ? 'failed' : 'captured',
          capturedAt: declined ? null : new Date(clock.now()).toISOString(),
          refunded: 0,
        };
        payments.set(record.paymentId, record);
        const list = byOrder.get(orderRef);
        if (list === undefined) byOrder.set(orderRef, [record]);
        else list.push(record);
        if (!declined)
          history.append({ kind: 'event', system: context.name, name: 'payment.captured', corr: orderRef, data: { paymentId: record.paymentId, amount } });
        emit(declined ? 'payment.failed' : 'payment.captured', { paymentId: record.paymentId, orderRef, amount, currency });
        return { status: 201, body: { ...record } };
      });
      return inbound.answer(response);
    })
    .on('GET', '/payments', (_request, _params, url) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const orderRef = url.searchParams.get('orderRef');
      const list = orderRef === null ? [...payments.values()] : (byOrder.get(orderRef) ?? []);
      return inbound.answer(json(200, { payments: list }));
    })
    .on('POST', '/payments/:paymentId/refunds', async (request, params) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const { raw, body } = await inbound.readBody(request);
      const amount = requireAmount(body, 'amount');
      const payment = payments.get(params.paymentId!);
      if (payment === undefined) throw new BadInput(404, `no payment ${params.paymentId}; use the paymentId returned by POST /payments`);
      const response = inbound.idempotent(request, `refunds/${payment.paymentId}`, raw, () => {
        if (payment.status === 'failed') throw new BadInput(409, `payment ${payment.paymentId} was declined; there is nothing to refund`);
        const refundable = Math.round((payment.amount - payment.refunded) * 100) / 100;
        if (amount > refundable + 1e-9) {
          throw new BadInput(422, `refund of ${amount} exceeds what is left to refund on ${payment.paymentId} (${refundable}); refund at most that`);
        }
        payment.refunded = Math.round((payment.refunded + amount) * 100) / 100;
        if (payment.refunded >= payment.amount) payment.status = 'refunded';
        const refundId = sequentialId('re_', ++refundCount);
        history.append({
          kind: 'event',
          system: context.name,
          name: 'payment.refunded',
          corr: payment.orderRef,
          data: { paymentId: payment.paymentId, amount },
        });
        emit('payment.refunded', { paymentId: payment.paymentId, orderRef: payment.orderRef, amount, currency: payment.currency, refundId });
        return { status: 201, body: { refundId, paymentId: payment.paymentId, amount, status: 'refunded' } };
      });
      return inbound.answer(response);
    });

  const snapshot = (): PaymentLedger => ({
    payments: [...payments.values()].map((p) => ({ ...p })),
    deliveries: deliveries.map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
  });

  return {
    knobs,
    handle: (request) => router.handle(request),
    start() {
      startedAt = clock.now();
    },
    stop: () => sender.stop(),
    ledger: snapshot,
    pendingWebhooks: () => sender.pending,
  };
}
