import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row, type Vals } from '../../orm/model.ts';
import { movePaymentState, moveResidual } from './account_amounts.ts';
import { postMoves, reconcile } from './account_move_actions.ts';
import { paymentsAction } from './actions.ts';
import { defaultMethodLine } from './account_payment.ts';
import { currencyRounding, idList, m2oId } from './company.ts';
import { journalOfType } from './account_move.ts';
import { MSG } from './messages.ts';
import { guardConcurrent, markOnCommit } from './concurrency_guard.ts';
import { firstPaymentNumberKey } from './move_numbering.ts';
import { invoicePaidHook } from './chatter.ts';
import { addWriteOff } from './journal_items.ts';
import { floatIsZero, floatRound } from './rounding.ts';

/** The invoices a wizard is opened on, from active_model/active_ids. */
function activeInvoices(env: Env): number[] {
  const model = env.context.active_model;
  const raw = env.context.active_ids ?? env.context.active_id;
  const ids = Array.isArray(raw) ? raw.filter((id): id is number => typeof id === 'number') : typeof raw === 'number' ? [raw] : [];
  if (model === 'account.move') return ids;
  if (model === 'account.move.line') {
    const lines = env.model('account.move.line');
    return [...new Set(ids.map((id) => lines.row(id)?.move_id).filter((id): id is number => typeof id === 'number'))];
  }
  if (model === undefined && ids.length === 0) return [];
  throw new UserError(MSG.registerWrongModel);
}

/** default_get's checks and values: raised at create, not at action_create_payments. */
function wizardDefaults(env: Env, vals: Vals): void {
  const invoiceIds = vals.invoice_ids === undefined ? activeInvoices(env) : idList(vals.invoice_ids);
  const moves = env.model('account.move');
  const rows = invoiceIds.map((id) => moves.row(id)).filter((row): row is Row => row !== undefined);
  if (rows.length === 0) return;
  if (rows.some((row) => row.state !== 'posted')) throw new UserError(MSG.registerOnlyPosted);
  const open = rows.filter((row) => !floatIsZero(moveResidual(env, row), currencyRounding(env, row.currency_id as number | false)));
  if (open.length === 0) throw new UserError(MSG.nothingLeftToPay);
  const first = open[0]!;
  const rounding = currencyRounding(env, first.currency_id as number | false);
  const residual = floatRound(
    open.reduce((sum, row) => sum + moveResidual(env, row), 0),
    rounding,
  );
  const inbound = first.move_type === 'out_invoice' || first.move_type === 'out_receipt' || first.move_type === 'in_refund';
  vals.invoice_ids = [[6, 0, open.map((row) => row.id)]];
  if (vals.amount === undefined) vals.amount = residual;
  vals.source_amount = residual;
  if (vals.payment_type === undefined) vals.payment_type = inbound ? 'inbound' : 'outbound';
  if (vals.partner_type === undefined) vals.partner_type = first.move_type === 'out_invoice' || first.move_type === 'out_refund' ? 'customer' : 'supplier';
  if (vals.partner_id === undefined) vals.partner_id = first.partner_id;
  if (vals.currency_id === undefined) vals.currency_id = first.currency_id;
  if (vals.journal_id === undefined) vals.journal_id = journalOfType(env, 'bank');
  if (vals.payment_method_line_id === undefined && typeof vals.journal_id === 'number') {
    vals.payment_method_line_id = defaultMethodLine(env, vals.journal_id, String(vals.payment_type));
  }
  if (vals.communication === undefined) {
    // _get_batch_communication: the payment reference, else the ref, else the number.
    vals.communication = open.length === 1 ? String(first.payment_reference || first.ref || first.name) : open.map((row) => String(row.name)).join(' ');
  }
}

/**
 * The "Register Payment" wizard. `action_create_payments` creates and posts
 * one payment for the wizard's amount and reconciles it with whatever is still
 * open on the invoices — it never re-checks the residual, so a stale or
 * concurrent second wizard posts a second full payment that stays outstanding
 * (the double-payment race of real-odoo17-concurrency.md e).
 */
