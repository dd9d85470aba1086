import type { Env } from '../../orm/env.ts';
import type { ModelHooks, Row, Vals } from '../../orm/model.ts';
import { extendModel, type ModelExtension } from '../../orm/model.ts';
import type { CompiledField } from '../../orm/registry.ts';
import { fieldValue } from '../../orm/records.ts';
import { computedSalesperson } from './sale_order.ts';
import type { Transaction } from '../../orm/transaction.ts';
import { idList } from './company.ts';
import { fields } from '../../orm/fields.ts';
import { logMessage, messagePostMethod, notifyActivity, notifyAssignee, postMessage, postTracking } from './chatter.ts';

/**
 * mail.thread's automatic chatter, the part that decides message ids: every
 * document logs "<Model> created" when created, and each RPC call that changes
 * a `tracking=` field of a document logs one message per document at its end
 * (mail_thread.py `_track_prepare` at write, `_track_finalize` at precommit),
 * with one mail.tracking.value per changed field. An integration that posts a
 * note gets an id that counts all of these, and an incident reader finds a
 * state change as a tracking value.
 */
interface ThreadRules {
  /** The `tracking=` fields and their sequence (True is 100), as ir_model_fields.tracking of a fresh 17.0 lists them. */
  readonly tracked: Readonly<Record<string, number>>;
  /** `_creation_subtype`: created documents that post with a subtype instead of logging "<Model> created". */
  readonly creationSubtype?: (row: Row) => string | undefined;
  /** `_creation_message`. */
  readonly creationMessage?: (row: Row, description: string) => string;
  /** `_track_subtype`: the subtype a change is posted with (else it is logged as a note). */
  readonly trackSubtype?: (value: (field: string) => unknown, changed: ReadonlySet<string>) => string | undefined;
  /** A `_track_finalize` override that drops the call's tracking, judged on the records that prepared it first. */
  readonly skipTracking?: (env: Env, first: readonly number[]) => boolean;
}

const INVOICE_CREATED: Readonly<Record<string, string>> = {
  out_invoice: 'Invoice Created',
  out_refund: 'Credit Note Created',
  in_invoice: 'Vendor Bill Created',
  in_refund: 'Refund Created',
  out_receipt: 'Sales Receipt Created',
  in_receipt: 'Purchase Receipt Created',
};
const isInvoice = (row: Row): boolean => typeof row.move_type === 'string' && row.move_type in INVOICE_CREATED;

