import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import { counterpartMoves, movePaymentState, moveResidual, recomputeMoveTotals } from './account_amounts.ts';
import { cancelMoves, draftMoves, dueDate, postMoves, switchMoveType } from './account_move_actions.ts';
import { companySettings } from './company.ts';
import { MSG } from './messages.ts';
import { guardConcurrent, markOnCommit } from './concurrency_guard.ts';
import { nameDraftMove, splitSequence } from './move_numbering.ts';
import { refreshDownPayments, releaseDownPayments } from './down_payments.ts';
import { hasOutstanding } from './partner_accounting.ts';
import { partnerPaymentTerm } from './partner.ts';

export const MOVE_TYPES: ReadonlyArray<readonly [string, string]> = [
  ['entry', 'Journal Entry'],
  ['out_invoice', 'Customer Invoice'],
  ['out_refund', 'Customer Credit Note'],
  ['in_invoice', 'Vendor Bill'],
  ['in_refund', 'Vendor Credit Note'],
  ['out_receipt', 'Sales Receipt'],
  ['in_receipt', 'Purchase Receipt'],
];

const DRAFT_LABEL: Readonly<Record<string, string>> = {
  entry: 'Draft Entry',
  out_invoice: 'Draft Invoice',
  out_refund: 'Draft Credit Note',
  in_invoice: 'Draft Bill',
  in_refund: 'Draft Vendor Credit Note',
  out_receipt: 'Draft Sales Receipt',
  in_receipt: 'Draft Purchase Receipt',
};

const journalCache = new WeakMap<Env['db'], Map<string, number | false>>();

/** The first journal of a type (sale for customer documents, general for entries). */
export function journalOfType(env: Env, type: string): number | false {
  let cache = journalCache.get(env.db);
  if (cache === undefined) journalCache.set(env.db, (cache = new Map()));
  let id = cache.get(type);
  if (id === undefined) {
    id = env.model('account.journal').search([['type', '=', type]], { limit: 1 })[0] ?? false;
    cache.set(type, id);
  }
  return id;
}

function defaultJournal(env: Env, moveType: unknown): number | false {
  if (moveType === 'out_invoice' || moveType === 'out_refund' || moveType === 'out_receipt') return journalOfType(env, 'sale');
  if (moveType === 'in_invoice' || moveType === 'in_refund' || moveType === 'in_receipt') return journalOfType(env, 'purchase');
  return journalOfType(env, 'general');
}

/**
 * Clients may give an invoice's lines as `line_ids`; only product lines are
 * emulated (tax and receivable lines are implied), so they become
 * `invoice_line_ids`. Hand-made journal entries are refused clearly.
 */
function takeProductLines(env: Env, vals: Record<string, unknown>): void {
  if (vals.line_ids === undefined) return;
  const type = vals.move_type ?? env.context.default_move_type ?? 'entry';
  if (type === 'entry') {
    throw new UserError(
      "The Odoo emulator does not emulate hand-made journal entries (account.move with line_ids and move_type 'entry'); create invoices (out_invoice/out_refund) or payments instead.",
    );
  }
  if (vals.invoice_line_ids === undefined && Array.isArray(vals.line_ids)) {
    vals.invoice_line_ids = vals.line_ids.filter((command) => {
      if (!Array.isArray(command) || command[0] !== 0) return true;
      const lineVals = command[2] as Record<string, unknown> | undefined;
      return lineVals?.display_type === undefined || lineVals.display_type === 'product';
    });
  }
  delete vals.line_ids;
}

/** Python's textwrap.shorten(ref, width=50): whitespace collapsed, cut at a word with ' [...]'. */
function shortenRef(ref: string): string {
  const text = ref.trim().split(/\s+/).join(' ');
  if (text.length <= 50) return text;
  const words = text.split(' ');
  let out = '';
  for (const word of words) {
    const next = out === '' ? word : `${out} ${word}`;
    if (next.length + ' [...]'.length > 50) break;
    out = next;
  }
  return `${out} [...]`;
}

