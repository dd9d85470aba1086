import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { emptyValue } from '../../orm/convert.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import type { CompiledField } from '../../orm/registry.ts';
import { irModelFieldId } from './ir_model_fields.ts';
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

/** Subtypes a fresh database has: mail's, then account's and sale's (the crm.team ones are their parents' echoes on teams). */
export const mailMessageSubtype = defineModel({
  name: 'mail.message.subtype',
  description: 'Message subtypes',
  order: 'sequence, id',
  fields: {
    name: fields.char({ string: 'Message Type', required: true }),
    description: fields.text('Description'),
    internal: fields.boolean({ string: 'Internal Only', default: false }),
    res_model: fields.char('Model'),
    parent_id: fields.many2one('mail.message.subtype', { string: 'Parent', ondelete: 'set null' }),
    relation_field: fields.char('Relation field'),
    default: fields.boolean({ string: 'Default', default: true }),
    hidden: fields.boolean({ string: 'Hidden', default: false }),
    sequence: fields.integer({ string: 'Sequence', default: 1 }),
  },
});

/** What mail.thread compares and writes for one changed field (mail.tracking.value._create_tracking_values). */
export const mailTrackingValue = defineModel({
  name: 'mail.tracking.value',
  description: 'Mail Tracking Value',
  order: 'id desc',
  recName: 'field_id',
  fields: {
    field_id: fields.many2one('ir.model.fields', { string: 'Changed Field', ondelete: 'set null' }),
    old_value_integer: fields.integer({ string: 'Old Value Integer', readonly: true }),
    old_value_float: fields.float({ string: 'Old Value Float', readonly: true }),
    old_value_char: fields.char({ string: 'Old Value Char', readonly: true }),
    old_value_text: fields.text({ string: 'Old Value Text', readonly: true }),
    old_value_datetime: fields.datetime({ string: 'Old Value DateTime', readonly: true }),
    new_value_integer: fields.integer({ string: 'New Value Integer', readonly: true }),
    new_value_float: fields.float({ string: 'New Value Float', readonly: true }),
    new_value_char: fields.char({ string: 'New Value Char', readonly: true }),
    new_value_text: fields.text({ string: 'New Value Text', readonly: true }),
    new_value_datetime: fields.datetime({ string: 'New Value Datetime', readonly: true }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', readonly: true, ondelete: 'set null' }),
    mail_message_id: fields.many2one('mail.message', { string: 'Message ID', required: true, index: true, ondelete: 'cascade' }),
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
    record_name: fields.char({
      string: 'Message Record Name',
      compute: (env, row) =>
        typeof row.model === 'string' &&
        typeof row.res_id === 'number' &&
        env.db.registry.models.has(row.model) &&
        env.model(row.model).row(row.res_id) !== undefined
          ? env.model(row.model).displayName(row.res_id)
          : false,
    }),
    message_type: fields.selection(
      [
        ['email', 'Incoming Email'],
        ['comment', 'Comment'],
        ['email_outgoing', 'Outgoing Email'],
        ['notification', 'System notification'],
        ['auto_comment', 'Automated Targeted Notification'],
        ['user_notification', 'User Specific Notification'],
      ],
      { string: 'Type', required: true, default: 'comment' },
    ),
    subtype_id: fields.many2one('mail.message.subtype', { string: 'Subtype', ondelete: 'set null' }),
    author_id: fields.many2one('res.partner', { string: 'Author', ondelete: 'set null' }),
    email_from: fields.char('From'),
    date: fields.datetime({ string: 'Date', default: (env: Env) => env.nowDatetime() }),
    subject: fields.char('Subject'),
    tracking_value_ids: fields.one2many('mail.tracking.value', 'mail_message_id', { string: 'Tracking values' }),
  },
  hooks: {
    beforeUnlink(env, ids) {
      const values = env.model('mail.tracking.value');
      const doomed = ids.flatMap((id) => env.db.table('mail.tracking.value').referrers('mail_message_id', id));
      if (doomed.length > 0) values.unlink(doomed);
    },
  },
});

/** Odoo wraps a plain-text body in a paragraph (plaintext2html); an empty body stays empty. */
function htmlBody(body: unknown): string {
  const text = typeof body === 'string' ? body : '';
  if (text === '' || text.trimStart().startsWith('<')) return text;
  const escaped = /[&<>]/.test(text) ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;') : text;
  return `<p>${escaped}</p>`;
}

/** Record ids by XML id per database (subtypes, looked up on every tracked change: hot on order confirmation). */
const xmlIds = new WeakMap<object, Map<string, number | false>>();

function refId(env: Env, xmlId: string, model: string): number | false {
  let ids = xmlIds.get(env.db);
  if (ids === undefined) xmlIds.set(env.db, (ids = new Map()));
  let id = ids.get(xmlId);
  if (id === undefined || (id !== false && !env.db.table(model).rows.has(id))) {
    const [module, name] = xmlId.split('.');
    const data = env.model('ir.model.data').search(
      [
        ['module', '=', module],
        ['name', '=', name],
        ['model', '=', model],
      ],
      { limit: 1 },
    )[0];
    id = data === undefined ? false : (env.model('ir.model.data').get(data, 'res_id') as number);
    ids.set(xmlId, id);
  }
  return id;
}

const subtypeRef = (env: Env, xmlId: string): number | false => refId(env, xmlId, 'mail.message.subtype');

/**
 * Stores a chatter row without the ORM's create: these are written by the
 * emulator itself, several per order (creation notes, tracking), with values
 * already in internal form, no defaults to apply and no hooks, and they were
 * most of what logging added to an order's create + confirm. Still undone
 * with the call.
 */
const emptyRows = new WeakMap<object, { row: Row; many2many: readonly string[] }>();

function insertRow(env: Env, model: string, values: Readonly<Record<string, unknown>>): number {
  const table = env.db.tables.get(model)!;
  const uid = env.uid;
  const now = env.nowDatetime();
  return env.db.deferInsert(env.tx, model, (id) => {
    let empty = emptyRows.get(table);
    if (empty === undefined) {
      const blank = table.blankRow(0);
      for (const field of table.model.storedFields) if (field.type !== 'many2many') blank[field.name] = emptyValue(field);
      empty = { row: blank, many2many: table.model.storedFields.filter((field) => field.type === 'many2many').map((field) => field.name) };
      emptyRows.set(table, empty);
    }
    const row = { ...empty.row };
    for (const name of empty.many2many) row[name] = [];
    for (const key in values) row[key] = values[key];
    row.id = id;
    row.create_uid = uid;
    row.write_uid = uid;
    row.create_date = now;
    row.write_date = now;
    return row;
  });
}

/** `values` is the caller's own fresh object; it becomes the row's values. */
function insertMessage(env: Env, values: Record<string, unknown>): number {
  values.date = env.nowDatetime();
  return insertRow(env, 'mail.message', values);
}

const authors = new WeakMap<object, { author_id: number | false; email_from: string | false }>();

/** The author Odoo sets: the calling user's partner, and its formatted address as the sender (once per call). */
function author(env: Env): { author_id: number | false; email_from: string | false } {
  let known = authors.get(env.tx);
  if (known === undefined) authors.set(env.tx, (known = findAuthor(env)));
  return known;
}

function findAuthor(env: Env): { author_id: number | false; email_from: string | false } {
  const user = env.model('res.users').row(env.uid);
  const partnerId = user === undefined ? false : (user.partner_id as number);
  const partner = partnerId === false ? undefined : env.model('res.partner').row(partnerId);
  const email = partner?.email;
  return { author_id: partnerId, email_from: typeof email === 'string' && email !== '' ? `"${String(partner?.name)}" <${email}>` : false };
}

/** message_post: checks the sender, then stores the message; returns its id. */
export function postMessage(env: Env, model: string, resId: number, body: unknown, options: { messageType?: string; subtype?: string } = {}): number {
  checkSenderEmail(env);
  return insertMessage(env, {
    body: htmlBody(body),
    model,
    res_id: resId,
    message_type: options.messageType ?? 'notification',
    subtype_id: subtypeRef(env, options.subtype ?? 'mail.mt_note'),
    ...author(env),
  });
}

/** A note Odoo logs without the sender check (`_message_log`), such as "Quotation created". */
export function logMessage(env: Env, model: string, resId: number, body: string): number {
  return insertMessage(env, {
    body: htmlBody(body),
    model,
    res_id: resId,
    message_type: 'notification',
    subtype_id: subtypeRef(env, 'mail.mt_note'),
    ...author(env),
  });
}

/**
 * A tracking message (mail.thread._message_track, run as superuser so no sender
 * check): posted with the change's subtype, or logged as a note, with one
 * mail.tracking.value per changed field. Also a creation posted with a subtype.
 */
export function postTracking(
  env: Env,
  model: string,
  resId: number,
  changes: ReadonlyArray<{ field: CompiledField; before: unknown; after: unknown }>,
  subtype: string | undefined,
): number {
  const messageId = insertMessage(env, {
    body: '',
    model,
    res_id: resId,
    message_type: 'notification',
    subtype_id: subtypeRef(env, subtype ?? 'mail.mt_note'),
    ...author(env),
  });
  // Created last field first, so that reading them in their order (id desc) follows the fields' sequence.
  for (let i = changes.length - 1; i >= 0; i--) {
    const change = changes[i]!;
    insertRow(env, 'mail.tracking.value', { ...trackingColumns(env, model, resId, change.field, change.before, change.after), mail_message_id: messageId });
  }
  return messageId;
}

function displayOf(env: Env, comodel: string | undefined, value: unknown): string {
  if (comodel === undefined) return '';
  const ids = Array.isArray(value) ? (value as number[]) : typeof value === 'number' ? [value] : [];
  const handle = env.model(comodel);
  return ids
    .filter((id) => handle.row(id) !== undefined)
    .map((id) => handle.displayName(id))
    .join(', ');
}

/** mail.tracking.value._create_tracking_values: where each field type keeps its old and new value. */
function trackingColumns(env: Env, model: string, resId: number, field: CompiledField, before: unknown, after: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = { field_id: irModelFieldId(env, model, field) };
  const pair = (kind: string, a: unknown, b: unknown): void => {
    out[`old_value_${kind}`] = a;
    out[`new_value_${kind}`] = b;
  };
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'char':
    case 'text':
    case 'datetime':
      pair(field.type, before === undefined ? false : before, after === undefined ? false : after);
      break;
    case 'monetary':
      out.currency_id = field.currencyField === undefined ? false : (env.model(model).get(resId, field.currencyField) ?? false);
      pair('float', Number(before || 0), Number(after || 0));
      break;
    case 'date':
      pair('datetime', typeof before === 'string' ? `${before} 00:00:00` : false, typeof after === 'string' ? `${after} 00:00:00` : false);
      break;
    case 'boolean':
      pair('integer', before === true ? 1 : 0, after === true ? 1 : 0);
      break;
    case 'selection': {
      const label = (value: unknown): string =>
        typeof value === 'string' && value !== '' ? (field.selection?.find(([key]) => key === value)?.[1] ?? value) : '';
      pair('char', label(before), label(after));
      break;
    }
    case 'many2one':
      pair('integer', typeof before === 'number' ? before : 0, typeof after === 'number' ? after : 0);
      pair('char', displayOf(env, field.relation, before), displayOf(env, field.relation, after));
      break;
    default:
      pair('char', displayOf(env, field.relation, before), displayOf(env, field.relation, after));
  }
  return out;
}

