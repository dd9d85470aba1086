/**
 * One job: bring Odoo and the 3PL in line with the middleware's view of one
 * order. Each step first checks whether it already happened (in the view, or
 * in Odoo when an earlier attempt may have been cut short), then does it and
 * records it. Running the job twice therefore changes nothing the second time.
 */
import type { SystemContext } from '../../harness/core/system.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import {
  cancelSaleOrder,
  clearDraftName,
  createInvoices,
  findSaleOrdersByRef,
  isEntryNameTaken,
  isNothingLeftToPay,
  postInvoice,
  type ProductDirectory,
  readInvoices,
  readSaleOrder,
  registerPayment,
  validateOrderDeliveries,
} from '../shared/odoo-sales.ts';
import type { ProductInfo } from '../shared/odoo-sales.ts';
import { cancelShipment, createShipment, listShipments, refundPayment } from '../shared/upstreams.ts';
import type { MiddlewareSettings } from '../shared/settings.ts';
import { capturedPayments, isDeliveredEverywhere, isReadyToInvoice } from './order-view.ts';
import type { OrderView } from './order-view.ts';
import { createSaleOrderOnce } from './create-once.ts';
import { settleRounding } from './rounding.ts';
import type { OneAtATime } from './one-at-a-time.ts';
import type { ResilientStore } from './store.ts';

export interface SyncDeps {
  context: SystemContext;
  settings: MiddlewareSettings;
  store: ResilientStore;
  odoo: OdooClient;
  products: ProductDirectory;
  /** A customer's partner is looked for and made for one order at a time: two orders of a returning customer would each find none and make one. */
  customers: OneAtATime;
  /** The largest difference between Odoo's order total and the charge booked as rounding; more goes to the dead-letter queue. */
  roundingToleranceCents: number;
  event(name: string, corr: string, data?: Record<string, unknown>): void;
}