export const THREADS: Readonly<Record<string, ThreadRules>> = {
  'res.partner': { tracked: { email: 1, phone: 2, parent_id: 3, user_id: 4, vat: 5, contact_address_inline: 100, name: 100, parent_name: 100 } },
  'product.template': { tracked: { detailed_type: 100 } },
  'product.product': { tracked: { detailed_type: 100 } },
  'sale.order': {
    tracked: { partner_id: 1, pricelist_id: 1, user_id: 2, state: 3, amount_total: 4, amount_untaxed: 5, team_id: 100 },
    // sale's _track_finalize: nothing is tracked when the order that started tracking is a single draft
    // (so quotation edits and a cancel → draft reset log nothing), unless sale.track_draft_orders is set.
    skipTracking: (env, first) => first.length === 1 && env.model('sale.order').get(first[0]!, 'state') === 'draft',
    trackSubtype: (value, changed) => {
      if (!changed.has('state')) return undefined;
      if (value('state') === 'sale') return 'sale.mt_order_confirmed';
      if (value('state') === 'sent') return 'sale.mt_order_sent';
      return undefined;
    },
  },
  'stock.picking': { tracked: { date: 100, scheduled_date: 100, state: 100, user_id: 100 } },
  'account.move': {
    tracked: {
      amount_untaxed: 100,
      currency_id: 100,
      date: 100,
      invoice_origin: 100,
      invoice_source_email: 100,
      invoice_user_id: 100,
      is_move_sent: 100,
      move_type: 100,
      name: 100,
      partner_bank_id: 100,
      partner_id: 100,
      payment_reference: 100,
      payment_state: 100,
      ref: 100,
      state: 100,
      team_id: 100,
      to_check: 100,
      user_id: 100,
    },
    creationSubtype: (row) => (row.move_type === 'out_invoice' || row.move_type === 'out_receipt' ? 'account.mt_invoice_created' : undefined),
    creationMessage: (row, description) => (isInvoice(row) ? INVOICE_CREATED[row.move_type as string]! : `${description} created`),
    trackSubtype: (value, changed) => {
      const type = value('move_type');
      if (typeof type !== 'string' || !(type in INVOICE_CREATED)) return undefined;
      if (changed.has('payment_state') && value('payment_state') === 'paid') return 'account.mt_invoice_paid';
      if (changed.has('state') && value('state') === 'posted' && (type === 'out_invoice' || type === 'out_refund' || type === 'out_receipt'))
        return 'account.mt_invoice_validated';
      return undefined;
    },
  },
  'account.payment': {
    tracked: {
      amount_signed: 100,
      amount_untaxed: 100,
      date: 100,
      invoice_origin: 100,
      invoice_source_email: 100,
      invoice_user_id: 100,
      is_internal_transfer: 100,
      is_move_sent: 100,
      move_type: 100,
      name: 100,
      partner_bank_id: 100,
      partner_id: 100,
      partner_type: 100,
      payment_method_id: 100,
      payment_reference: 100,
      payment_state: 100,
      payment_type: 100,
      ref: 100,
      state: 100,
      team_id: 100,
      to_check: 100,
    },
  },
  'account.tax': {
    tracked: {
      amount: 100,
      amount_type: 100,
      include_base_amount: 100,
      is_base_affected: 100,
      name: 100,
      price_include: 100,
      repartition_lines_str: 100,
      type_tax_use: 100,
    },
  },
  'account.account': { tracked: { account_type: 100, code: 100, currency_id: 100, deprecated: 100, name: 100, note: 100, reconcile: 100, tag_ids: 100 } },
  'res.company': { tracked: { email: 1, phone: 2, vat: 5, fiscalyear_lock_date: 100, name: 100, period_lock_date: 100, tax_lock_date: 100 } },
};

/**
 * Tracked values the emulator computes when read, from other records (Odoo
 * stores them, and recomputing prepares their tracking): a picking's state
 * follows its moves, an invoice's payment state its reconciliations. (An
 * order's amounts are stored, so `beforeStore` sees them change.)
 */
const DEPENDENTS: ReadonlyArray<{ readonly model: string; readonly thread: string; readonly links: readonly string[] }> = [
  { model: 'stock.move', thread: 'stock.picking', links: ['picking_id'] },
  { model: 'account.partial.reconcile', thread: 'account.move', links: ['debit_move_id', 'credit_move_id'] },
];

/**
 * One call's tracking of one model: record id → values of its tracked fields
 * when the call first touched it (null: created or deleted in this call, not
 * tracked), and the records that registered the finalize task (Odoo binds it to them).
 */
interface Pending {
  readonly records: Map<number, Record<string, unknown> | null>;
  readonly first: readonly number[];
  /** Whether the finalize task is registered: only once something is to compare (creations alone need none). */
  registered: boolean;
}
const pending = new WeakMap<Transaction, Map<string, Pending>>();

/** Per registry: model → its tracked fields that exist in the emulator, in message order. */
const trackedFieldCache = new WeakMap<object, Map<string, readonly CompiledField[]>>();

function trackedFields(env: Env, model: string): readonly CompiledField[] {
  let byModel = trackedFieldCache.get(env.db.registry);
  if (byModel === undefined) trackedFieldCache.set(env.db.registry, (byModel = new Map()));
  let list = byModel.get(model);
  if (list === undefined) {
    const compiled = env.db.registry.models.get(model);
    const sequences = THREADS[model]?.tracked ?? {};
    const names = Object.keys(sequences).filter((name) => compiled?.fields.has(name) === true);
    // _mail_track_order_fields: sequence, then name.
    names.sort((a, b) => sequences[a]! - sequences[b]! || (a < b ? -1 : a > b ? 1 : 0));
    list = names.map((name) => compiled!.fields.get(name)!);
    byModel.set(model, list);
  }
  return list;
}

const noTracking = (env: Env): boolean => env.context.tracking_disable === true || env.context.mail_notrack === true;

