/**
 * The order-to-cash steps both reference middlewares perform in Odoo, over its
 * external API only. Each function is one business step; what differs between
 * the designs is when and how often they are called, not how.
 */
import { createOdooClient, OdooError } from '../../harness/odoo/client.ts';
import type { OdooClient, OdooRecord } from '../../harness/odoo/client.ts';
import type { SystemContext } from '../../harness/core/system.ts';
import type { MiddlewareSettings } from './settings.ts';
import type { CaptureCustomer, CaptureOrder } from '../../harness/contracts/capture.ts';

export function connectOdoo(context: SystemContext, settings: MiddlewareSettings): OdooClient {
  return createOdooClient({
    url: settings.odooUrl,
    db: settings.odooDb,
    login: settings.odooLogin,
    password: settings.odooPassword,
    transport: settings.odooTransport,
    fetch: context.fetch,
    timeoutMs: settings.odooTimeoutMs,
  });
}

export interface ProductInfo {
  id: number;
  sku: string;
  /** Odoo 17 `detailed_type`: consu, product (storable), service. */
  type: string;
  invoicePolicy: string;
}

/** Product ids by sku, read from Odoo once and cached: a product's id does not change during a run. */
export class ProductDirectory {
  readonly #known = new Map<string, ProductInfo>();

