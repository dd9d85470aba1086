import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import { counterpartMoves, moveResidual } from './account_amounts.ts';
import { cancelMoves, draftMoves, postMoves } from './account_move_actions.ts';
import { companySettings, currencyRounding } from './company.ts';
import { floatIsZero } from './rounding.ts';

export const paymentMethodLine = defineModel({
  name: 'account.payment.method.line',
  description: 'Payment Methods',
  order: 'sequence, id',
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    payment_type: fields.selection(
      [
        ['inbound', 'Inbound'],
        ['outbound', 'Outbound'],
      ],
      { string: 'Payment Type', required: true },
    ),
    journal_id: fields.many2one('account.journal', { string: 'Journal', index: true }),
    code: fields.char({ string: 'Code', default: 'manual' }),
  },
});

/** The payment method line a journal uses by default in one direction ("Manual"). */
export function defaultMethodLine(env: Env, journalId: number, paymentType: string): number | false {
  return (
    env.model('account.payment.method.line').search(
      [
        ['journal_id', '=', journalId],
        ['payment_type', '=', paymentType],
      ],
      { limit: 1 },
    )[0] ?? false
  );
}

function paymentMove(env: Env, row: Row): Row | undefined {
  return typeof row.move_id === 'number' ? env.model('account.move').row(row.move_id) : undefined;
}

/** Invoices this payment is reconciled with. */
export function reconciledInvoices(env: Env, row: Row): number[] {
  const move = paymentMove(env, row);
  if (move === undefined) return [];
  const moves = env.model('account.move');
  return counterpartMoves(env, move.id).filter((id) => {
    const type = moves.row(id)?.move_type;
    return type === 'out_invoice' || type === 'out_refund' || type === 'out_receipt';
  });
}

function isReconciled(env: Env, row: Row): boolean {
  const move = paymentMove(env, row);
  if (move === undefined || move.state !== 'posted') return false;
  return floatIsZero(moveResidual(env, move), currencyRounding(env, move.currency_id as number | false));
}

/**
 * Payments. Odoo's account.payment _inherits account.move; here it owns a
 * move (`move_id`, in the bank journal, named PBNK1/YYYY/NNNNN when posted)
 * and reads its name and state from it. The move's amount is the payment's,
 * and reconciliation with invoices is recorded between the two moves.
 */
export const accountPayment = defineModel({
  name: 'account.payment',
  description: 'Payments',
  order: 'date desc, id desc',
  fields: {
    move_id: fields.many2one('account.move', { string: 'Journal Entry', readonly: true, ondelete: 'cascade', index: true }),
    name: fields.char({ string: 'Number', related: 'move_id.name' }),
    state: fields.selection(
      [
        ['draft', 'Draft'],
        ['posted', 'Posted'],
        ['cancel', 'Cancelled'],
      ],
      { string: 'Status', related: 'move_id.state' },
    ),
    date: fields.date({ string: 'Date', required: true, default: (env: Env) => env.today() }),
    amount: fields.monetary({ string: 'Amount', currencyField: 'currency_id' }),
    payment_type: fields.selection(
      [
        ['outbound', 'Send'],
        ['inbound', 'Receive'],
      ],
      { string: 'Payment Type', required: true, default: 'inbound' },
    ),
    partner_type: fields.selection(
      [
        ['customer', 'Customer'],
        ['supplier', 'Vendor'],
      ],
      { string: 'Partner Type', required: true, default: 'customer' },
    ),
    partner_id: fields.many2one('res.partner', { string: 'Customer/Vendor', index: true }),
    journal_id: fields.many2one('account.journal', { string: 'Journal', required: true }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', default: (env: Env) => companySettings(env).currencyId }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    payment_method_line_id: fields.many2one('account.payment.method.line', { string: 'Payment Method' }),
    ref: fields.char({ string: 'Memo' }),
    is_reconciled: fields.boolean({ string: 'Is Reconciled', store: true, compute: (env, row) => isReconciled(env, row) }),
    is_matched: fields.boolean({ string: 'Is Matched With a Bank Statement', store: true, compute: () => false }),
    reconciled_invoice_ids: fields.many2many('account.move', { string: 'Reconciled Invoices', compute: (env, row) => reconciledInvoices(env, row) }),
    reconciled_invoices_count: fields.integer({ string: '# Reconciled Invoices', compute: (env, row) => reconciledInvoices(env, row).length }),
  },
  displayName: (env, row) => {
    const move = paymentMove(env, row);
    return move === undefined || move.name === '/' ? 'Draft Payment' : String(move.name);
  },
  hooks: {
    beforeCreate(env, vals) {
      if (vals.journal_id === undefined) {
        vals.journal_id = env.model('account.journal').search([['type', 'in', ['bank', 'cash']]], { limit: 1 })[0] ?? false;
      }
      if (vals.payment_method_line_id === undefined && typeof vals.journal_id === 'number') {
        vals.payment_method_line_id = defaultMethodLine(env, vals.journal_id, String(vals.payment_type ?? 'inbound'));
      }
    },
    afterCreate(env, ids) {
      const payments = env.model('account.payment');
      const moves = env.model('account.move');
      for (const id of ids) {
        const row = payments.row(id)!;
        const amount = Number(row.amount ?? 0);
        const moveId = moves.create({
          move_type: 'entry',
          journal_id: row.journal_id,
          date: row.date,
          partner_id: row.partner_id,
          currency_id: row.currency_id,
          ref: row.ref,
          payment_id: id,
        });
        moves.write([moveId], { amount_untaxed: amount, amount_tax: 0, amount_total: amount });
        payments.write([id], { move_id: moveId });
      }
    },
    afterWrite(env, ids, vals) {
      if (vals.amount === undefined && vals.ref === undefined && vals.date === undefined) return;
      const payments = env.model('account.payment');
      const moves = env.model('account.move');
      for (const id of ids) {
        const row = payments.row(id);
        if (row === undefined || typeof row.move_id !== 'number') continue;
        if (moves.row(row.move_id)?.state !== 'draft') continue;
        const amount = Number(row.amount ?? 0);
        moves.write([row.move_id], { amount_untaxed: amount, amount_total: amount, ref: row.ref, date: row.date });
      }
    },
  },
  methods: {
    action_post: recordMethod([], ({ env, model, ids }) => {
      const moveIds = ids.map((id) => model.row(id)?.move_id).filter((id): id is number => typeof id === 'number');
      postMoves(env, moveIds);
      return false;
    }),
    action_draft: recordMethod([], ({ env, model, ids }) => {
      const moveIds = ids.map((id) => model.row(id)?.move_id).filter((id): id is number => typeof id === 'number');
      draftMoves(env, moveIds);
      return undefined;
    }),
    action_cancel: recordMethod([], ({ env, model, ids }) => {
      const moveIds = ids.map((id) => model.row(id)?.move_id).filter((id): id is number => typeof id === 'number');
      if (moveIds.some((id) => env.model('account.move').row(id) === undefined)) throw new UserError('Missing journal entry.');
      cancelMoves(env, moveIds);
      return undefined;
    }),
  },
});