/** `progressed` hears of every step the job records, so a job that moves forward is not treated as one that goes round. */
export async function syncOrder(deps: SyncDeps, ref: string, progressed: () => void = () => undefined): Promise<void> {
  const { store, context } = deps;
  let view = store.view(ref);
  // Webhooks about an order not accepted yet wait for the order itself.
  if (view.order === undefined) return;
  const client = deps.odoo.withCorrelationId(ref);
  const update = (change: (v: OrderView) => void) => {
    progressed();
    return (view = store.updateView(ref, context.clock.now(), change));
  };

  if (view.cancelRequested === true && view.cancelRefused !== true) {
    if (view.cancelled !== true) {
      // State guard: once the parcel is delivered or the order invoiced, a cancellation is a return, not ours to do.
      const tooLate = view.delivered === true || view.invoicePosted === true || !(await cancelOrder(deps, client, view));
      update((v) => {
        if (tooLate) v.cancelRefused = true;
        else v.cancelled = true;
      });
      deps.event(tooLate ? 'order.cancel_refused' : 'order.cancelled', ref);
      if (tooLate) return syncOrder(deps, ref, progressed);
    }
    await refundCaptures(deps, view);
    return;
  }

  // Intents are logged before a call that has effects: if its answer is lost, the
  // next attempt looks before doing it again. `logged` marks intents this run wrote.
  const logged = { shipment: false, invoice: false };
  if (view.saleOrderId === undefined) {
    const so = await ensureSaleOrder(deps, client, view, update);
    // One write records the sale order and, when it ships, the intent to book the shipment.
    update((v) => {
      v.saleOrderId = so.id;
      v.needsShipment = so.needsShipment;
      if (so.needsShipment && v.shipmentId === undefined && v.shipmentRequested !== true) {
        v.shipmentRequested = true;
        logged.shipment = true;
      }
    });
  }

  // Before anything is invoiced: the invoice and the payment follow the order's total.
  if (view.roundingAdjustment === undefined) await settleRounding(deps, client, view, update);

  if (view.needsShipment === true && view.shipmentId === undefined) {
    const upstream = {
      fetch: context.fetch,
      baseUrl: deps.settings.urls.logistics,
      timeoutMs: deps.settings.upstreamTimeoutMs,
      correlationId: ref,
      idempotencyKey: `shipment-${ref}`,
    };
    let shipmentId: string | undefined;
    if (view.shipmentRequested === true && !logged.shipment) {
      // An earlier request may have reached the 3PL and lost its answer: look before booking again.
      const existing = await listShipments(upstream, ref);
      shipmentId = existing.find((s) => s.status !== 'cancelled')?.shipmentId;
    } else if (view.shipmentRequested !== true) {
      update((v) => {
        v.shipmentRequested = true;
      });
    }
    shipmentId ??= (await createShipment(upstream, view.order!)).shipmentId;
    update((v) => {
      v.shipmentId = shipmentId;
    });
  }

  // State guard: deliveries are validated only once the 3PL says the parcel arrived.
  if (
    view.needsShipment === true &&
    view.delivered !== true &&
    deliveredByThreePL(
      view,
      await deps.products.resolve(
        client,
        view.order.lines.map((l) => l.sku),
      ),
    )
  ) {
    await validateOrderDeliveries(client, view.saleOrderId!);
    update((v) => {
      v.delivered = true;
      if (isReadyToInvoice(v) && !hasInvoices(v) && v.invoiceRequested !== true) {
        v.invoiceRequested = true;
        logged.invoice = true;
      }
    });
  }

  // State guard: invoice only after delivery (or when there is nothing to deliver) and once money is captured.
  if (!isReadyToInvoice(view)) return;
  const saleOrderId = view.saleOrderId!;

  let freshDrafts = false;
  if (!hasInvoices(view)) {
    let invoiceIds: number[] = [];
    if (view.invoiceRequested === true && !logged.invoice) invoiceIds = (await readSaleOrder(client, saleOrderId))?.invoice_ids ?? [];
    else if (view.invoiceRequested !== true) {
      update((v) => {
        v.invoiceRequested = true;
      });
    }
    if (invoiceIds.length === 0) {
      invoiceIds = await createInvoices(client, saleOrderId, { kind: 'delivered' }, []);
      freshDrafts = true;
    }
    if (invoiceIds.length === 0) throw new Error(`Odoo created no invoice for ${ref} (sale order ${saleOrderId})`);
    update((v) => {
      v.invoiceIds = invoiceIds;
    });
  }
  const invoiceId = view.invoiceIds![0]!;
  const unrecorded = () => capturedPayments(view).filter(([id]) => !view.paymentsRecorded.includes(id));
  const loggedPayments = new Set<string>();

  if (view.invoicePosted !== true) {
    // Invoices this run just created are drafts; others may have been posted by an attempt cut short.
    const drafts = freshDrafts ? view.invoiceIds! : (await readInvoices(client, view.invoiceIds!)).filter((i) => i.state === 'draft').map((i) => i.id);
    for (const id of drafts) await postDraft(deps, client, ref, id);
    // One write records the posting and the intent to register the first payment.
    const [next] = unrecorded().filter(([id]) => view.paymentsRequested?.includes(id) !== true);
    update((v) => {
      v.invoicePosted = true;
      if (next !== undefined) {
        v.paymentsRequested = [...(v.paymentsRequested ?? []), next[0]];
        loggedPayments.add(next[0]);
      }
    });
    deps.event('invoice.posted', ref, { invoiceIds: view.invoiceIds });
  }

  for (const [paymentId, payment] of unrecorded()) {
    // Logged before an earlier attempt: that registration may have committed and lost its answer.
    const mayBeRegistered = view.paymentsRequested?.includes(paymentId) === true && !loggedPayments.has(paymentId);
    if (mayBeRegistered && (await invoiceIsPaid(client, invoiceId))) {
      recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, true);
      continue;
    }
    if (view.paymentsRequested?.includes(paymentId) !== true) {
      update((v) => {
        v.paymentsRequested = [...(v.paymentsRequested ?? []), paymentId];
      });
    } else if (mayBeRegistered) {
      // Unpaid as far as Odoo can tell, yet the earlier call may only be late: register, and have reconciliation look again.
      update((v) => {
        v.paymentAuditFrom = context.clock.now();
      });
    }
    try {
      await registerPayment(client, invoiceId, payment.amount, ref);
    } catch (error) {
      if (!isNothingLeftToPay(error)) throw error;
      // Odoo refuses a second registration of a paid invoice: look, do not register again.
      if (mayBeRegistered && (await invoiceIsPaid(client, invoiceId))) {
        recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, true);
        continue;
      }
      // Never registered before, yet the invoice is paid: money this order did not expect, for a person to look at.
      throw new InvoiceAlreadyPaidError(
        `${ref}: payment ${paymentId} (${payment.amount}) has nothing left to pay on invoice ${invoiceId}, which something else paid`,
      );
    }
    recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, false);
  }
}

/**
 * Posts a draft invoice. Odoo refuses a draft whose name another posted entry
 * took, and every retry the same way (docs/real-odoo.md, "Two invoices posted
 * at once"): the draft's name has to go before posting can number it afresh.
 */