/** The call's pending tracking of a model; the first records to ask register the finalize task. */
function pendingOf(env: Env, model: string, ids: readonly number[]): Pending {
  let byModel = pending.get(env.tx);
  if (byModel === undefined) pending.set(env.tx, (byModel = new Map()));
  let entry = byModel.get(model);
  if (entry === undefined) byModel.set(model, (entry = { records: new Map(), first: [...ids], registered: false }));
  return entry;
}

/** `_track_prepare`: remembers the tracked values of records before this call changes them (first touch wins). */
export function prepareTracking(env: Env, model: string, ids: readonly number[]): void {
  if (ids.length === 0 || noTracking(env)) return;
  const fieldsList = trackedFields(env, model);
  if (fieldsList.length === 0) return;
  const entry = pendingOf(env, model, ids);
  const records = entry.records;
  const table = env.db.table(model);
  for (const id of ids) {
    if (records.has(id)) continue;
    const row = table.rows.get(id);
    if (row === undefined) continue;
    // Every change of a thread's record prepares it first, so a record this call already wrote
    // without preparing it was created by the call (mail.thread.create's _track_discard).
    if (env.tx.written.has(`${model}:${id}`)) {
      records.set(id, null);
      continue;
    }
    const values: Record<string, unknown> = {};
    for (const field of fieldsList) values[field.name] = fieldValue(env, table.model, row, field);
    records.set(id, values);
    if (!entry.registered) {
      entry.registered = true;
      env.tx.precommit(`mail.tracking.${model}`, () => finalizeTracking(env, model));
    }
  }
}

/** `_track_discard`: documents created (or deleted) in this call log that, not their changes. */
function discardTracking(env: Env, model: string, ids: readonly number[]): void {
  if (ids.length === 0 || trackedFields(env, model).length === 0) return;
  const records = pendingOf(env, model, ids).records;
  for (const id of ids) records.set(id, null);
}

function sameValue(field: CompiledField, before: unknown, after: unknown): boolean {
  if (before === after) return true;
  const empty = (value: unknown): boolean =>
    value === false || value === undefined || value === null || value === '' || value === 0 || (Array.isArray(value) && value.length === 0);
  if (empty(before) && empty(after)) return true;
  if (field.type === 'many2many' || field.type === 'one2many') {
    const a = idList(before);
    const b = idList(after);
    return a.length === b.length && a.every((id) => b.includes(id));
  }
  return false;
}

/** `_track_finalize` → `_message_track`: one message per changed document, its subtype by `_track_subtype`. */
function finalizeTracking(env: Env, model: string): void {
  const entry = pending.get(env.tx)?.get(model);
  if (entry === undefined) return;
  pending.get(env.tx)!.delete(model);
  const records = entry.records;
  const handle = env.model(model);
  const table = env.db.table(model);
  const fieldsList = trackedFields(env, model);
  const rules = THREADS[model]!;
  if (rules.skipTracking?.(env, entry.first) === true) return;
  for (const [id, before] of records) {
    if (before === null) continue;
    const row = table.rows.get(id);
    if (row === undefined) continue;
    const changes: Array<{ field: CompiledField; before: unknown; after: unknown }> = [];
    for (const field of fieldsList) {
      const after = fieldValue(env, table.model, row, field);
      if (!sameValue(field, before[field.name], after)) changes.push({ field, before: before[field.name], after });
    }
    if (changes.length === 0) continue;
    const changed = new Set(changes.map((change) => change.field.name));
    postTracking(
      env,
      model,
      id,
      changes,
      rules.trackSubtype?.((name) => handle.get(id, name), changed),
    );
  }
}

function creationNotes(env: Env, model: string, ids: readonly number[]): void {
  if (env.context.tracking_disable === true || env.context.mail_create_nolog === true) return;
  const rules = THREADS[model];
  const table = env.db.table(model);
  const description = table.model.description;
  for (const id of ids) {
    const row = table.rows.get(id);
    if (row === undefined) continue;
    const subtype = rules?.creationSubtype?.(row);
    if (subtype !== undefined) postTracking(env, model, id, [], subtype);
    else logMessage(env, model, id, `<p>${rules?.creationMessage?.(row, description) ?? `${description} created`}</p>`);
  }
}