/** The RPC method every mail.thread model has. */
export const messagePostMethod = recordMethod(
  ['body', 'subject', 'message_type', 'subtype_xmlid', 'subtype_id', 'partner_ids', 'attachments', 'attachment_ids', 'body_is_html', 'author_id', 'email_from'],
  ({ env, model, ids, args }) => {
    if (ids.length !== 1) throw new UserError(`Expected singleton: ${model.name}(${ids.join(', ')}${ids.length === 1 ? ',' : ''})`);
    model.ensureExist(ids);
    const subtype = args.subtype_xmlid === 'mail.mt_comment' ? 'mail.mt_comment' : 'mail.mt_note';
    return postMessage(env, model.name, ids[0]!, args.body, {
      messageType: typeof args.message_type === 'string' ? args.message_type : 'notification',
      subtype,
    });
  },
  0,
);

/** mail, account and sale's subtypes, in a fresh 17.0's order (sale's team subtypes follow their parents). */
const SUBTYPES: ReadonlyArray<{
  xmlId: string;
  name: string;
  model?: string;
  internal?: boolean;
  sequence: number;
  default?: boolean;
  hidden?: boolean;
  parent?: string;
  description?: string;
}> = [
  { xmlId: 'mail.mt_comment', name: 'Discussions', sequence: 0 },
  { xmlId: 'mail.mt_note', name: 'Note', internal: true, sequence: 100, default: false },
  { xmlId: 'mail.mt_activities', name: 'Activities', internal: true, sequence: 90, default: false },
  { xmlId: 'account.mt_invoice_validated', name: 'Validated', model: 'account.move', sequence: 1, default: false, description: 'Invoice validated' },
  { xmlId: 'account.mt_invoice_paid', name: 'Paid', model: 'account.move', sequence: 1, default: false, description: 'Invoice paid' },
  {
    xmlId: 'account.mt_invoice_created',
    name: 'Invoice Created',
    model: 'account.move',
    sequence: 1,
    default: false,
    hidden: true,
    description: 'Invoice Created',
  },
  { xmlId: 'sale.mt_order_sent', name: 'Quotation sent', model: 'sale.order', sequence: 1, default: false, description: 'Quotation sent' },
  { xmlId: 'sale.mt_order_confirmed', name: 'Sales Order Confirmed', model: 'sale.order', sequence: 1, default: false, description: 'Quotation confirmed' },
  { xmlId: 'sale.mt_salesteam_order_sent', name: 'Quotation sent', model: 'crm.team', sequence: 20, parent: 'sale.mt_order_sent' },
  { xmlId: 'sale.mt_salesteam_order_confirmed', name: 'Sales Order Confirmed', model: 'crm.team', sequence: 21, parent: 'sale.mt_order_confirmed' },
  { xmlId: 'sale.mt_salesteam_invoice_created', name: 'Invoice Created', model: 'crm.team', sequence: 22, parent: 'account.mt_invoice_created' },
  { xmlId: 'sale.mt_salesteam_invoice_confirmed', name: 'Invoice Confirmed', model: 'crm.team', sequence: 23, parent: 'account.mt_invoice_validated' },
];

