/**
 * The naive middleware: what many projects ship, written in good faith. Each
 * failure it shows comes from one design choice, named where it is made:
 *
 * - synchronous chain: `POST /orders` answers only after Odoo and the 3PL
 *   have both answered, so a slow 3PL stalls order intake and makes the
 *   capture platform time out and retry;
 * - no idempotency: every request that arrives is executed, so a retried
 *   order becomes a second sale order and a repeated payment webhook records
 *   the money a second time;
 * - invoice on payment: the customer paid, so what Odoo lets us invoice is
 *   billed at once; the rest is billed when the 3PL says "delivered";
 * - one parcel is the whole order: the first "delivered" validates the whole
 *   picking, so a partial shipment gets invoiced before its last parcel arrives;
 * - no ordering: shipment events are applied in arrival order, so a late
 *   "in_transit" overwrites "delivered";
 * - no retries and no queue: when Odoo is down the order is refused and,
 *   once the sender gives up, never arrives;
 * - no reconciliation: nothing ever compares the systems afterwards.
 */
import type { System, SystemContext, SystemFactory } from '../../harness/core/system.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import { json, problem } from '../../harness/core/json-response.ts';
import { errorMessage, parseJson } from '../shared/http.ts';
import { type CancelRequest, type CaptureOrder, parseCancelPath, parseCaptureOrder } from '../../harness/contracts/capture.ts';
import { type LogisticsEvent, parseLogisticsEvent } from '../../harness/contracts/logistics.ts';
import { type PaymentEvent, parsePaymentEvent } from '../../harness/contracts/payment.ts';
import { readMiddlewareSettings } from '../shared/settings.ts';
import {
  cancelSaleOrder,
  confirmSaleOrder,
  connectOdoo,
  createInvoices,
  createSaleOrder,
  findOrCreatePartner,
  findSaleOrdersByRef,
  isNothingLeftToPay,
  isNothingToInvoice,
  postInvoice,
  ProductDirectory,
  readInvoices,
  recordCustomerPayment,
  registerPayment,
  UnknownSkuError,
  validatePickings,
} from '../shared/odoo-sales.ts';
import { cancelShipment, createShipment } from '../shared/upstreams.ts';
import { parseCrmEvent } from '../../harness/contracts/crm.ts';
import { createNaiveCrmFeed } from './crm.ts';
import { startNaiveAnalyticsExport } from './analytics.ts';

