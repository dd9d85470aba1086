import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, type Row, type Vals } from '../../orm/model.ts';
import { companySettings, idList, m2oId } from './company.ts';
import { MSG } from './messages.ts';
import { floatCompare, floatIsZero, floatRound } from './rounding.ts';
import { ordersOfLines, percentTaxes, recomputeOrderTotals, recomputeSaleLines, roundLineInputs } from './sale_amounts.ts';
import { computeLine } from './taxes.ts';
import { escapeHtml, postMessage } from './chatter.ts';
import { launchStockRules } from './stock_rules.ts';

const QTY_ROUNDING = 0.01;

/** Line fields a locked order protects (_get_protected_fields), by technical name as ir.model.fields sorts them. */
const PROTECTED: ReadonlyArray<readonly [string, string]> = [
  ['name', 'Description'],
  ['price_unit', 'Unit Price'],
  ['product_id', 'Product'],
  ['product_uom', 'Unit of Measure'],
  ['product_uom_qty', 'Quantity'],
  ['tax_id', 'Taxes'],
];

function refuseLockedChanges(env: Env, ids: readonly number[], vals: Vals): void {
  const touched = PROTECTED.filter(([field]) => vals[field] !== undefined);
  if (touched.length === 0) return;
  const lines = env.model('sale.order.line');
  const orders = env.model('sale.order');
  if (ids.some((id) => orders.row(lines.row(id)?.order_id as number)?.locked === true)) {
    throw new UserError(MSG.lockedFields(touched.map(([, label]) => label)));
  }
}
const AMOUNT_INPUTS = ['price_unit', 'product_uom_qty', 'discount', 'tax_id'] as const;

function isAccountable(row: Row): boolean {
  return row.display_type === false || row.display_type === undefined;
}

/** Goods are delivered through stock moves; anything else (services) is delivered by hand. */
function deliveredByMoves(env: Env, row: Row): boolean {
  if (typeof row.product_id !== 'number') return false;
  const type = env.model('product.product').get(row.product_id, 'type');
  return type === 'consu' || type === 'product';
}

/** Delivered quantity: done moves to customers minus done returns from them (sale_stock), or the manual figure. */
export function qtyDelivered(env: Env, row: Row): number {
  if (!deliveredByMoves(env, row)) return Number(row.qty_delivered_manual ?? 0);
  const moves = env.model('stock.move');
  const locations = env.model('stock.location');
  let qty = 0;
  for (const moveId of idList(env.model('sale.order.line').get(row.id, 'move_ids'))) {
    const move = moves.row(moveId);
    if (move === undefined || move.state !== 'done') continue;
    const destUsage = locations.get(move.location_dest_id as number, 'usage');
    const srcUsage = locations.get(move.location_id as number, 'usage');
    if (destUsage === 'customer' && srcUsage !== 'customer') qty += Number(move.quantity ?? 0);
    else if (srcUsage === 'customer' && destUsage !== 'customer') qty -= Number(move.quantity ?? 0);
  }
  return qty;
}

/** Invoiced quantity: lines of non-cancelled invoices (drafts count), refunds subtract. */
export function qtyInvoiced(env: Env, row: Row): number {
  const amls = env.model('account.move.line');
  const moves = env.model('account.move');
  let qty = 0;
  for (const amlId of idList(row.invoice_lines)) {
    const aml = amls.row(amlId);
    if (aml === undefined) continue;
    const move = moves.row(aml.move_id as number);
    if (move === undefined || move.state === 'cancel') continue;
    if (move.move_type === 'out_invoice') qty += Number(aml.quantity ?? 0);
    else if (move.move_type === 'out_refund') qty -= Number(aml.quantity ?? 0);
  }
  return qty;
}

function invoicePolicy(env: Env, productId: number | false): string {
  if (productId === false) return 'order';
  const policy = env.model('product.product').get(productId, 'invoice_policy');
  return typeof policy === 'string' ? policy : 'order';
}

function orderState(env: Env, row: Row): unknown {
  return env.model('sale.order').row(row.order_id as number)?.state;
}