export const accountMove = defineModel({
  name: 'account.move',
  description: 'Journal Entry',
  order: 'date desc, name desc, id desc',
  // _get_move_display_name(show_ref=True): the number, then the reference in parentheses (shortened to 50).
  displayName: (_env: Env, row: Row) => {
    // A draft names its type first, numbered or not ("Draft Invoice INV/2026/00001", "Draft Invoice (* 3)").
    const prefix = row.state === 'draft' ? `${DRAFT_LABEL[String(row.move_type)] ?? 'Draft Entry'} ` : '';
    const name = `${prefix}${row.name === '/' || row.name === false ? `(* ${row.id})` : String(row.name)}`;
    return typeof row.ref === 'string' && row.ref !== '' ? `${name} (${shortenRef(row.ref)})` : name;
  },
  fields: {
    name: fields.char({ string: 'Number', copy: false, default: '/' }),
    ref: fields.char({ string: 'Reference', copy: false }),
    invoice_has_outstanding: fields.boolean({ string: 'Invoice Has Outstanding', compute: (env, row) => hasOutstanding(env, row) }),
    date: fields.date({ string: 'Date', required: true, copy: false, default: (env: Env) => env.today() }),
    state: fields.selection(
      [
        ['draft', 'Draft'],
        ['posted', 'Posted'],
        ['cancel', 'Cancelled'],
      ],
      { string: 'Status', required: true, readonly: true, copy: false, default: 'draft' },
    ),
    move_type: fields.selection(MOVE_TYPES, { string: 'Type', required: true, readonly: true, default: 'entry' }),
    journal_id: fields.many2one('account.journal', { string: 'Journal', required: true, index: true }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', required: true, default: (env: Env) => companySettings(env).currencyId }),
    partner_id: fields.many2one('res.partner', { string: 'Partner', index: true }),
    partner_shipping_id: fields.many2one('res.partner', { string: 'Delivery Address' }),
    commercial_partner_id: fields.many2one('res.partner', { string: 'Commercial Entity', related: 'partner_id.commercial_partner_id' }),
    invoice_date: fields.date({ string: 'Invoice/Bill Date', copy: false }),
    invoice_date_due: fields.date({ string: 'Due Date' }),
    invoice_payment_term_id: fields.many2one('account.payment.term', { string: 'Payment Terms' }),
    invoice_origin: fields.char({ string: 'Origin' }),
    invoice_user_id: fields.many2one('res.users', { string: 'Salesperson', default: (env: Env) => env.uid }),
    payment_reference: fields.char({ string: 'Payment Reference', copy: false }),
    narration: fields.html({ string: 'Terms and Conditions' }),
    // Odoo's domain on invoice_line_ids leaves out the receivable/payable (payment_term) and tax items.
    invoice_line_ids: fields.one2many('account.move.line', 'move_id', {
      string: 'Invoice lines',
      keep: (row) => row.display_type !== 'payment_term' && row.display_type !== 'tax',
    }),
    line_ids: fields.many2many('account.move.line', {
      string: 'Journal Items',
      compute: (env, row) => [...env.db.table('account.move.line').referrers('move_id', row.id)].sort((a, b) => a - b),
    }),
    amount_untaxed: fields.monetary({ string: 'Untaxed Amount', readonly: true, currencyField: 'currency_id' }),
    amount_tax: fields.monetary({ string: 'Tax', readonly: true, currencyField: 'currency_id' }),
    amount_total: fields.monetary({ string: 'Total', readonly: true, currencyField: 'currency_id' }),
    amount_residual: fields.monetary({
      string: 'Amount Due',
      readonly: true,
      store: true,
      currencyField: 'currency_id',
      compute: (env, row) => moveResidual(env, row),
    }),
    amount_total_signed: fields.monetary({
      string: 'Total Signed',
      compute: (_env, row) => (row.move_type === 'out_refund' || row.move_type === 'in_invoice' ? -1 : 1) * Number(row.amount_total ?? 0),
    }),
    payment_state: fields.selection(
      [
        ['not_paid', 'Not Paid'],
        ['in_payment', 'In Payment'],
        ['paid', 'Paid'],
        ['partial', 'Partially Paid'],
        ['reversed', 'Reversed'],
        ['invoicing_legacy', 'Invoicing App Legacy'],
      ],
      { string: 'Payment Status', readonly: true, store: true, compute: (env, row) => movePaymentState(env, row) },
    ),
    has_reconciled_entries: fields.boolean({ string: 'Has Reconciled Entries', compute: (env, row) => counterpartMoves(env, row.id).length > 0 }),
    posted_before: fields.boolean({ string: 'Posted Before', copy: false, default: false }),
    sequence_prefix: fields.char({ string: 'Sequence Prefix', copy: false, default: '' }),
    sequence_number: fields.integer({ string: 'Sequence Number', copy: false, default: 0 }),
    reversed_entry_id: fields.many2one('account.move', { string: 'Reversal of', copy: false, index: true }),
    reversal_move_id: fields.one2many('account.move', 'reversed_entry_id', { string: 'Reversal Move' }),
    payment_id: fields.many2one('account.payment', { string: 'Payment', copy: false, index: true }),
    auto_post: fields.selection(
      [
        ['no', 'No'],
        ['at_date', 'At Date'],
        ['monthly', 'Monthly'],
        ['quarterly', 'Quarterly'],
        ['yearly', 'Yearly'],
      ],
      { string: 'Auto-post', default: 'no' },
    ),
  },
  hooks: {
    beforeCreate(env, vals) {
      takeProductLines(env, vals);
      if (vals.journal_id === undefined) vals.journal_id = defaultJournal(env, vals.move_type ?? env.context.default_move_type ?? 'entry');
      if (
        (vals.move_type === 'out_invoice' || vals.move_type === 'out_refund') &&
        vals.invoice_payment_term_id === undefined &&
        typeof vals.partner_id === 'number'
      ) {
        vals.invoice_payment_term_id = partnerPaymentTerm(env, vals.partner_id);
      }
      if (vals.invoice_date_due === undefined) {
        const from = typeof vals.invoice_date === 'string' ? vals.invoice_date : env.today();
        vals.invoice_date_due = dueDate(env, from, vals.invoice_payment_term_id);
      }
      if (vals.partner_shipping_id === undefined && typeof vals.partner_id === 'number') vals.partner_shipping_id = vals.partner_id;
    },
    afterCreate(env, ids) {
      recomputeMoveTotals(env, ids);
      const moves = env.model('account.move');
      for (const id of ids) {
        const name = moves.row(id)?.name;
        if (typeof name === 'string' && name !== '/') moves.write([id], splitSequence(name));
        nameDraftMove(env, id);
      }
    },
    afterWrite(env, ids, vals) {
      // A name written by hand splits into prefix and number, as Odoo's stored compute does; numbering writes all three.
      if (vals.name !== undefined && vals.sequence_prefix === undefined) env.model('account.move').write(ids, splitSequence(vals.name));
      if (vals.state !== undefined) refreshDownPayments(env, ids, vals.state === 'posted');
      if (vals.invoice_payment_term_id === undefined && vals.invoice_date === undefined) return;
      const moves = env.model('account.move');
      for (const id of ids) {
        const row = moves.row(id);
        if (row === undefined || row.state !== 'draft') continue;
        const from = typeof row.invoice_date === 'string' ? row.invoice_date : env.today();
        moves.write([id], { invoice_date_due: dueDate(env, from, row.invoice_payment_term_id) });
      }
    },
    beforeUnlink(env, ids) {
      const moves = env.model('account.move');
      for (const id of ids) {
        const row = moves.row(id);
        // Posted entries keep their journal items; an admin (account manager) may delete drafts and cancelled ones.
        if (row !== undefined && row.state === 'posted' && env.context.force_delete !== true) throw new UserError(MSG.deletePosted);
      }
      releaseDownPayments(env, ids);
    },
  },
  methods: {
    action_post: recordMethod([], ({ env, model, ids }) => {
      const keys = ids.map((id) => `account.move:${id}`);
      guardConcurrent(env, keys);
      markOnCommit(env, keys);
      const payments = env.model('account.payment');
      // Entries of payments post through their payment, like Odoo's action_post.
      const paymentIds = ids.map((id) => model.row(id)?.payment_id).filter((p): p is number => typeof p === 'number');
      if (paymentIds.length > 0) payments.call('action_post', paymentIds);
      const others = ids.filter((id) => typeof model.row(id)?.payment_id !== 'number');
      return postMoves(env, others);
    }),
    button_draft: recordMethod([], ({ env, ids }) => {
      markOnCommit(
        env,
        ids.map((id) => `account.move:${id}`),
      );
      draftMoves(env, ids);
      return undefined;
    }),
    // The "Register Payment" button: opens the wizard on these entries.
    action_register_payment: recordMethod([], ({ ids }) => ({
      name: 'Register Payment',
      res_model: 'account.payment.register',
      view_mode: 'form',
      views: [[false, 'form']],
      context: { active_model: 'account.move', active_ids: [...ids] },
      target: 'new',
      type: 'ir.actions.act_window',
    })),
    action_switch_move_type: recordMethod([], ({ env, ids }) => {
      switchMoveType(env, ids);
      return undefined;
    }),
    button_cancel: recordMethod([], ({ env, ids }) => {
      markOnCommit(
        env,
        ids.map((id) => `account.move:${id}`),
      );
      cancelMoves(env, ids);
      return undefined;
    }),
  },
});