export function createNaiveMiddleware(context: SystemContext): System {
  const settings = readMiddlewareSettings(context);
  const odoo = connectOdoo(context, settings);
  const products = new ProductDirectory();
  const onCrmEvent = createNaiveCrmFeed(odoo);
  const analytics = startNaiveAnalyticsExport(context, odoo, settings.upstreamTimeoutMs);
  // Its own view of each shipment lives in memory: the last status it heard, and which shipment an order booked.
  const shipmentStatus = new Map<string, string>();
  const shipmentByRef = new Map<string, string>();
  const upstream = (ref: string) => ({ fetch: context.fetch, baseUrl: settings.urls.logistics, timeoutMs: settings.upstreamTimeoutMs, correlationId: ref });

  const event = (name: string, corr: string, data?: Record<string, unknown>) =>
    context.history.append({ kind: 'event', system: context.name, name, corr, ...(data !== undefined && { data }) });

  async function placeOrder(order: CaptureOrder): Promise<Response> {
    const client = odoo.withCorrelationId(order.ref);
    // No idempotency: the capture platform's retry after a lost answer runs all of this again.
    const found = await products.resolve(
      client,
      order.lines.map((l) => l.sku),
    );
    const partnerId = await findOrCreatePartner(client, order.customer);
    const saleOrderId = await createSaleOrder(client, order, partnerId, found);
    await confirmSaleOrder(client, saleOrderId);
    // Synchronous chain: the capture platform waits while the 3PL books the shipment.
    const ships = order.lines.some((l) => found.get(l.sku)!.type !== 'service');
    if (ships) {
      const booked = await createShipment(upstream(order.ref), order);
      shipmentByRef.set(order.ref, booked.shipmentId);
    }
    event('order.accepted', order.ref, { orderId: saleOrderId });
    return json(201, { orderId: String(saleOrderId), status: 'accepted' });
  }

  async function onPayment(payment: PaymentEvent): Promise<Response> {
    if (payment.type !== 'payment.captured') return json(200, { ignored: payment.type });
    const ref = payment.data.orderRef;
    const client = odoo.withCorrelationId(ref);
    const [order] = await findSaleOrdersByRef(client, [ref]);
    if (order === undefined) return problem(404, `no sale order with client_order_ref ${ref} in Odoo yet`);
    // "The customer has paid, so invoice them": an open invoice of the order, or a new one.
    const open = (await readInvoices(client, order.invoice_ids)).find((i) => i.state === 'posted' && i.amount_residual > 0);
    let invoiceId = open?.id;
    if (invoiceId === undefined) {
      const created = await invoiceWhatWasPaid(client, order.id, order.invoice_ids);
      for (const id of created) {
        await postInvoice(client, id);
        event('invoice.posted', ref, { invoiceId: id });
      }
      invoiceId = created[0];
    }
    // No idempotency: a repeated webhook records the same capture a second time.
    if (invoiceId !== undefined) {
      try {
        await registerPayment(client, invoiceId, payment.data.amount, ref);
        event('payment.recorded', ref, { paymentId: payment.data.paymentId, amount: payment.data.amount, invoiceId });
        return json(200, { invoiceId });
      } catch (error) {
        if (!isNothingLeftToPay(error)) throw error;
      }
    }
    // Nothing to pay against: book the money as a customer payment, to be matched "later".
    const partnerId = order.partner_id === false ? undefined : order.partner_id[0];
    if (partnerId === undefined) return problem(502, `sale order ${order.name} has no customer to book the payment on`);
    const paymentId = await recordCustomerPayment(client, partnerId, payment.data.amount, ref);
    event('payment.recorded', ref, { paymentId: payment.data.paymentId, amount: payment.data.amount, odooPaymentId: paymentId });
    return json(200, { odooPaymentId: paymentId });
  }

  /** A regular invoice of what Odoo lets us invoice now; none when that is nothing (goods not delivered yet). */
  async function invoiceWhatWasPaid(client: OdooClient, saleOrderId: number, known: number[]): Promise<number[]> {
    try {
      return await createInvoices(client, saleOrderId, { kind: 'delivered' }, known);
    } catch (error) {
      if (isNothingToInvoice(error)) return [];
      throw error;
    }
  }

  async function onShipment(update: LogisticsEvent): Promise<Response> {
    // No ordering: the last event to arrive wins, whatever its seq.
    if (shipmentStatus.get(update.shipmentId) !== update.status) {
      shipmentStatus.set(update.shipmentId, update.status);
      event('shipment.state', update.orderRef, { shipmentId: update.shipmentId, status: update.status, seq: update.seq });
    }
    if (update.status === 'delivered') {
      const client = odoo.withCorrelationId(update.orderRef);
      const [order] = await findSaleOrdersByRef(client, [update.orderRef]);
      if (order === undefined) return problem(404, `no sale order with client_order_ref ${update.orderRef} in Odoo yet`);
      // The whole picking, whatever this parcel holds: "delivered" means the order arrived.
      await validatePickings(client, order.picking_ids);
      // Bill what the delivery made invoiceable; the payment was booked when it came.
      try {
        for (const id of await createInvoices(client, order.id, { kind: 'delivered' }, order.invoice_ids)) {
          await postInvoice(client, id);
          event('invoice.posted', update.orderRef, { invoiceId: id });
        }
      } catch (error) {
        if (!isNothingToInvoice(error)) throw error;
      }
    }
    return json(200, { status: update.status });
  }

  async function cancelOrder(cancel: CancelRequest): Promise<Response> {
    const client = odoo.withCorrelationId(cancel.ref);
    // The first sale order with this ref; with no idempotency there may be others.
    const [order] = await findSaleOrdersByRef(client, [cancel.ref]);
    if (order === undefined) return problem(404, `no sale order with client_order_ref ${cancel.ref} in Odoo`);
    await cancelSaleOrder(client, order.id);
    const shipmentId = shipmentByRef.get(cancel.ref);
    if (shipmentId !== undefined) await cancelShipment(upstream(cancel.ref), shipmentId);
    return json(200, { orderId: String(order.id), status: 'cancelled' });
  }

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === 'GET' && path === '/health') return json(200, { status: 'ok', design: 'naive' });
    if (request.method !== 'POST')
      return problem(405, `${request.method} ${path} is not served; the naive middleware takes POST /orders, /webhooks/payment, /webhooks/logistics`);
    const body = parseJson(await request.text());
    if (!body.ok) return problem(400, body.error);
    const cancelPath = /^\/orders\/([^/]+)\/cancel$/.exec(path);
    if (cancelPath !== null) {
      const cancel = parseCancelPath(cancelPath[1]!, body.value);
      return cancel.ok ? cancelOrder(cancel.value) : problem(400, cancel.error);
    }
    switch (path) {
      case '/orders': {
        const order = parseCaptureOrder(body.value);
        return order.ok ? placeOrder(order.value) : problem(400, order.error);
      }
      case '/webhooks/payment': {
        const payment = parsePaymentEvent(body.value);
        return payment.ok ? onPayment(payment.value) : problem(400, payment.error);
      }
      case '/webhooks/logistics': {
        const update = parseLogisticsEvent(body.value);
        return update.ok ? onShipment(update.value) : problem(400, update.error);
      }
      case '/webhooks/crm': {
        const crm = parseCrmEvent(body.value);
        return crm.ok ? onCrmEvent(crm.value) : problem(400, crm.error);
      }
      default:
        return problem(404, `no route POST ${path}; the naive middleware takes POST /orders, /webhooks/payment, /webhooks/logistics`);
    }
  }

  return {
    stop: () => analytics.stop(),
    async handle(request) {
      try {
        return await route(request);
      } catch (error) {
        // No retries: the failure goes back to the sender, whose own policy decides what happens next.
        if (error instanceof UnknownSkuError) return problem(422, error.message);
        return problem(502, errorMessage(error));
      }
    },
  };
}

export const naiveMiddleware: SystemFactory = createNaiveMiddleware;
export default naiveMiddleware;