async function postDraft(deps: SyncDeps, client: OdooClient, ref: string, invoiceId: number): Promise<void> {
  try {
    await postInvoice(client, invoiceId);
  } catch (error) {
    if (!isEntryNameTaken(error)) throw error;
    await clearDraftName(client, invoiceId);
    deps.event('invoice.renumbered', ref, { invoiceId });
    await postInvoice(client, invoiceId);
  }
}

/** Refused by Odoo for good (nothing left to pay on an invoice this payment never touched): no retry can help. */
export class InvoiceAlreadyPaidError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvoiceAlreadyPaidError';
  }
}

/** Paid, or paid and waiting for the bank statement: either way no registration is open on it. */
async function invoiceIsPaid(client: OdooClient, invoiceId: number): Promise<boolean> {
  const [invoice] = await readInvoices(client, [invoiceId]);
  if (invoice === undefined) return false;
  return invoice.payment_state === 'paid' || invoice.payment_state === 'in_payment' || invoice.amount_residual <= 0.005;
}

function recordPayment(
  deps: SyncDeps,
  ref: string,
  paymentId: string,
  amount: number,
  invoiceId: number,
  update: (change: (v: OrderView) => void) => OrderView,
  recovered: boolean,
): void {
  update((v) => {
    v.paymentsRecorded.push(paymentId);
  });
  deps.event('payment.recorded', ref, { paymentId, amount, invoiceId, ...(recovered && { recovered: true }) });
}

/**
 * Cancels at the 3PL first (the step that can be too late), then in Odoo
 * (found by ref, in case an earlier attempt created it). False when the 3PL
 * says the parcel already left.
 */
async function cancelOrder(deps: SyncDeps, client: OdooClient, view: OrderView): Promise<boolean> {
  const ref = view.ref;
  if (view.shipmentId !== undefined || view.shipmentRequested === true) {
    const call = { fetch: deps.context.fetch, baseUrl: deps.settings.urls.logistics, timeoutMs: deps.settings.upstreamTimeoutMs, correlationId: ref };
    const shipments =
      view.shipmentId !== undefined ? [view.shipmentId] : (await listShipments(call, ref)).filter((s) => s.status !== 'cancelled').map((s) => s.shipmentId);
    for (const id of shipments) if (!(await cancelShipment(call, id))) return false;
  }
  const saleOrderIds = view.saleOrderId !== undefined ? [view.saleOrderId] : (await findSaleOrdersByRef(client, [ref])).map((so) => so.id);
  for (const id of saleOrderIds) await cancelSaleOrder(client, id);
  return true;
}

/** Gives the customer's money back for a cancelled order, once per payment (the gateway replays a repeated key). */
async function refundCaptures(deps: SyncDeps, view: OrderView): Promise<void> {
  for (const [paymentId, payment] of capturedPayments(view)) {
    if (view.refundsRequested?.includes(paymentId) === true) continue;
    const call = {
      fetch: deps.context.fetch,
      baseUrl: deps.settings.urls.payment,
      timeoutMs: deps.settings.upstreamTimeoutMs,
      correlationId: view.ref,
      idempotencyKey: `refund-${paymentId}`,
    };
    await refundPayment(call, paymentId, payment.amount);
    view = deps.store.updateView(view.ref, deps.context.clock.now(), (v) => {
      v.refundsRequested = [...(v.refundsRequested ?? []), paymentId];
    });
  }
}

function hasInvoices(view: OrderView): boolean {
  return view.invoiceIds !== undefined && view.invoiceIds.length > 0;
}

/**
 * The order's sale order, created once (`create-once.ts`). Whether it ships
 * follows from the product types (services create no picking), which saves
 * reading the order back.
 */
async function ensureSaleOrder(
  deps: SyncDeps,
  client: OdooClient,
  view: OrderView,
  update: (change: (v: OrderView) => void) => OrderView,
): Promise<{ id: number; needsShipment: boolean }> {
  const order = view.order!;
  const products = await deps.products.resolve(
    client,
    order.lines.map((l) => l.sku),
  );
  const needsShipment = order.lines.some((l) => products.get(l.sku)!.type !== 'service');
  const id = await createSaleOrderOnce(deps, client, view, products, update);
  return { id, needsShipment };
}

function deliveredByThreePL(view: OrderView, products: Map<string, ProductInfo>): boolean {
  const goods = (view.order?.lines ?? []).filter((l) => products.get(l.sku)?.type !== 'service');
  return isDeliveredEverywhere(view, goods);
}