/**
 * The subtypes, and the eight notes a fresh database already holds (OdooBot's
 * welcome in #general, the admin partner's and the company's tracked changes,
 * the sales teams' creation), so that the first message a flow logs gets id 9
 * as on a real server.
 */
export function seedChatter(env: Env): void {
  const subtypes = env.model('mail.message.subtype');
  const ids = new Map<string, number>();
  for (const subtype of SUBTYPES) {
    const id = subtypes.create({
      name: subtype.name,
      res_model: subtype.model ?? false,
      internal: subtype.internal ?? false,
      sequence: subtype.sequence,
      default: subtype.default ?? true,
      hidden: subtype.hidden ?? false,
      description: subtype.description ?? false,
      parent_id: subtype.parent === undefined ? false : (ids.get(subtype.parent) ?? false),
      relation_field: subtype.parent === undefined ? false : 'team_id',
    });
    ids.set(subtype.xmlId, id);
    const [module, name] = subtype.xmlId.split('.') as [string, string];
    env.model('ir.model.data').create({ module, name, model: 'mail.message.subtype', res_id: id, noupdate: true });
  }
  const note = ids.get('mail.mt_note')!;
  const bot = {
    author_id: env.model('res.users').row(1)?.partner_id ?? false,
    email_from: '"OdooBot" <odoobot@example.com>',
    message_type: 'notification',
    subtype_id: note,
  };
  const messages = env.model('mail.message');
  messages.create({
    ...bot,
    model: 'discuss.channel',
    res_id: 1,
    message_type: 'email',
    subtype_id: ids.get('mail.mt_comment')!,
    body: '<p>Welcome to the #general channel.</p>\n            <p>This channel is accessible to all users to <b>easily share company information</b>.</p>',
  });
  messages.create({ ...bot, model: 'res.partner', res_id: 2, body: '' });
  messages.create({ ...bot, model: 'crm.team', res_id: 1, body: '<p>Sales Team created</p>' });
  messages.create({ ...bot, model: 'crm.team.member', res_id: 1, body: '<p>Sales Team Member created</p>' });
  for (const team of [2, 3, 4]) messages.create({ ...bot, model: 'crm.team', res_id: team, body: '<p>Sales Team created</p>' });
  messages.create({ ...bot, model: 'res.partner', res_id: 1, body: '' });
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

export const escapeHtml = (text: string): string =>
  !/[&<>"']/.test(text) ? text : text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#x27;');

/** mail's `_get_html_link`: how Odoo names a document inside a chatter note (as the body sanitizer rewrites it). */
export function htmlLink(env: Env, model: string, id: number, title?: string): string {
  return `<a href="#" data-oe-model="${model}" data-oe-id="${id}">${escapeHtml(title ?? env.model(model).displayName(id))}</a>`;
}

/**
 * The note rendered from mail.message_origin_link ("This transfer has been
 * created from: S00001") that a delivery, an invoice or a return gets from the
 * documents it came from (message_post_with_source, as a note).
 */
export function originLink(env: Env, model: string, id: number, originModel: string, originIds: readonly number[]): number {
  if (originIds.length === 0) return 0;
  const what = env.db.registry.models.get(model)!.description.toLowerCase();
  const links = originIds.map(
    (origin) => `<a href="#" data-oe-model="${originModel}" data-oe-id="${origin}"> ${escapeHtml(env.model(originModel).displayName(origin))}</a>`,
  );
  // QWeb's rendering of the template, whitespace included (as a real server stores it).
  return logMessage(
    env,
    model,
    id,
    `<p>\n                This ${what} has been created from:\n                    ${links.join('<span>, </span>\n                    ')}\n            </p>`,
  );
}

/**
 * mail.thread._message_auto_subscribe_notify: a document created or written
 * with a `user_id` (a tracked responsible) other than the caller tells that
 * user, as a user_notification rendered from mail.message_user_assigned. It
 * goes through message_notify, so the caller needs an email address.
 */
export function notifyAssignee(env: Env, model: string, id: number, userId: number): void {
  if (userId === env.uid) return;
  const user = env.model('res.users').row(userId);
  if (user === undefined || user.active === false) return;
  checkSenderEmail(env);
  const name = env.model(model).displayName(id);
  const description = env.db.registry.models.get(model)!.description;
  insertMessage(env, {
    body: `<span><span>Dear ${escapeHtml(String(env.model('res.partner').row(user.partner_id as number)?.name ?? ''))},</span>\n    <br><br>\n    <span style="margin-top:8px">You have been assigned to the ${escapeHtml(description)} ${escapeHtml(name)}.</span>\n    <br></span>`,
    model,
    res_id: id,
    message_type: 'user_notification',
    subtype_id: subtypeRef(env, 'mail.mt_note'),
    subject: `You have been assigned to ${name}`,
    ...author(env),
  });
}

/**
 * mail.activity.action_notify for an activity Odoo schedules on a document
 * for someone else (the "exception" warning sale_stock puts on an order whose
 * delivery was closed short): the activity itself is not emulated, the
 * notification it posts (as superuser: no sender check) is.
 */
export function notifyActivity(env: Env, model: string, id: number, userId: number, deadline: string): void {
  if (userId === env.uid) return;
  const user = env.model('res.users').row(userId);
  if (user === undefined) return;
  const who = (uid: number): string => escapeHtml(String(env.model('res.partner').row(env.model('res.users').row(uid)?.partner_id as number)?.name ?? ''));
  const name = env.model(model).displayName(id);
  const description = env.db.registry.models.get(model)!.description;
  insertMessage(env, {
    body: `<div style="margin:0px; padding:0px; font-size:13px">\n    Dear <span>${who(userId)}</span>,\n    <br><br>\n    <p>\n        <span>${who(env.uid)}</span> has just assigned you the following activity:\n        </p><ul>\n            <li>Document: "${escapeHtml(name)}"\n                 (${escapeHtml(description)})\n            </li>\n            <li>Deadline: <span>${deadline}</span></li>\n        </ul>\n    \n</div>`,
    model,
    res_id: id,
    message_type: 'user_notification',
    subtype_id: subtypeRef(env, 'mail.mt_note'),
    subject: `"${name}: Exception" assigned to you`,
    ...author(env),
  });
}