export const accountPaymentRegister = defineModel({
  name: 'account.payment.register',
  description: 'Register Payment',
  transient: true,
  recName: 'communication',
  fields: {
    payment_date: fields.date({ string: 'Payment Date', required: true, default: (env: Env) => env.today() }),
    amount: fields.monetary({ string: 'Amount', currencyField: 'currency_id' }),
    source_amount: fields.monetary({ string: 'Amount to Pay (company currency)', readonly: true }),
    communication: fields.char({ string: 'Memo' }),
    group_payment: fields.boolean({ string: 'Group Payments', default: true }),
    currency_id: fields.many2one('res.currency', { string: 'Currency' }),
    journal_id: fields.many2one('account.journal', { string: 'Journal' }),
    partner_id: fields.many2one('res.partner', { string: 'Customer/Vendor' }),
    payment_type: fields.selection(
      [
        ['outbound', 'Send'],
        ['inbound', 'Receive'],
      ],
      { string: 'Payment Type' },
    ),
    partner_type: fields.selection(
      [
        ['customer', 'Customer'],
        ['supplier', 'Vendor'],
      ],
      { string: 'Partner Type' },
    ),
    payment_method_line_id: fields.many2one('account.payment.method.line', { string: 'Payment Method' }),
    payment_difference: fields.monetary({
      string: 'Payment Difference',
      compute: (env, row) => floatRound(Number(row.source_amount ?? 0) - Number(row.amount ?? 0), currencyRounding(env, m2oId(row.currency_id))),
    }),
    payment_difference_handling: fields.selection(
      [
        ['open', 'Keep open'],
        ['reconcile', 'Mark as fully paid'],
      ],
      { string: 'Payment Difference Handling', default: 'open' },
    ),
    writeoff_account_id: fields.many2one('account.account', { string: 'Difference Account' }),
    writeoff_label: fields.char({ string: 'Journal Item Label', default: 'Write-Off' }),
    invoice_ids: fields.many2many('account.move', { string: 'Invoices' }),
  },
  hooks: {
    beforeCreate(env, vals) {
      wizardDefaults(env, vals);
    },
  },
  methods: {
    action_create_payments: recordMethod([], ({ env, model, ids }) => {
      const payments = env.model('account.payment');
      const created: number[] = [];
      for (const id of ids) {
        const wizard = model.row(id);
        if (wizard === undefined) continue;
        const invoiceKeys = idList(wizard.invoice_ids).map((invoice) => `account.move:${invoice}`);
        guardConcurrent(env, invoiceKeys, [{ key: firstPaymentNumberKey(env, wizard.journal_id, wizard.payment_date), message: MSG.sameEntryName }]);
        const paymentId = payments.create({
          date: wizard.payment_date,
          amount: wizard.amount,
          payment_type: wizard.payment_type,
          partner_type: wizard.partner_type,
          partner_id: wizard.partner_id,
          journal_id: wizard.journal_id,
          currency_id: wizard.currency_id,
          payment_method_line_id: wizard.payment_method_line_id,
          ref: wizard.communication,
        });
        const moveId = payments.row(paymentId)!.move_id as number;
        postMoves(env, [moveId]);
        // Only lines still open are reconciled; nothing re-checks what this payment is for.
        // "Mark as fully paid": the difference is written off, so the invoices close in full.
        const amount = Number(wizard.amount ?? 0);
        const writeOff = wizard.payment_difference_handling === 'reconcile' ? Math.max(0, Number(wizard.source_amount ?? 0) - amount) : 0;
        const moves = env.model('account.move');
        if (writeOff > 0) addWriteOff(env, moveId, m2oId(wizard.writeoff_account_id), wizard.writeoff_label, writeOff);
        const before = new Map(
          idList(wizard.invoice_ids).map((invoice) => [invoice, moves.row(invoice) === undefined ? 'not_paid' : movePaymentState(env, moves.row(invoice)!)]),
        );
        reconcile(env, moveId, idList(wizard.invoice_ids), amount + writeOff);
        invoicePaidHook(env, before);
        markOnCommit(env, invoiceKeys);
        created.push(paymentId);
      }
      if (env.context.dont_redirect_to_payments === true) return true;
      return paymentsAction(created);
    }),
  },
});
