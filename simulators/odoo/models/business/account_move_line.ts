import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, type Vals } from '../../orm/model.ts';
import { recomputeLineAmounts, recomputeMoveTotals } from './account_amounts.ts';
import { idList, m2oId } from './company.ts';
import { floatRound, PRECISION } from './rounding.ts';
import { UserError } from '../../orm/errors.ts';
import { MSG } from './messages.ts';

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

function sameIds(a: unknown, b: readonly number[]): boolean {
  const left = [...idList(a)].sort((x, y) => x - y);
  const right = [...b].sort((x, y) => x - y);
  return left.length === right.length && left.every((id, i) => id === right[i]);
}

/** The tax ids a many2many write leaves on a line (the commands clients send for tax_ids). */
function taxesAfter(current: readonly number[], value: unknown): number[] {
  if (!Array.isArray(value)) return [...current];
  let ids = [...current];
  for (const command of value) {
    if (typeof command === 'number') {
      if (!ids.includes(command)) ids.push(command);
      continue;
    }
    if (!Array.isArray(command)) continue;
    const [op, id, arg] = command as [number, number, unknown];
    if (op === 6) ids = [...idList(arg)];
    else if (op === 5) ids = [];
    else if (op === 4 && !ids.includes(id)) ids.push(id);
    else if (op === 3 || op === 2) ids = ids.filter((x) => x !== id);
    else return [-1]; // creates a tax: a change
  }
  return ids;
}

/**
 * What Odoo 17 refuses on the items of posted entries (without lock dates or
 * hashing, which a fresh database has not): changing their taxes, and any
 * change of amount once the entry is reconciled (its receivable line would
 * change).
 */
function refusePostedChanges(env: Env, ids: readonly number[], vals: Vals): void {
  const lines = env.model('account.move.line');
  const moves = env.model('account.move');
  for (const id of ids) {
    const line = lines.row(id);
    const move = line === undefined ? undefined : moves.row(line.move_id as number);
    if (line === undefined || move === undefined || move.state !== 'posted') continue;
    if (vals.tax_ids !== undefined && !sameIds(line.tax_ids, taxesAfter(idList(line.tax_ids), vals.tax_ids))) throw new UserError(MSG.postedTaxes);
    const changesAmount = (['price_unit', 'quantity', 'discount'] as const).some(
      (field) => vals[field] !== undefined && Number(vals[field]) !== Number(line[field] ?? 0),
    );
    if (changesAmount && isReconciled(env, move.id)) throw new UserError(MSG.reconciledEntry(String(move.name), move.id));
  }
}

function isReconciled(env: Env, moveId: number): boolean {
  const table = env.db.table('account.partial.reconcile');
  return table.referrers('debit_move_id', moveId).length > 0 || table.referrers('credit_move_id', moveId).length > 0;
}

/** A product line added to or removed from a reconciled posted entry changes its receivable line too. */
function refuseReconciledLineChange(env: Env, moveId: unknown): void {
  if (typeof moveId !== 'number') return;
  const move = env.model('account.move').row(moveId);
  if (move !== undefined && move.state === 'posted' && isReconciled(env, moveId)) throw new UserError(MSG.reconciledEntry(String(move.name), moveId));
}

