import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { movePaymentState } from './account_amounts.ts';
import { MSG } from './messages.ts';

/**
 * The part of Odoo's chatter (mail.thread) an integration runs into: posting a
 * message needs an author with an email address. mail_thread.py
 * `_message_compute_author(raise_on_email=True)`, reached from `message_post`
 * (not from `_message_log`, which tracking uses), refuses when the author's
 * partner has no email, unless the call runs as superuser. So a user without
 * an email fails, with everything the call did rolled back, wherever Odoo's
 * business code posts a note: paying an invoice of a sale order in full ("Invoice
 * X paid" on the order), editing the quantity of a confirmed order line or
 * adding a line to a confirmed order, creating a backorder, and `message_post`
 * itself. Confirming, invoicing, posting and partial payments only log, so
 * they pass (checked on a real Odoo 17.0; fixtures 101_*).
 */
export function checkSenderEmail(env: Env): void {
  if (env.su) return;
  const user = env.db.table('res.users').rows.get(env.uid);
  const partner = user === undefined ? undefined : env.db.table('res.partner').rows.get(user.partner_id as number);
  const email = partner?.email;
  if (typeof email !== 'string' || email.trim() === '') throw new UserError(MSG.noSenderEmail);
}

/** Subtypes a fresh database has (mail.mt_comment "Discussions", mail.mt_note "Note"). */
export const mailMessageSubtype = defineModel({
  name: 'mail.message.subtype',
  description: 'Message subtypes',
  order: 'sequence, id',
  fields: {
    name: fields.char({ string: 'Message Type', required: true }),
    internal: fields.boolean({ string: 'Internal Only', default: false }),
    sequence: fields.integer({ string: 'Sequence', default: 1 }),
  },
});

export const mailMessage = defineModel({
  name: 'mail.message',
  description: 'Message',
  order: 'id desc',
  recName: 'record_name',
  fields: {
    body: fields.html('Contents'),
    model: fields.char({ string: 'Related Document Model', index: true }),
    res_id: fields.integer({ string: 'Related Document ID', index: true }),
    // Computed on read: naming the document on every logged note would cost each order creation.
    record_name: fields.char({ string: 'Message Record Name', compute: (env, row) => (typeof row.model === 'string' && typeof row.res_id === 'number' && env.db.registry.models.has(row.model) && env.model(row.model).row(row.res_id) !== undefined ? env.model(row.model).displayName(row.res_id) : false) }),
    message_type: fields.selection(
      [['email', 'Incoming Email'], ['comment', 'Comment'], ['email_outgoing', 'Outgoing Email'], ['notification', 'System notification'], ['auto_comment', 'Automated Targeted Notification'], ['user_notification', 'User Specific Notification']],
      { string: 'Type', required: true, default: 'comment' },
    ),
    subtype_id: fields.many2one('mail.message.subtype', { string: 'Subtype', ondelete: 'set null' }),
    author_id: fields.many2one('res.partner', { string: 'Author', ondelete: 'set null' }),
    email_from: fields.char('From'),
    date: fields.datetime({ string: 'Date', default: (env: Env) => env.nowDatetime() }),
  },
});

/** Odoo wraps a plain-text body in a paragraph (plaintext2html). */
function htmlBody(body: unknown): string {
  const text = typeof body === 'string' ? body : '';
  if (text.startsWith('<')) return text;
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<p>${escaped}</p>`;
}

/** Subtype ids per database: seeded once, looked up on every message (hot on order creation). */
const subtypeIds = new WeakMap<object, Map<string, number | false>>();

function subtypeByName(env: Env, name: string): number | false {
  let ids = subtypeIds.get(env.db);
  if (ids === undefined) subtypeIds.set(env.db, (ids = new Map()));
  let id = ids.get(name);
  if (id === undefined || (id !== false && env.model('mail.message.subtype').row(id) === undefined)) {
    id = env.model('mail.message.subtype').search([['name', '=', name]], { limit: 1 })[0] ?? false;
    ids.set(name, id);
  }
  return id;
}

/** message_post: checks the sender, then stores the message; returns its id. */
export function postMessage(env: Env, model: string, resId: number, body: unknown, options: { messageType?: string; subtype?: 'Note' | 'Discussions' } = {}): number {
  checkSenderEmail(env);
  const user = env.model('res.users').row(env.uid);
  const author = user === undefined ? false : (user.partner_id as number);
  const email = author === false ? false : env.model('res.partner').row(author)?.email ?? false;
  return env.model('mail.message').create({
    body: htmlBody(body),
    model,
    res_id: resId,
    message_type: options.messageType ?? 'notification',
    subtype_id: subtypeByName(env, options.subtype ?? 'Note'),
    author_id: author,
    email_from: email,
  });
}

/** A note Odoo logs without the sender check (`_message_log`), such as "Quotation created". */
export function logMessage(env: Env, model: string, resId: number, body: string): number {
  const user = env.model('res.users').row(env.uid);
  return env.model('mail.message').create({
    body: htmlBody(body),
    model,
    res_id: resId,
    message_type: 'notification',
    subtype_id: subtypeByName(env, 'Note'),
    author_id: user === undefined ? false : (user.partner_id as number),
  });
}

/** The RPC method every mail.thread model has. */
export const messagePostMethod = recordMethod(['body', 'subject', 'message_type', 'subtype_xmlid', 'subtype_id', 'partner_ids', 'attachments', 'attachment_ids', 'body_is_html', 'author_id', 'email_from'], ({ env, model, ids, args }) => {
  if (ids.length !== 1) throw new UserError(`Expected singleton: ${model.name}(${ids.join(', ')}${ids.length === 1 ? ',' : ''})`);
  model.ensureExist(ids);
  const subtype = args.subtype_xmlid === 'mail.mt_comment' ? 'Discussions' : 'Note';
  return postMessage(env, model.name, ids[0]!, args.body, { messageType: typeof args.message_type === 'string' ? args.message_type : 'notification', subtype });
}, 0);

/** Seeds the two subtypes integrations post with. */
export function seedSubtypes(env: Env): void {
  env.model('mail.message.subtype').create({ name: 'Discussions', sequence: 0 });
  env.model('mail.message.subtype').create({ name: 'Note', internal: true, sequence: 100 });
}

/**
 * sale's account.move._invoice_paid_hook: when invoices become paid, each sale
 * order behind them gets "Invoice X paid" through message_post (sender checked).
 * Call with the payment states from before the change.
 */
export function invoicePaidHook(env: Env, before: ReadonlyMap<number, string>): void {
  const moves = env.model('account.move');
  const lines = env.model('account.move.line');
  const saleLines = env.model('sale.order.line');
  const posted = new Set<string>();
  for (const [moveId, previous] of before) {
    const row = moves.row(moveId);
    if (row === undefined || previous === 'paid' || movePaymentState(env, row) !== 'paid') continue;
    if (row.move_type !== 'out_invoice' && row.move_type !== 'out_refund' && row.move_type !== 'in_invoice' && row.move_type !== 'in_refund') continue;
    for (const lineId of lines.search([['move_id', '=', moveId]])) {
      for (const saleLine of (lines.row(lineId)?.sale_line_ids as readonly number[] | undefined) ?? []) {
        const order = saleLines.row(saleLine)?.order_id;
        const key = `${String(order)}:${String(row.name)}`;
        if (typeof order !== 'number' || posted.has(key)) continue;
        posted.add(key);
        postMessage(env, 'sale.order', order, `Invoice ${String(row.name)} paid`);
      }
    }
  }
}