export function qtyToInvoice(env: Env, row: Row): number {
  if (!isAccountable(row) || orderState(env, row) !== 'sale') return 0;
  return confirmedQtyToInvoice(env, row, qtyInvoiced(env, row), invoicePolicy(env, m2oId(row.product_id)));
}

/** qty_to_invoice of a line whose order is confirmed, given its invoiced quantity and its product's invoicing policy. */
function confirmedQtyToInvoice(env: Env, row: Row, invoiced: number, policy: string): number {
  if (!isAccountable(row)) return 0;
  return policy === 'delivery' ? qtyDelivered(env, row) - invoiced : Number(row.product_uom_qty ?? 0) - invoiced;
}

/**
 * untaxed_amount_invoiced of a line: the subtotals of its posted invoice lines
 * (drafts do not count here, unlike qty_invoiced), refunds subtracted.
 */
export function untaxedAmountInvoiced(env: Env, row: Row): number {
  const amls = env.model('account.move.line');
  const moves = env.model('account.move');
  let amount = 0;
  for (const amlId of idList(row.invoice_lines)) {
    const aml = amls.row(amlId);
    const move = aml === undefined ? undefined : moves.row(aml.move_id as number);
    if (move === undefined || move.state !== 'posted') continue;
    if (move.move_type === 'out_invoice') amount += Number(aml!.price_subtotal ?? 0);
    else if (move.move_type === 'out_refund') amount -= Number(aml!.price_subtotal ?? 0);
  }
  // Stored as monetary in Odoo, so rounded to the currency.
  return floatRound(amount, companySettings(env).rounding);
}

/** untaxed_amount_to_invoice (no price-included taxes on down payments, whose ordered quantity is 0). */
export function untaxedAmountToInvoice(env: Env, row: Row): number {
  if (orderState(env, row) !== 'sale') return 0;
  const policy = invoicePolicy(env, m2oId(row.product_id));
  const quantity = policy === 'delivery' ? qtyDelivered(env, row) : Number(row.product_uom_qty ?? 0);
  const priceReduce = Number(row.price_unit ?? 0) * (1 - Number(row.discount ?? 0) / 100);
  return floatRound(priceReduce * quantity - untaxedAmountInvoiced(env, row), companySettings(env).rounding);
}

export function lineInvoiceStatus(env: Env, row: Row): string {
  if (orderState(env, row) !== 'sale') return 'no';
  // A down payment whose invoice is still a draft counts as invoiced; once posted it waits for its deduction.
  if (row.is_downpayment === true && untaxedAmountToInvoice(env, row) === 0) return 'invoiced';
  // The invoiced quantity and the policy are looked up once: search_read computes this for every order it returns.
  const invoiced = qtyInvoiced(env, row);
  const policy = invoicePolicy(env, m2oId(row.product_id));
  const ordered = Number(row.product_uom_qty ?? 0);
  if (!floatIsZero(confirmedQtyToInvoice(env, row, invoiced, policy), QTY_ROUNDING)) return 'to invoice';
  if (policy === 'order' && ordered >= 0 && floatCompare(qtyDelivered(env, row), ordered, QTY_ROUNDING) === 1) return 'upselling';
  if (floatCompare(invoiced, ordered, QTY_ROUNDING) >= 0) return 'invoiced';
  return 'no';
}

/** Databases in which account.move.unlink is removing the down-payment lines of the invoices it deletes. */
export const releasingDownPayments = new WeakSet<object>();

/** Lines whose amounts were computed before insert (taxes known), so afterCreate can skip a write. */
const amountsReady = new WeakSet<Vals>();

