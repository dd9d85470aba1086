/**
 * The payment gateway's event log: Stripe-style events (`id`, `type`,
 * `created` in epoch seconds, `data.object` with the payment) as a JSON export
 * or one event per line, and a generic JSON Lines form a team's own gateway
 * log can be mapped to. The same event id seen twice is a repeated delivery.
 */
import { LineProblem, ReaderLog, pickNumber, pickString, requireString } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';
import type { Row } from './lines.ts';

const ORDER_REF = [
  'order_ref',
  'orderRef',
  'data.object.metadata.order_ref',
  'data.object.metadata.orderRef',
  'data.object.metadata.order_id',
  'data.object.client_reference_id',
];

/** Stripe events: `data.object.amount` is in the currency's minor unit (cents). */
export function readStripeEvents(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const eventId = requireString(record, ['id']);
      const type = requireString(record, ['type']);
      const orderRef = pickString(record, ORDER_REF);
      if (orderRef === undefined) throw new LineProblem(`event ${eventId} names no order (data.object.metadata.order_ref): it cannot be joined to an order`);
      const cents = pickNumber(record, ['data.object.amount_received', 'data.object.amount']);
      const delivered = pickString(record, ['delivered_at', 'received_at']);
      const paymentId = pickString(record, ['data.object.id']);
      const attempt = pickNumber(record, ['attempt', 'delivery_attempt']);
      log.events.push({
        kind: 'payment.event',
        system: 'payment',
        file,
        line,
        orderRef,
        eventId,
        type,
        at: log.time(record.created, 'created'),
        ...(paymentId !== undefined && { paymentId }),
        ...(cents !== undefined && { amount: cents / 100 }),
        ...(delivered !== undefined && { deliveredAt: log.time(delivered, 'delivered_at') }),
        ...(attempt !== undefined && { attempt }),
      });
    });
  }
  return log.result('stripe-events');
}

/** `{"event_id","type","order_ref","payment_id","amount","occurred_at","delivered_at","attempt","status"}` per line; amount in major units. */
export function readPaymentJsonLines(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const eventId = requireString(record, ['event_id', 'eventId', 'id']);
      const type = requireString(record, ['type', 'event_type']);
      const orderRef = requireString(record, ['order_ref', 'orderRef']);
      const paymentId = pickString(record, ['payment_id', 'paymentId']);
      const amount = pickNumber(record, ['amount']);
      const delivered = pickString(record, ['delivered_at', 'deliveredAt']);
      const attempt = pickNumber(record, ['attempt']);
      const status = pickNumber(record, ['status', 'response_status']);
      log.events.push({
        kind: 'payment.event',
        system: 'payment',
        file,
        line,
        orderRef,
        eventId,
        type,
        at: log.time(record.occurred_at ?? record.occurredAt ?? record.created, 'occurred_at'),
        ...(paymentId !== undefined && { paymentId }),
        ...(amount !== undefined && { amount }),
        ...(delivered !== undefined && { deliveredAt: log.time(delivered, 'delivered_at') }),
        ...(attempt !== undefined && { attempt }),
        ...(status !== undefined && { status }),
      });
    });
  }
  return log.result('payment-jsonl');
}