  async resolve(client: OdooClient, skus: readonly string[]): Promise<Map<string, ProductInfo>> {
    const missing = [...new Set(skus)].filter((sku) => !this.#known.has(sku));
    if (missing.length > 0) {
      const rows = await client.searchRead('product.product', [['default_code', 'in', missing]], {
        fields: ['default_code', 'detailed_type', 'invoice_policy'],
      });
      for (const row of rows) {
        const sku = row.default_code;
        if (typeof sku === 'string') this.#known.set(sku, { id: row.id, sku, type: String(row.detailed_type), invoicePolicy: String(row.invoice_policy) });
      }
    }
    const found = new Map<string, ProductInfo>();
    for (const sku of skus) {
      const info = this.#known.get(sku);
      if (info === undefined) throw new UnknownSkuError(sku);
      found.set(sku, info);
    }
    return found;
  }
}

export class UnknownSkuError extends Error {
  constructor(sku: string) {
    super(`no product with default_code ${sku} in Odoo; run bootstrapOdoo with the catalogue first`);
    this.name = 'UnknownSkuError';
  }
}

export async function findOrCreatePartner(client: OdooClient, customer: CaptureCustomer): Promise<number> {
  return (await findPartner(client, customer)) ?? createPartner(client, customer);
}

/**
 * A pattern for Odoo's `like` operators that matches `text` and nothing
 * else: Odoo hands the value to SQL, where `_` and `%` are wildcards and a
 * backslash escapes them (flow 112). An email may hold both.
 */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * Partners whose email is `email` in any case: a customer who types her
 * address in capitals on her second order is the same customer, as Odoo's
 * own `find_or_create` has it.
 */
export function emailIs(email: string): ['email', '=ilike', string] {
  return ['email', '=ilike', likeLiteral(email)];
}

/** What tells one customer from another: the email, in any case (`emailIs`). */
export function customerKey(email: string): string {
  return email.toLowerCase();
}

/** The customer's partner as the storefront's orders find it: by the email they carry, in any case. */
export async function findPartner(client: OdooClient, customer: CaptureCustomer): Promise<number | undefined> {
  const ids = await client.search('res.partner', [emailIs(customer.email)], { limit: 1 });
  return ids[0];
}

export async function createPartner(client: OdooClient, customer: CaptureCustomer): Promise<number> {
  return client.create('res.partner', compact({ name: customer.name, email: customer.email, street: customer.street, city: customer.city, zip: customer.zip }));
}

export interface CustomerPartnerView extends OdooRecord {
  ref: string | false;
}

/** Every active commercial partner carrying the customer's email in any case, oldest first. */
export async function findCustomerPartners(client: OdooClient, email: string): Promise<CustomerPartnerView[]> {
  const domain = [emailIs(email), ['parent_id', '=', false] as const];
  return client.searchRead<CustomerPartnerView>('res.partner', domain, { fields: ['ref'], order: 'id asc' });
}

/** The partners among `partnerIds` that some sale order bills. */
export async function partnersWithOrders(client: OdooClient, partnerIds: readonly number[]): Promise<Set<number>> {
  if (partnerIds.length === 0) return new Set();
  const orders = await client.searchRead('sale.order', [['partner_id', 'in', [...partnerIds]]], { fields: ['partner_id'] });
  return new Set(orders.map((o) => (Array.isArray(o.partner_id) ? Number(o.partner_id[0]) : Number.NaN)));
}

/** Archives partners: their documents keep them, new orders no longer find them. */
export async function archivePartners(client: OdooClient, partnerIds: readonly number[]): Promise<void> {
  await client.write('res.partner', [...partnerIds], { active: false });
}

export async function createSaleOrder(client: OdooClient, order: CaptureOrder, partnerId: number, products: Map<string, ProductInfo>): Promise<number> {
  return client.create('sale.order', {
    partner_id: partnerId,
    client_order_ref: order.ref,
    order_line: order.lines.map((line) => [0, 0, { product_id: products.get(line.sku)!.id, product_uom_qty: line.quantity, price_unit: line.unitPrice }]),
  });
}

export async function confirmSaleOrder(client: OdooClient, saleOrderId: number): Promise<void> {
  await client.executeKw('sale.order', 'action_confirm', [[saleOrderId]], {}, { acceptNone: true });
}

export interface SaleOrderView extends OdooRecord {
  name: string;
  state: string;
  partner_id: [number, string] | false;
  client_order_ref: string | false;
  picking_ids: number[];
  invoice_ids: number[];
  amount_total: number;
}

const SALE_ORDER_FIELDS = ['name', 'state', 'partner_id', 'client_order_ref', 'picking_ids', 'invoice_ids', 'amount_total'] as const;

export async function findSaleOrdersByRef(client: OdooClient, refs: readonly string[]): Promise<SaleOrderView[]> {
  if (refs.length === 0) return [];
  const domain = refs.length === 1 ? [['client_order_ref', '=', refs[0]!] as const] : [['client_order_ref', 'in', refs] as const];
  return client.searchRead<SaleOrderView>('sale.order', domain, { fields: SALE_ORDER_FIELDS, order: 'id asc' });
}

export async function readSaleOrder(client: OdooClient, saleOrderId: number): Promise<SaleOrderView | undefined> {
  const rows = await client.read<SaleOrderView>('sale.order', [saleOrderId], SALE_ORDER_FIELDS);
  return rows[0];
}

/**
 * Marks the order's open deliveries done. Pickings already done are skipped
 * (validating one again is a UserError in Odoo). Returns the ids validated.
 */
export async function validatePickings(client: OdooClient, pickingIds: readonly number[], known?: readonly OdooRecord[]): Promise<number[]> {
  if (pickingIds.length === 0) return [];
  const pickings = known ?? (await client.read('stock.picking', pickingIds, ['state']));
  const open = pickings.filter((p) => p.state !== 'done' && p.state !== 'cancel').map((p) => p.id);
  for (const id of open) {
    try {
      await validateOne(client, id);
    } catch (error) {
      // Nothing reserved (storable goods out of stock): encode the quantities, as a warehouse clerk would.
      if (!(error instanceof OdooError) || !error.isUserError || !/no quantities are reserved/.test(error.faultString)) throw error;
      const [picking] = await client.read('stock.picking', [id], ['move_ids', 'state']);
      if (picking === undefined || picking.state === 'done') continue;
      const moves = await client.read('stock.move', picking.move_ids as number[], ['product_uom_qty']);
      for (const move of moves) await client.write('stock.move', [move.id], { quantity: move.product_uom_qty, picked: true });
      await validateOne(client, id);
    }
  }
  return open;
}

/** Validates the open deliveries of a sale order, found by `sale_id` (one read instead of two). */
export async function validateOrderDeliveries(client: OdooClient, saleOrderId: number): Promise<number[]> {
  const open = await client.searchRead(
    'stock.picking',
    [
      ['sale_id', '=', saleOrderId],
      ['state', 'not in', ['done', 'cancel']],
    ],
    { fields: ['state'] },
  );
  if (open.length === 0) return [];
  return validatePickings(
    client,
    open.map((p) => p.id),
    open,
  );
}

async function validateOne(client: OdooClient, pickingId: number): Promise<void> {
  const result = await client.executeKw('stock.picking', 'button_validate', [[pickingId]], {}, { acceptNone: true });
  if (result !== null && typeof result === 'object' && (result as { res_model?: unknown }).res_model === 'stock.backorder.confirmation') {
    // A short pick: ship what was picked and keep the rest as a backorder, Odoo's default answer.
    const context = (result as { context?: Record<string, unknown> }).context ?? {};
    const wizard = await client.create('stock.backorder.confirmation', {}, { context });
    await client.executeKw('stock.backorder.confirmation', 'process', [[wizard]], { context }, { acceptNone: true });
  }
}

/**
 * Cancels a confirmed sale order. Over RPC `action_cancel` only returns the
 * cancel wizard unless told not to warn; it cancels the open pickings too.
 */
export async function cancelSaleOrder(client: OdooClient, saleOrderId: number): Promise<void> {
  await client.executeKw('sale.order', 'action_cancel', [[saleOrderId]], { context: { disable_cancel_warning: true } }, { acceptNone: true });
}

export type InvoiceMethod = { kind: 'delivered' } | { kind: 'down-payment'; percent: number };

/**
 * Invoices a confirmed order through the `sale.advance.payment.inv` wizard
 * (`_create_invoices` is private over RPC) and returns the new draft invoice ids.
 */
export async function createInvoices(client: OdooClient, saleOrderId: number, method: InvoiceMethod, knownInvoiceIds: readonly number[]): Promise<number[]> {
  const context = { active_model: 'sale.order', active_ids: [saleOrderId], active_id: saleOrderId };
  const values = method.kind === 'delivered' ? { advance_payment_method: 'delivered' } : { advance_payment_method: 'percentage', amount: method.percent };
  const wizard = await client.create('sale.advance.payment.inv', values, { context });
  // Without a payment term Odoo builds its answer with a None inside; over XML-RPC
  // that faults after the commit, so the action is not trusted: re-read the order.
  const action = await client.executeKw('sale.advance.payment.inv', 'create_invoices', [[wizard]], { context }, { acceptNone: true });
  const resId = action !== null && typeof action === 'object' ? (action as { res_id?: unknown }).res_id : undefined;
  if (typeof resId === 'number' && resId > 0 && !knownInvoiceIds.includes(resId)) return [resId];
  const order = await readSaleOrder(client, saleOrderId);
  return (order?.invoice_ids ?? []).filter((id) => !knownInvoiceIds.includes(id));
}

/** True when Odoo refused to invoice because nothing is invoiceable yet (delivery-policy goods not delivered). */
export function isNothingToInvoice(error: unknown): boolean {
  return error instanceof OdooError && error.isUserError && /No items are available to invoice/.test(error.faultString);
}

export async function postInvoice(client: OdooClient, invoiceId: number): Promise<void> {
  await client.executeKw('account.move', 'action_post', [[invoiceId]], {}, { acceptNone: true });
}

/**
 * True when Odoo refused to post because another posted entry of the journal
 * holds the draft's name: drafts created at once on a fresh year all take the
 * first number, and only one of them can keep it.
 */
export function isEntryNameTaken(error: unknown): boolean {
  return error instanceof OdooError && error.isUserError && /Another entry with the same name already exists/.test(error.faultString);
}

/** Forgets a draft entry's name, so posting gives it the next free number. */
export async function clearDraftName(client: OdooClient, moveId: number): Promise<void> {
  await client.write('account.move', [moveId], { name: '/' });
}

export interface InvoiceView extends OdooRecord {
  state: string;
  payment_state: string;
  amount_total: number;
  amount_residual: number;
  ref: string | false;
}

export async function readInvoices(client: OdooClient, invoiceIds: readonly number[]): Promise<InvoiceView[]> {
  if (invoiceIds.length === 0) return [];
  return client.read<InvoiceView>('account.move', invoiceIds, ['state', 'payment_state', 'amount_total', 'amount_residual', 'ref']);
}

/** Registers a customer payment against a posted invoice, through the wizard so it is reconciled. */
export async function registerPayment(client: OdooClient, invoiceId: number, amount: number, memo: string): Promise<void> {
  const context = { active_model: 'account.move', active_ids: [invoiceId], active_id: invoiceId };
  const wizard = await client.create('account.payment.register', { amount, communication: memo }, { context });
  await client.executeKw('account.payment.register', 'action_create_payments', [[wizard]], { context }, { acceptNone: true });
}

/** A posted customer payment as a payment audit reads it. */
export interface PostedPaymentView extends OdooRecord {
  amount: number;
  /** Matched to an invoice; an unreconciled one sits on the customer's account as outstanding credit. */
  is_reconciled: boolean;
}

/** The posted customer payments that carry `memo` (the wizard's communication becomes the payment's `ref`), oldest first. */
export async function findPostedPaymentsByMemo(client: OdooClient, memo: string): Promise<PostedPaymentView[]> {
  const domain = [['ref', '=', memo] as const, ['state', '=', 'posted'] as const, ['payment_type', '=', 'inbound'] as const];
  return client.searchRead<PostedPaymentView>('account.payment', domain, { fields: ['amount', 'is_reconciled'], order: 'id asc' });
}

/**
 * Cancels a posted payment: Odoo 17 resets its entry to draft (unreconciling
 * it) and cancels it. A payment already cancelled is refused ("Only draft
 * journal entries can be cancelled"), so callers look before cancelling again.
 */
export async function cancelPayment(client: OdooClient, paymentId: number): Promise<void> {
  await client.executeKw('account.payment', 'action_cancel', [[paymentId]], {}, { acceptNone: true });
}

/**
 * Records money received without an invoice to reconcile it with: a posted
 * customer payment that stays outstanding on the partner's account.
 */
export async function recordCustomerPayment(client: OdooClient, partnerId: number, amount: number, memo: string): Promise<number> {
  const id = await client.create('account.payment', { payment_type: 'inbound', partner_type: 'customer', partner_id: partnerId, amount, ref: memo });
  await client.executeKw('account.payment', 'action_post', [[id]], {}, { acceptNone: true });
  return id;
}

/** True when the register-payment wizard refused because the invoice is already paid. */
export function isNothingLeftToPay(error: unknown): boolean {
  return error instanceof OdooError && error.isUserError && /nothing left to pay/.test(error.faultString);
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}