/** `_message_auto_subscribe_followers`: a tracked `user_id` given to someone else notifies them. */
function assignees(env: Env, model: string, ids: readonly number[], vals: Vals): void {
  if (env.context.tracking_disable === true || !(THREADS[model]?.tracked.user_id !== undefined) || computedSalesperson.has(vals)) return;
  const given = 'user_id' in vals ? vals.user_id : env.context.default_user_id;
  const userId = Array.isArray(given) ? given[0] : given;
  if (typeof userId !== 'number' || userId === env.uid) return;
  for (const id of ids) notifyAssignee(env, model, id, userId);
}

function threadHooks(model: string): ModelHooks {
  return {
    afterCreate(env, ids, valsList) {
      for (let i = 0; i < ids.length; i++) assignees(env, model, [ids[i]!], valsList[i] ?? {});
      creationNotes(env, model, ids);
    },
    beforeWrite(env, ids) {
      prepareTracking(env, model, ids);
    },
    afterWrite(env, ids, vals) {
      assignees(env, model, ids, vals);
    },
    beforeStore(env, ids, values) {
      // _compute_field_value prepares only the tracked fields being recomputed.
      const tracked = THREADS[model]?.tracked;
      for (const key in values) {
        if (tracked?.[key] !== undefined) {
          prepareTracking(env, model, ids);
          return;
        }
      }
    },
    beforeUnlink(env, ids) {
      // mail.thread.unlink: the documents' messages (and their tracking values) go with them.
      const messages = env.model('mail.message');
      const doomed = messages.search([
        ['model', '=', model],
        ['res_id', 'in', [...ids]],
      ]);
      if (doomed.length > 0) messages.unlink(doomed);
      discardTracking(env, model, ids);
    },
  };
}

function dependentHooks(model: string, thread: string, links: readonly string[]): ModelHooks {
  const targets = (env: Env, ids: readonly number[], vals?: Vals): number[] => {
    const out: number[] = [];
    const handle = env.model(model);
    for (const id of ids) {
      const row = handle.row(id);
      for (const link of links) if (typeof row?.[link] === 'number') out.push(row[link]);
    }
    if (vals !== undefined) for (const link of links) if (typeof vals[link] === 'number') out.push(vals[link]);
    return out;
  };
  return {
    beforeCreate(env, vals) {
      prepareTracking(env, thread, targets(env, [], vals));
    },
    beforeWrite(env, ids, vals) {
      prepareTracking(env, thread, targets(env, ids, vals));
    },
    beforeStore(env, ids) {
      prepareTracking(env, thread, targets(env, ids));
    },
    beforeUnlink(env, ids) {
      prepareTracking(env, thread, targets(env, ids));
    },
  };
}

/**
 * sale_stock's _log_less_quantities_than_expected, reached when a delivery is
 * closed short without a backorder: each order behind the short moves gets an
 * "exception" activity for its salesperson, which notifies them when they are
 * not the one validating. Call before validating.
 */
export function activitiesForShortDelivery(env: Env, pickingIds: readonly number[]): void {
  const moves = env.model('stock.move');
  const lines = env.model('sale.order.line');
  const orders = env.model('sale.order');
  const seen = new Set<number>();
  for (const pickingId of pickingIds) {
    for (const moveId of env.db.table('stock.move').referrers('picking_id', pickingId)) {
      const move = moves.row(moveId);
      if (move === undefined || move.state === 'done' || move.state === 'cancel') continue;
      const picked = move.picked === true ? Number(move.quantity ?? 0) : 0;
      if (!(Number(move.product_uom_qty ?? 0) - picked > 0.005)) continue;
      const orderId = typeof move.sale_line_id === 'number' ? lines.row(move.sale_line_id)?.order_id : undefined;
      if (typeof orderId !== 'number' || seen.has(orderId)) continue;
      seen.add(orderId);
      const salesperson = orders.row(orderId)?.user_id;
      const today = env.nowDatetime().slice(0, 10);
      notifyActivity(
        env.sudo(),
        'sale.order',
        orderId,
        typeof salesperson === 'number' ? salesperson : 1,
        `${today.slice(5, 7)}/${today.slice(8, 10)}/${today.slice(0, 4)}`,
      );
    }
  }
}

/**
 * auth_signup: a new user with an email is sent an invitation, a mail whose
 * message is deleted once sent; it still draws a mail.message id.
 */
