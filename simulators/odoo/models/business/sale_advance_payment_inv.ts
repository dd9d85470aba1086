import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { idList, m2oId } from './company.ts';
import { createInvoices } from './invoicing.ts';
import { guardConcurrent, markOnCommit } from './concurrency_guard.ts';
import { checkDownPaymentAmount, createDownPaymentInvoice } from './down_payments.ts';
import { valueError, recordsRepr } from '../../orm/errors.ts';
import { viewInvoiceAction } from './sale_order.ts';

function activeOrders(env: Env): number[] {
  if (env.context.active_model !== 'sale.order') return [];
  const ids = env.context.active_ids ?? env.context.active_id;
  if (Array.isArray(ids)) return ids.filter((id): id is number => typeof id === 'number');
  return typeof ids === 'number' ? [ids] : [];
}

function companyDownPaymentProduct(env: Env): number | false {
  return m2oId(env.model('res.company').get(env.companyId, 'sale_down_payment_product_id'));
}

/**
 * The "Create invoices" wizard, the only RPC way to invoice an order
 * (_create_invoices is private). `create_invoices` returns
 * action_view_invoice's dict, which holds a None payment term when none is
 * set anywhere: over XML-RPC that faults with code 1 after the invoice is
 * committed — the trap integrations fall into. Down payments
 * ('percentage'/'fixed') are in down_payments.ts.
 */
export const saleAdvancePaymentInv = defineModel({
  name: 'sale.advance.payment.inv',
  description: 'Sales Advance Payment Invoice',
  transient: true,
  fields: {
    advance_payment_method: fields.selection(
      [
        ['delivered', 'Regular invoice'],
        ['percentage', 'Down payment (percentage)'],
        ['fixed', 'Down payment (fixed amount)'],
      ],
      { string: 'Create Invoice', required: true, default: 'delivered' },
    ),
    sale_order_ids: fields.many2many('sale.order', { string: 'Sales Orders', default: (env: Env) => [[6, 0, activeOrders(env)]] }),
    count: fields.integer({ string: 'Order Count', compute: (env, row) => idList(env.model('sale.advance.payment.inv').get(row.id, 'sale_order_ids')).length }),
    consolidated_billing: fields.boolean({ string: 'Consolidated Billing', default: true }),
    amount: fields.float({ string: 'Down Payment', default: 0 }),
    fixed_amount: fields.monetary({ string: 'Down Payment Amount (Fixed)' }),
    deduct_down_payments: fields.boolean({ string: 'Deduct down payments', default: true }),
    has_down_payments: fields.boolean({
      string: 'Has down payments',
      compute: (env, row) => {
        const lines = env.model('sale.order.line');
        return idList(env.model('sale.advance.payment.inv').get(row.id, 'sale_order_ids')).some((orderId) =>
          idList(env.model('sale.order').get(orderId, 'order_line')).some((id) => lines.row(id)?.is_downpayment === true),
        );
      },
    }),
    product_id: fields.many2one('product.product', { string: 'Down Payment Product', default: (env: Env) => companyDownPaymentProduct(env) }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', related: 'company_id.currency_id' }),
  },
  hooks: {
    afterCreate(env, ids) {
      const wizards = env.model('sale.advance.payment.inv');
      for (const id of ids) checkDownPaymentAmount(wizards.row(id)!);
    },
    afterWrite(env, ids) {
      const wizards = env.model('sale.advance.payment.inv');
      for (const id of ids) checkDownPaymentAmount(wizards.row(id)!);
    },
  },
  methods: {
    create_invoices: recordMethod([], ({ env, model, ids }) => {
      const wizard = model.row(ids[0] ?? 0);
      if (wizard === undefined) return invoiceActionNone();
      checkDownPaymentAmount(wizard);
      const orderIds = env.model('sale.order').exists(idList(model.get(wizard.id, 'sale_order_ids')));
      const lineKeys = orderIds.flatMap((id) => idList(env.model('sale.order').get(id, 'order_line')).map((lineId) => `sale.order.line:${lineId}`));
      guardConcurrent(env, lineKeys);
      let invoices: number[];
      if (wizard.advance_payment_method === 'delivered') {
        invoices = createInvoices(env, orderIds, wizard.deduct_down_payments !== false);
      } else {
        // sale_order_ids.ensure_one()
        if (orderIds.length !== 1) throw valueError(`Expected singleton: ${recordsRepr('sale.order', orderIds)}`);
        invoices = [
          createDownPaymentInvoice(env, orderIds[0]!, {
            method: wizard.advance_payment_method === 'fixed' ? 'fixed' : 'percentage',
            amount: Number(wizard.amount ?? 0),
            fixedAmount: Number(wizard.fixed_amount ?? 0),
            productId: m2oId(wizard.product_id),
          }),
        ];
      }
      markOnCommit(env, lineKeys);
      if (env.context.open_invoices === false) return { type: 'ir.actions.act_window_close' };
      return viewInvoiceAction(env, orderIds, invoices);
    }),
  },
});

function invoiceActionNone(): Record<string, unknown> {
  return { type: 'ir.actions.act_window_close' };
}
