import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { extendModel } from '../../orm/model.ts';
import type { OdooModule } from '../../orm/module.ts';
import { accountMove } from './account_move.ts';
import { accountMoveLine } from './account_move_line.ts';
import { accountMoveReversal } from './account_move_reversal.ts';
import { accountPartialReconcile } from './account_partial_reconcile.ts';
import { accountPayment, paymentMethodLine } from './account_payment.ts';
import { accountPaymentRegister } from './account_payment_register.ts';
import { partnerAccounting } from './partner_accounting.ts';
import { productStock } from './product_stock.ts';
import { forgetTaxes } from './sale_amounts.ts';
import { saleAdvancePaymentInv } from './sale_advance_payment_inv.ts';
import { saleOrder } from './sale_order.ts';
import { saleOrderCancel } from './sale_order_cancel.ts';
import { saleOrderLine } from './sale_order_line.ts';
import { stockBackorderConfirmation, stockBackorderConfirmationLine } from './stock_backorder_confirmation.ts';
import { stockChangeProductQty } from './stock_change_product_qty.ts';
import { stockMove } from './stock_move.ts';
import { stockPicking } from './stock_picking.ts';
import { stockQuant } from './stock_quant.ts';
import { stockReturnPicking, stockReturnPickingLine } from './stock_return_picking.ts';
import { mailMessage, mailMessageSubtype, mailTrackingValue, seedChatter } from './chatter.ts';
import { irModelFields } from './ir_model_fields.ts';
import { mailThreadExtensions } from './mail_thread.ts';
import { assignOutstanding, journalItemFields } from './journal_items.ts';

const pickingTypeBackorder = extendModel({
  name: 'stock.picking.type',
  fields: {
    create_backorder: fields.selection(
      [
        ['ask', 'Ask'],
        ['always', 'Always'],
        ['never', 'Never'],
      ],
      { string: 'Create Backorder', required: true, default: 'ask' },
    ),
  },
});

/** The product down payments are invoiced with, created by the first down payment (sale). */
const companyDownPayment = extendModel({
  name: 'res.company',
  fields: {
    sale_down_payment_product_id: fields.many2one('product.product', { string: 'Deposit Product' }),
  },
});

/** Tax edits reach the amount computations at once (they cache taxes per database). */
const taxCacheInvalidation = extendModel({
  name: 'account.tax',
  hooks: {
    afterWrite(env) {
      forgetTaxes(env.db);
    },
    beforeUnlink(env) {
      forgetTaxes(env.db);
    },
  },
});

/** A "Manual" inbound and outbound method on every bank and cash journal, as a fresh Odoo has. */
function seedPaymentMethods(env: Env): void {
  const journals = env.model('account.journal').search([['type', 'in', ['bank', 'cash']]]);
  const methods = env.model('account.payment.method.line');
  for (const journalId of journals) {
    methods.create({ name: 'Manual', payment_type: 'inbound', journal_id: journalId, code: 'manual' });
    methods.create({ name: 'Manual', payment_type: 'outbound', journal_id: journalId, code: 'manual' });
  }
}

/**
 * The sale → delivery → invoice → payment flow of Odoo 17 (sale_management,
 * sale_stock, stock, account). Registered after the base module.
 */
export const businessModule: OdooModule = {
  name: 'business',
  models: [
    saleOrder,
    saleOrderLine,
    saleOrderCancel,
    saleAdvancePaymentInv,
    stockPicking,
    stockMove,
    stockQuant,
    stockBackorderConfirmation,
    stockBackorderConfirmationLine,
    stockChangeProductQty,
    stockReturnPicking,
    stockReturnPickingLine,
    accountMove,
    accountMoveLine,
    accountPartialReconcile,
    accountPayment,
    paymentMethodLine,
    accountPaymentRegister,
    accountMoveReversal,
    mailMessageSubtype,
    mailMessage,
    mailTrackingValue,
    irModelFields,
  ],
  extensions: [
    productStock,
    partnerAccounting,
    pickingTypeBackorder,
    taxCacheInvalidation,
    companyDownPayment,
    journalItemFields,
    assignOutstanding,
    ...mailThreadExtensions(),
  ],
  sequences: [
    { code: 'sale.order', prefix: 'S', padding: 5 },
    { code: 'stock.picking.out', prefix: 'WH/OUT/', padding: 5 },
    { code: 'stock.picking.in', prefix: 'WH/IN/', padding: 5 },
  ],
  seed(env) {
    seedPaymentMethods(env);
    seedChatter(env);
  },
};