const signupInvitation = extendModel({
  name: 'res.users',
  hooks: {
    afterCreate(env, ids) {
      if (env.context.no_reset_password === true || env.context.tracking_disable === true) return;
      const users = env.model('res.users');
      for (const id of ids) {
        const email = users.get(id, 'email');
        if (typeof email === 'string' && email !== '') env.db.table('mail.message').nextId++;
      }
    },
  },
});

/** Python's str() of a float: 5 → 5.0. */
const pyFloat = (value: number): string => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/**
 * stock.move.write: a new demand on a move of an open transfer is posted on
 * the transfer from stock.track_move_template (a post: sender checked). It is
 * what a backorder split, and a quantity edit on a confirmed order, leave.
 */
const demandUpdates = extendModel({
  name: 'stock.move',
  hooks: {
    beforeWrite(env, ids, vals) {
      if (!('product_uom_qty' in vals)) return;
      const quantity = Number(vals.product_uom_qty);
      const moves = env.model('stock.move');
      for (const id of ids) {
        const move = moves.row(id);
        if (move === undefined || typeof move.picking_id !== 'number' || move.state === 'done' || move.state === 'draft') continue;
        if (Math.abs(Number(move.product_uom_qty ?? 0) - quantity) < 0.005) continue;
        const product = typeof move.product_id === 'number' ? env.model('product.product').displayName(move.product_id) : '';
        postMessage(
          env,
          'stock.picking',
          move.picking_id,
          `\n            <strong>The initial demand has been updated.</strong>\n        <ul>\n            <li>\n                ${product}:\n            </li>\n                    <li>\n                        Quantity: ${pyFloat(Number(move.product_uom_qty ?? 0))} -&gt; ${pyFloat(quantity)}\n                    </li>\n        </ul>\n        `,
        );
      }
    },
  },
});

/**
 * res.partner's `_display_address` as base formats it: the commercial
 * company's name first, then street, street2, "city state zip", country (the
 * default format, which a fresh 17.0 also uses for the United States; countries
 * with their own format in Odoo's data are not distinguished).
 */
function displayAddress(env: Env, row: Row): string {
  const partners = env.model('res.partner');
  const country = typeof row.country_id === 'number' ? env.model('res.country').row(row.country_id) : undefined;
  const state = typeof row.state_id === 'number' ? env.model('res.country.state').row(row.state_id) : undefined;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const commercialId = typeof row.commercial_partner_id === 'number' ? row.commercial_partner_id : row.id;
  const commercial = commercialId === row.id ? row : partners.row(commercialId);
  const companyName = commercial?.is_company === true ? text(commercial.name) : '';
  const address = `${text(row.street)}\n${text(row.street2)}\n${text(row.city)} ${text(state?.code)} ${text(row.zip)}\n${text(country?.name)}`;
  return companyName === '' ? address : `${companyName}\n${address}`;
}

/** Python's str.strip(chars). */
function stripChars(text: string, chars: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start]!)) start++;
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return text.slice(start, end);
}

/** mail's res.partner.contact_address_inline (tracked): the address on one line, its line breaks as commas. */
const partnerInlineAddress = extendModel({
  name: 'res.partner',
  fields: {
    contact_address_inline: fields.char({
      string: 'Inlined Complete Address',
      compute: (env, row) =>
        stripChars(
          displayAddress(env, row)
            .replace(/\n(\s|\n)*/g, ', ')
            .trim(),
          ',',
        ),
    }),
  },
});

/** account.move.user_id, the related field mail.thread's auto-subscription reads. */
const moveUser = extendModel({
  name: 'account.move',
  fields: { user_id: fields.many2one('res.users', { string: 'User', related: 'invoice_user_id' }) },
});

/** The extensions that make each document a mail.thread: message_post, creation notes, tracking, messages deleted with it. */
export function mailThreadExtensions(): ModelExtension[] {
  const models = [...new Set([...Object.keys(THREADS), 'stock.picking', 'account.payment'])];
  return [
    moveUser,
    partnerInlineAddress,
    signupInvitation,
    demandUpdates,
    ...models.map((name) => extendModel({ name, methods: { message_post: messagePostMethod }, hooks: threadHooks(name) })),
    ...DEPENDENTS.map((dependent) => extendModel({ name: dependent.model, hooks: dependentHooks(dependent.model, dependent.thread, dependent.links) })),
  ];
}