/** Product defaults a line takes when the client gives only the product (onchange in the UI, compute over RPC). */
function applyProductDefaults(env: Env, vals: Vals): void {
  const productId = vals.product_id;
  if (typeof productId !== 'number') return;
  const products = env.model('product.product');
  if (products.row(productId) === undefined) return;
  if (vals.name === undefined) {
    // Odoo's _get_sale_order_line_multiline_description_sale: the product, then its sales description.
    const description = products.get(productId, 'description_sale');
    vals.name = typeof description === 'string' && description !== '' ? `${products.displayName(productId)}\n${description}` : products.displayName(productId);
  }
  if (vals.product_uom === undefined) vals.product_uom = products.get(productId, 'uom_id');
  if (vals.price_unit === undefined) vals.price_unit = Number(products.get(productId, 'list_price') ?? 0);
  if (vals.tax_id === undefined) {
    const taxes = idList(products.get(productId, 'taxes_id'));
    vals.tax_id = [[6, 0, taxes]];
    roundLineInputs(vals);
    const settings = companySettings(env);
    const amounts = computeLine(
      {
        priceUnit: Number(vals.price_unit),
        quantity: Number(vals.product_uom_qty ?? 1),
        discount: Number(vals.discount ?? 0),
        taxes: percentTaxes(env, taxes),
      },
      settings.rounding,
      settings.taxRounding,
    );
    vals.price_subtotal = amounts.subtotal;
    vals.price_tax = amounts.tax;
    vals.price_total = amounts.total;
    amountsReady.add(vals);
  }
}

/** sale.order.line.create: a product line added to a confirmed order is noted on it (message_post, sender checked). */
function noteExtraLines(env: Env, ids: readonly number[]): void {
  if (env.context.sale_no_log_for_new_lines === true) return;
  const lines = env.model('sale.order.line');
  for (const id of ids) {
    const row = lines.row(id);
    if (row === undefined || typeof row.product_id !== 'number' || row.is_downpayment === true || orderState(env, row) !== 'sale') continue;
    postMessage(env, 'sale.order', row.order_id as number, `Extra line with ${env.model('product.product').displayName(row.product_id)}`);
  }
}