/** Journal items; the emulator keeps only invoice product lines (see account_amounts.ts). */
export const accountMoveLine = defineModel({
  name: 'account.move.line',
  description: 'Journal Item',
  order: 'date desc, id',
  fields: {
    move_id: fields.many2one('account.move', { string: 'Journal Entry', required: true, ondelete: 'cascade', index: true }),
    move_name: fields.char({ string: 'Number', related: 'move_id.name' }),
    date: fields.date({ string: 'Date', related: 'move_id.date' }),
    parent_state: fields.selection(
      [
        ['draft', 'Draft'],
        ['posted', 'Posted'],
        ['cancel', 'Cancelled'],
      ],
      { string: 'Status', related: 'move_id.state' },
    ),
    journal_id: fields.many2one('account.journal', { string: 'Journal', related: 'move_id.journal_id' }),
    move_type: fields.selection(
      [
        ['entry', 'Journal Entry'],
        ['out_invoice', 'Customer Invoice'],
        ['out_refund', 'Customer Credit Note'],
      ],
      { string: 'Type', related: 'move_id.move_type' },
    ),
    company_id: fields.many2one('res.company', { string: 'Company', related: 'move_id.company_id' }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', related: 'move_id.currency_id' }),
    partner_id: fields.many2one('res.partner', { string: 'Partner', related: 'move_id.partner_id' }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    name: fields.char({ string: 'Label' }),
    display_type: fields.selection(
      [
        ['product', 'Product'],
        ['cogs', 'Cost of Goods Sold'],
        ['tax', 'Tax'],
        ['discount', 'Discount'],
        ['rounding', 'Rounding'],
        ['payment_term', 'Payment Term'],
        ['line_section', 'Section'],
        ['line_note', 'Note'],
        ['epd', 'Early Payment Discount'],
      ],
      { string: 'Display Type', required: true, default: 'product' },
    ),
    product_id: fields.many2one('product.product', { string: 'Product', ondelete: 'restrict' }),
    product_uom_id: fields.many2one('uom.uom', { string: 'Unit of Measure' }),
    quantity: fields.float({ string: 'Quantity', digits: [16, 2], default: 1.0 }),
    price_unit: fields.float({ string: 'Unit Price', digits: [16, 2], default: 0.0 }),
    discount: fields.float({ string: 'Discount (%)', digits: [16, 2], default: 0.0 }),
    tax_ids: fields.many2many('account.tax', { string: 'Taxes' }),
    price_subtotal: fields.monetary({ string: 'Subtotal', readonly: true, currencyField: 'currency_id' }),
    price_total: fields.monetary({ string: 'Total', readonly: true, currencyField: 'currency_id' }),
    account_id: fields.many2one('account.account', { string: 'Account', default: (env: Env) => accountByCode(env, '400000') }),
    is_downpayment: fields.boolean({ string: 'Is Downpayment', default: false }),
    sale_line_ids: fields.many2many('sale.order.line', { string: 'Sales Order Lines', copy: false }),
  },
  displayName: (env, row) => {
    const move = typeof row.move_id === 'number' ? env.model('account.move').displayName(row.move_id) : '';
    return typeof row.name === 'string' && row.name !== '' ? `${move} ${row.name}` : move;
  },
  hooks: {
    beforeCreate(env, vals) {
      if (vals.display_type === undefined || vals.display_type === 'product') refuseReconciledLineChange(env, vals.move_id);
      applyProductDefaults(env, vals);
      roundInputs(vals);
    },
    afterCreate(env, ids) {
      recomputeLineAmounts(env, ids);
      recomputeMoveTotals(env, movesOf(env, ids));
      linkSaleLines(env, ids, true);
    },
    beforeWrite(env, ids, vals) {
      roundInputs(vals);
      refusePostedChanges(env, ids, vals);
    },
    afterWrite(env, ids, vals) {
      if (vals.sale_line_ids !== undefined) linkSaleLines(env, ids, true);
      if (!AMOUNT_INPUTS.some((field) => vals[field] !== undefined)) return;
      recomputeLineAmounts(env, ids);
      recomputeMoveTotals(env, movesOf(env, ids));
    },
    beforeUnlink(env, ids) {
      // A posted entry only goes whole with force_delete; otherwise a product line may not leave a reconciled one.
      const lines = env.model('account.move.line');
      if (env.context.force_delete !== true)
        for (const id of ids) if (lines.row(id)?.display_type === 'product') refuseReconciledLineChange(env, lines.row(id)?.move_id);
      linkSaleLines(env, ids, false);
      recomputeMoveTotals(env, movesOf(env, ids), new Set(ids));
    },
  },
});
