import type { InvoiceLineRow, InvoiceRow, OdooSnapshot, PaymentRow, PickingRow, ProductRow, SaleOrderRow } from './odoo-snapshot.ts';

/**
 * Lookups over an Odoo snapshot that several invariants share: which sale
 * orders, pickings, invoices and payments belong to which capture order ref.
 * Built once per snapshot and cached, so nine invariants pay for it once.
 */
export interface OdooIndex {
  /** Every sale order per `client_order_ref`, cancelled ones included, by id. */
  ordersByRef: ReadonlyMap<string, readonly SaleOrderRow[]>;
  orderById: ReadonlyMap<number, SaleOrderRow>;
  pickingsByOrderId: ReadonlyMap<number, readonly PickingRow[]>;
  invoicesByRef: ReadonlyMap<string, readonly InvoiceRow[]>;
  invoiceById: ReadonlyMap<number, InvoiceRow>;
  linesByInvoiceId: ReadonlyMap<number, readonly InvoiceLineRow[]>;
  paymentsByRef: ReadonlyMap<string, readonly PaymentRow[]>;
  /** Payments no order ref could be traced to, by ref, reconciled invoice or invoice name. */
  unattributedPayments: readonly PaymentRow[];
  productById: ReadonlyMap<number, ProductRow>;
  loginByUid: ReadonlyMap<number, string>;
  /** The capture order ref an invoice belongs to, if any. */
  refOfInvoice(invoice: InvoiceRow): string | undefined;
}

const cache = new WeakMap<OdooSnapshot, OdooIndex>();

export function indexOdooSnapshot(snapshot: OdooSnapshot): OdooIndex {
  const cached = cache.get(snapshot);
  if (cached !== undefined) return cached;
  const index = buildOdooIndex(snapshot);
  cache.set(snapshot, index);
  return index;
}

function buildOdooIndex(snapshot: OdooSnapshot): OdooIndex {
  const ordersByRef = new Map<string, SaleOrderRow[]>();
  const orderById = new Map<number, SaleOrderRow>();
  const orderByName = new Map<string, SaleOrderRow>();
  const refOfInvoiceId = new Map<number, string>();
  const pickingOwner = new Map<number, number>();
  for (const order of snapshot.saleOrders) {
    orderById.set(order.id, order);
    if (!orderByName.has(order.name)) orderByName.set(order.name, order);
    if (order.clientOrderRef !== null) push(ordersByRef, order.clientOrderRef, order);
    for (const id of order.pickingIds) pickingOwner.set(id, order.id);
    if (order.clientOrderRef !== null) for (const id of order.invoiceIds) refOfInvoiceId.set(id, order.clientOrderRef);
  }

  const pickingsByOrderId = new Map<number, PickingRow[]>();
  for (const picking of snapshot.pickings) {
    const owner = picking.saleId ?? pickingOwner.get(picking.id) ?? (picking.origin === null ? undefined : orderByName.get(picking.origin)?.id);
    if (owner !== undefined) push(pickingsByOrderId, owner, picking);
  }

  const knownRef = (field: string | null): string | undefined => findRef(field, (ref) => ordersByRef.has(ref));

  const invoiceById = new Map<number, InvoiceRow>();
  const invoiceByName = new Map<string, InvoiceRow>();
  const invoicesByRef = new Map<string, InvoiceRow[]>();
  const refOf = new Map<number, string>();
  for (const invoice of snapshot.invoices) {
    invoiceById.set(invoice.id, invoice);
    if (invoice.name !== '' && invoice.name !== '/') invoiceByName.set(invoice.name, invoice);
    const ref =
      knownRef(invoice.ref) ??
      refOfInvoiceId.get(invoice.id) ??
      (invoice.invoiceOrigin === null ? undefined : (orderByName.get(invoice.invoiceOrigin)?.clientOrderRef ?? undefined));
    if (ref !== undefined) {
      refOf.set(invoice.id, ref);
      push(invoicesByRef, ref, invoice);
    }
  }

  const linesByInvoiceId = new Map<number, InvoiceLineRow[]>();
  for (const line of snapshot.invoiceLines ?? []) push(linesByInvoiceId, line.moveId, line);

  const paymentsByRef = new Map<string, PaymentRow[]>();
  const unattributedPayments: PaymentRow[] = [];
  for (const payment of snapshot.payments) {
    let ref = knownRef(payment.ref);
    for (const id of payment.reconciledInvoiceIds ?? []) ref ??= refOf.get(id);
    if (ref === undefined && payment.ref !== null) {
      const invoice = invoiceByName.get(payment.ref);
      if (invoice !== undefined) ref = refOf.get(invoice.id);
    }
    if (ref === undefined) unattributedPayments.push(payment);
    else push(paymentsByRef, ref, payment);
  }

  return {
    ordersByRef,
    orderById,
    pickingsByOrderId,
    invoicesByRef,
    invoiceById,
    linesByInvoiceId,
    paymentsByRef,
    unattributedPayments,
    productById: new Map(snapshot.products.map((p) => [p.id, p])),
    loginByUid: new Map(snapshot.users.map((u) => [u.id, u.login])),
    refOfInvoice: (invoice) => refOf.get(invoice.id),
  };
}

/** The order ref a free-text field carries. It may hold more than the ref ("Refund CAP-000001"), so it is matched by token. */
export function findRef(field: string | null, isRef: (candidate: string) => boolean): string | undefined {
  if (field === null) return undefined;
  if (isRef(field)) return field;
  for (const token of field.split(/[^A-Za-z0-9_-]+/)) if (token !== '' && isRef(token)) return token;
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/** Sale orders of a ref that still count: a cancelled duplicate is a repaired one. */
export function liveOrders(index: OdooIndex, ref: string): SaleOrderRow[] {
  return (index.ordersByRef.get(ref) ?? []).filter((o) => o.state !== 'cancel');
}

/** Posted payments move money; drafts and cancelled ones do not. Outbound ones pay money back. */
export function signedPaymentAmount(payment: PaymentRow): number {
  if (payment.state !== 'posted') return 0;
  return payment.paymentType === 'outbound' ? -payment.amount : payment.amount;
}
