import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, type Vals } from '../../orm/model.ts';
import { recomputeLineAmounts, recomputeMoveTotals } from './account_amounts.ts';
import { idList, m2oId } from './company.ts';
import { floatRound, PRECISION } from './rounding.ts';

const accountCache = new WeakMap<Env['db'], Map<string, number | false>>();

/** An account by code (master data, cached per database). */
export function accountByCode(env: Env, code: string): number | false {
  let cache = accountCache.get(env.db);
  if (cache === undefined) accountCache.set(env.db, (cache = new Map()));
  let id = cache.get(code);
  if (id === undefined) {
    id = env.model('account.account').search([['code', '=', code]], { limit: 1 })[0] ?? false;
    cache.set(code, id);
  }
  return id;
}

function applyProductDefaults(env: Env, vals: Vals): void {
  const productId = vals.product_id;
  if (typeof productId !== 'number') return;
  const products = env.model('product.product');
  if (products.row(productId) === undefined) return;
  if (vals.name === undefined) vals.name = products.displayName(productId);
  if (vals.product_uom_id === undefined) vals.product_uom_id = products.get(productId, 'uom_id');
  if (vals.price_unit === undefined) vals.price_unit = Number(products.get(productId, 'list_price') ?? 0);
  if (vals.tax_ids === undefined) vals.tax_ids = [[6, 0, idList(products.get(productId, 'taxes_id'))]];
}

function roundInputs(vals: Vals): void {
  if (typeof vals.price_unit === 'number') vals.price_unit = floatRound(vals.price_unit, 10 ** -PRECISION.productPrice);
  if (typeof vals.quantity === 'number') vals.quantity = floatRound(vals.quantity, 10 ** -PRECISION.productUnitOfMeasure);
  if (typeof vals.discount === 'number') vals.discount = floatRound(vals.discount, 10 ** -PRECISION.discount);
}

function movesOf(env: Env, lineIds: readonly number[]): number[] {
  const lines = env.model('account.move.line');
  return [...new Set(lineIds.map((id) => m2oId(lines.row(id)?.move_id)).filter((id): id is number => id !== false))];
}

/** Keeps sale.order.line.invoice_lines in step with account.move.line.sale_line_ids (Odoo's shared relation table). */
function linkSaleLines(env: Env, lineIds: readonly number[], add: boolean): void {
  const lines = env.model('account.move.line');
  const saleLines = env.model('sale.order.line');
  for (const id of lineIds) {
    for (const saleLineId of idList(lines.row(id)?.sale_line_ids)) {
      if (saleLines.row(saleLineId) === undefined) continue;
      const current = idList(saleLines.row(saleLineId)!.invoice_lines);
      if (add && !current.includes(id)) saleLines.write([saleLineId], { invoice_lines: [[4, id, 0]] });
      if (!add && current.includes(id)) saleLines.write([saleLineId], { invoice_lines: [[3, id, 0]] });
    }
  }
}

const AMOUNT_INPUTS = ['price_unit', 'quantity', 'discount', 'tax_ids'] as const;

/** Journal items; the emulator keeps only invoice product lines (see account_amounts.ts). */
export const accountMoveLine = defineModel({
  name: 'account.move.line',
  description: 'Journal Item',
  order: 'date desc, id',
  fields: {
    move_id: fields.many2one('account.move', { string: 'Journal Entry', required: true, ondelete: 'cascade', index: true }),
    move_name: fields.char({ string: 'Number', related: 'move_id.name' }),
    date: fields.date({ string: 'Date', related: 'move_id.date' }),
    parent_state: fields.selection([['draft', 'Draft'], ['posted', 'Posted'], ['cancel', 'Cancelled']], { string: 'Status', related: 'move_id.state' }),
    journal_id: fields.many2one('account.journal', { string: 'Journal', related: 'move_id.journal_id' }),
    move_type: fields.selection([['entry', 'Journal Entry'], ['out_invoice', 'Customer Invoice'], ['out_refund', 'Customer Credit Note']], { string: 'Type', related: 'move_id.move_type' }),
    company_id: fields.many2one('res.company', { string: 'Company', related: 'move_id.company_id' }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', related: 'move_id.currency_id' }),
    partner_id: fields.many2one('res.partner', { string: 'Partner', related: 'move_id.partner_id' }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    name: fields.char({ string: 'Label' }),
    display_type: fields.selection(
      [['product', 'Product'], ['cogs', 'Cost of Goods Sold'], ['tax', 'Tax'], ['discount', 'Discount'], ['rounding', 'Rounding'], ['payment_term', 'Payment Term'], ['line_section', 'Section'], ['line_note', 'Note'], ['epd', 'Early Payment Discount']],
      { string: 'Display Type', required: true, default: 'product' },
    ),
    product_id: fields.many2one('product.product', { string: 'Product' }),
    product_uom_id: fields.many2one('uom.uom', { string: 'Unit of Measure' }),
    quantity: fields.float({ string: 'Quantity', digits: [16, 2], default: 1.0 }),
    price_unit: fields.float({ string: 'Unit Price', digits: [16, 2], default: 0.0 }),
    discount: fields.float({ string: 'Discount (%)', digits: [16, 2], default: 0.0 }),
    tax_ids: fields.many2many('account.tax', { string: 'Taxes' }),
    price_subtotal: fields.monetary({ string: 'Subtotal', readonly: true, currencyField: 'currency_id' }),
    price_total: fields.monetary({ string: 'Total', readonly: true, currencyField: 'currency_id' }),
    account_id: fields.many2one('account.account', { string: 'Account', default: (env: Env) => accountByCode(env, '400000') }),
    sale_line_ids: fields.many2many('sale.order.line', { string: 'Sales Order Lines', copy: false }),
  },
  displayName: (env, row) => {
    const move = typeof row.move_id === 'number' ? env.model('account.move').displayName(row.move_id) : '';
    return typeof row.name === 'string' && row.name !== '' ? `${move} ${row.name}` : move;
  },
  hooks: {
    beforeCreate(env, vals) {
      applyProductDefaults(env, vals);
      roundInputs(vals);
    },
    afterCreate(env, ids) {
      recomputeLineAmounts(env, ids);
      recomputeMoveTotals(env, movesOf(env, ids));
      linkSaleLines(env, ids, true);
    },
    beforeWrite(_env, _ids, vals) {
      roundInputs(vals);
    },
    afterWrite(env, ids, vals) {
      if (vals.sale_line_ids !== undefined) linkSaleLines(env, ids, true);
      if (!AMOUNT_INPUTS.some((field) => vals[field] !== undefined)) return;
      recomputeLineAmounts(env, ids);
      recomputeMoveTotals(env, movesOf(env, ids));
    },
    beforeUnlink(env, ids) {
      linkSaleLines(env, ids, false);
      recomputeMoveTotals(env, movesOf(env, ids), new Set(ids));
    },
  },
});