/** sale.order.line.write → _update_line_quantity: a changed quantity on a confirmed line is noted on the order. */
function noteQuantityChanges(env: Env, ids: readonly number[], quantity: unknown): void {
  const lines = env.model('sale.order.line');
  const orders = new Set<number>();
  const changed: Row[] = [];
  for (const id of ids) {
    const row = lines.row(id);
    if (row === undefined || orderState(env, row) !== 'sale' || Math.abs(Number(row.product_uom_qty ?? 0) - Number(quantity)) < 0.005) continue;
    orders.add(row.order_id as number);
    changed.push(row);
  }
  // sale_stock's _update_line_quantity refuses first, before the note is posted.
  const goods = changed.filter(
    (row) => typeof row.product_id === 'number' && ['product', 'consu'].includes(String(env.model('product.product').get(row.product_id, 'type'))),
  );
  const delivered = Math.max(0, ...goods.map((row) => qtyDelivered(env, row)));
  if (goods.length > 0 && Number(quantity) < delivered - 0.005) throw new UserError(MSG.decreaseBelowDelivered);
  const pyFloat = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));
  const products = env.model('product.product');
  for (const order of orders) {
    let body = '<b>The ordered quantity has been updated.</b><ul>';
    for (const row of changed) {
      if (row.order_id !== order) continue;
      const product = row.product_id as number;
      body += `<li> ${escapeHtml(products.displayName(product))}: <br>Ordered Quantity: ${pyFloat(Number(row.product_uom_qty ?? 0))} -&gt; ${pyFloat(Number(quantity))}<br>`;
      if (['product', 'consu'].includes(String(products.get(product, 'type')))) body += `Delivered Quantity: ${pyFloat(qtyDelivered(env, row))}<br>`;
      body += `Invoiced Quantity: ${pyFloat(Number(lines.get(row.id, 'qty_invoiced') ?? 0))}<br></li>`;
    }
    postMessage(env, 'sale.order', order, `${body}</ul>`);
  }
}
export const saleOrderLine = defineModel({
  name: 'sale.order.line',
  description: 'Sales Order Line',
  order: 'order_id, sequence, id',
  fields: {
    order_id: fields.many2one('sale.order', { string: 'Order Reference', required: true, ondelete: 'cascade', index: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    display_type: fields.selection(
      [
        ['line_section', 'Section'],
        ['line_note', 'Note'],
      ],
      { string: 'Display Type', default: false },
    ),
    product_id: fields.many2one('product.product', { string: 'Product', index: true, ondelete: 'restrict' }),
    name: fields.text({ string: 'Description', required: true }),
    product_uom_qty: fields.float({ string: 'Quantity', digits: [16, 2], default: 1.0 }),
    product_uom: fields.many2one('uom.uom', { string: 'Unit of Measure' }),
    price_unit: fields.float({ string: 'Unit Price', digits: [16, 2], default: 0.0 }),
    discount: fields.float({ string: 'Discount (%)', digits: [16, 2], default: 0.0 }),
    tax_id: fields.many2many('account.tax', { string: 'Taxes' }),
    price_subtotal: fields.monetary({ string: 'Subtotal', readonly: true, currencyField: 'currency_id' }),
    price_tax: fields.monetary({ string: 'Total Tax', readonly: true, currencyField: 'currency_id' }),
    price_total: fields.monetary({ string: 'Total', readonly: true, currencyField: 'currency_id' }),
    is_downpayment: fields.boolean({ string: 'Is a down payment', default: false, copy: false }),
    customer_lead: fields.float({ string: 'Lead Time', default: 0.0 }),
    invoice_lines: fields.many2many('account.move.line', { string: 'Invoice Lines', copy: false }),
    move_ids: fields.one2many('stock.move', 'sale_line_id', { string: 'Stock Moves' }),
    qty_delivered_method: fields.selection(
      [
        ['manual', 'Manual'],
        ['stock_move', 'Stock Moves'],
      ],
      {
        string: 'Method to update delivered qty',
        compute: (env, row) => (deliveredByMoves(env, row) ? 'stock_move' : 'manual'),
      },
    ),
    qty_delivered_manual: fields.float({ string: 'Delivered Manually', digits: [16, 2], default: 0.0 }),
    qty_delivered: fields.float({ string: 'Delivery Quantity', digits: [16, 2], readonly: true, store: true, compute: (env, row) => qtyDelivered(env, row) }),
    qty_invoiced: fields.float({ string: 'Invoiced Quantity', digits: [16, 2], readonly: true, store: true, compute: (env, row) => qtyInvoiced(env, row) }),
    untaxed_amount_invoiced: fields.monetary({
      string: 'Untaxed Invoiced Amount',
      readonly: true,
      store: true,
      currencyField: 'currency_id',
      compute: (env, row) => untaxedAmountInvoiced(env, row),
    }),
    untaxed_amount_to_invoice: fields.monetary({
      string: 'Untaxed Amount To Invoice',
      readonly: true,
      store: true,
      currencyField: 'currency_id',
      compute: (env, row) => untaxedAmountToInvoice(env, row),
    }),
    qty_to_invoice: fields.float({
      string: 'Quantity To Invoice',
      digits: [16, 2],
      readonly: true,
      store: true,
      compute: (env, row) => qtyToInvoice(env, row),
    }),
    invoice_status: fields.selection(
      [
        ['upselling', 'Upselling Opportunity'],
        ['invoiced', 'Fully Invoiced'],
        ['to invoice', 'To Invoice'],
        ['no', 'Nothing to Invoice'],
      ],
      { string: 'Invoice Status', readonly: true, store: true, compute: (env, row) => lineInvoiceStatus(env, row) },
    ),
    state: fields.selection(
      [
        ['draft', 'Quotation'],
        ['sent', 'Quotation Sent'],
        ['sale', 'Sales Order'],
        ['cancel', 'Cancelled'],
      ],
      { string: 'Order Status', related: 'order_id.state' },
    ),
    order_partner_id: fields.many2one('res.partner', { string: 'Customer', related: 'order_id.partner_id' }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', related: 'order_id.currency_id' }),
    company_id: fields.many2one('res.company', { string: 'Company', related: 'order_id.company_id' }),
    salesman_id: fields.many2one('res.users', { string: 'Salesperson', related: 'order_id.user_id' }),
  },
  // "S00001 - O2C Consumable (O2C Customer)": order, first description line, commercial partner.
  displayName: (env, row) => {
    const order = env.model('sale.order').row(row.order_id as number);
    const description = typeof row.name === 'string' && row.name !== '' ? row.name.split('\n')[0]! : '';
    const product = description !== '' ? description : typeof row.product_id === 'number' ? env.model('product.product').displayName(row.product_id) : '';
    const partnerId = order?.partner_id;
    const partners = env.model('res.partner');
    const commercial = typeof partnerId === 'number' ? (partners.row(partnerId)?.commercial_partner_id ?? partnerId) : undefined;
    const commercialRow = typeof commercial === 'number' ? partners.row(commercial) : undefined;
    const partner = commercialRow === undefined ? '' : String(commercialRow.ref || commercialRow.name || '');
    return `${String(order?.name ?? '')} - ${product} (${partner})`;
  },
  hooks: {
    beforeCreate(env, vals) {
      applyProductDefaults(env, vals);
      roundLineInputs(vals);
    },
    afterCreate(env, ids, valsList) {
      const pending = ids.filter((_id, i) => !amountsReady.has(valsList[i]!));
      if (pending.length > 0) recomputeSaleLines(env, pending);
      const orderIds = ordersOfLines(env, ids);
      recomputeOrderTotals(env, orderIds);
      // A line added to a confirmed order is procured at once (sale_stock).
      const confirmed = orderIds.filter((id) => env.model('sale.order').row(id)?.state === 'sale');
      if (confirmed.length > 0) launchStockRules(env, confirmed);
      noteExtraLines(env, ids);
    },
    beforeWrite(env, ids, vals) {
      refuseLockedChanges(env, ids, vals);
      if (vals.product_uom_qty !== undefined) noteQuantityChanges(env, ids, vals.product_uom_qty);
      // qty_delivered is writable for manually delivered lines (services), as Odoo's inverse allows.
      if (vals.qty_delivered !== undefined) {
        vals.qty_delivered_manual = vals.qty_delivered;
        delete vals.qty_delivered;
      }
      // Odoo re-prices a line when its quantity or product changes, unless the
      // price is written too or something was already invoiced.
      if ((vals.product_uom_qty !== undefined || vals.product_id !== undefined) && vals.price_unit === undefined) {
        const lines = env.model('sale.order.line');
        for (const id of ids) {
          const row = lines.row(id);
          const productId = vals.product_id ?? row?.product_id;
          if (row === undefined || typeof productId !== 'number' || qtyInvoiced(env, row) > 0) continue;
          vals.price_unit = Number(env.model('product.product').get(productId, 'list_price') ?? 0);
          break;
        }
      }
      roundLineInputs(vals);
    },
    afterWrite(env, ids, vals) {
      if (!AMOUNT_INPUTS.some((field) => vals[field] !== undefined)) return;
      recomputeSaleLines(env, ids);
      const orderIds = ordersOfLines(env, ids);
      recomputeOrderTotals(env, orderIds);
      if (vals.product_uom_qty !== undefined) {
        const confirmed = orderIds.filter((id) => env.model('sale.order').row(id)?.state === 'sale');
        if (confirmed.length > 0) launchStockRules(env, confirmed);
      }
    },
    beforeUnlink(env, ids) {
      const lines = env.model('sale.order.line');
      for (const id of ids) {
        const row = lines.row(id);
        if (row === undefined || !isAccountable(row) || orderState(env, row) !== 'sale') continue;
        // A down payment never invoiced may go (Odoo's _check_line_unlink); so may one whose invoice is being deleted.
        if (row.is_downpayment === true && (idList(row.invoice_lines).length === 0 || releasingDownPayments.has(env.db))) continue;
        throw new UserError(MSG.removeConfirmedLine);
      }
      recomputeOrderTotals(env, ordersOfLines(env, ids), new Set(ids));
    },
  },
});
