import { formatOdooDate } from '../../../../harness/core/clock.ts';
import type { Env } from '../../orm/env.ts';
import { UserError, valueError, recordsRepr } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import { floatRound } from './rounding.ts';
import { cancelWizardAction, invoiceAction } from './actions.ts';
import { companySettings, idList, m2oId, nowDatetime, userPartner } from './company.ts';
import { addFollower, isFollower } from './followers.ts';
import { followKey, guardConcurrent, markOnCommit } from './concurrency_guard.ts';
import { cancelMoves } from './account_move_actions.ts';
import { MSG } from './messages.ts';
import { lineInvoiceStatus, qtyDelivered } from './sale_order_line.ts';
import { cancelPickings, launchStockRules, storableLocks } from './stock_rules.ts';
import { bypassesAccess, userGroups } from '../../orm/access.ts';
import { partnerPaymentTerm } from './partner.ts';

const STATES = [
  ['draft', 'Quotation'],
  ['sent', 'Quotation Sent'],
  ['sale', 'Sales Order'],
  ['cancel', 'Cancelled'],
] as const;

const DAY_MS = 86_400_000;

/** `sale.order.invoice_ids`: the customer invoices and credit notes of the order's lines, cancelled ones included. */
export function orderInvoiceIds(env: Env, orderId: number): number[] {
  const lines = env.model('sale.order.line');
  const lineIds = idList(env.model('sale.order').get(orderId, 'order_line'));
  // Most orders read have no invoice yet: answer them before looking anything else up.
  if (lineIds.every((lineId) => idList(lines.row(lineId)?.invoice_lines).length === 0)) return [];
  const amls = env.model('account.move.line');
  const moves = env.model('account.move');
  const out: number[] = [];
  const seen = new Set<number>();
  for (const lineId of lineIds) {
    for (const amlId of idList(lines.row(lineId)?.invoice_lines)) {
      const moveId = amls.row(amlId)?.move_id;
      if (typeof moveId !== 'number' || seen.has(moveId)) continue;
      const type = moves.row(moveId)?.move_type;
      if (type !== 'out_invoice' && type !== 'out_refund') continue;
      seen.add(moveId);
      out.push(moveId);
    }
  }
  // Read back in account.move's _order: date desc, name desc, id desc (C collation, so RINV before INV before '/').
  const key = (id: number): [string, string] => [String(moves.row(id)?.date ?? ''), String(moves.row(id)?.name ?? '')];
  return out.sort((a, b) => {
    const [dateA, nameA] = key(a);
    const [dateB, nameB] = key(b);
    if (dateA !== dateB) return dateA < dateB ? 1 : -1;
    if (nameA !== nameB) return nameA < nameB ? 1 : -1;
    return b - a;
  });
}

/** sale.order._compute_invoice_status. */
export function orderInvoiceStatus(env: Env, row: Row): string {
  if (row.state !== 'sale') return 'no';
  const lines = env.model('sale.order.line');
  const statuses: string[] = [];
  for (const lineId of idList(env.model('sale.order').get(row.id, 'order_line'))) {
    const line = lines.row(lineId);
    // Down payments never decide the order's status (Odoo reads only the other lines).
    if (line === undefined || (line.display_type !== false && line.display_type !== undefined) || line.is_downpayment === true) continue;
    statuses.push(lineInvoiceStatus(env, line));
  }
  if (statuses.includes('to invoice')) return 'to invoice';
  if (statuses.length > 0 && statuses.every((s) => s === 'invoiced')) return 'invoiced';
  if (statuses.length > 0 && statuses.every((s) => s === 'invoiced' || s === 'upselling')) return 'upselling';
  return 'no';
}

/** sale_stock's delivery_status: from the states of the order's pickings. */
export function orderDeliveryStatus(env: Env, row: Row): string | false {
  const pickings = env.model('stock.picking');
  const states = idList(env.model('sale.order').get(row.id, 'picking_ids')).map((id) => pickings.get(id, 'state'));
  if (states.length === 0 || states.every((s) => s === 'cancel')) return false;
  if (states.every((s) => s === 'done' || s === 'cancel')) return 'full';
  if (!states.some((s) => s === 'done')) return 'pending';
  // A done transfer that delivered nothing to the customer (e.g. a return) only "started" the delivery.
  const lines = env.model('sale.order.line');
  const delivered = idList(env.model('sale.order').get(row.id, 'order_line')).some((id) => {
    const line = lines.row(id);
    return line !== undefined && qtyDelivered(env, line) !== 0;
  });
  return delivered ? 'partial' : 'started';
}

function typeName(state: unknown): string {
  return state === 'sale' ? 'Sales Order' : 'Quotation';
}

/** sale.order._action_cancel: draft invoices and open pickings go with it; posted invoices stay. */
export function actionCancel(env: Env, ids: readonly number[]): true {
  const orders = env.model('sale.order');
  const moves = env.model('account.move');
  for (const id of ids) {
    const draftInvoices = orderInvoiceIds(env, id).filter((moveId) => moves.row(moveId)?.state === 'draft');
    if (draftInvoices.length > 0) cancelMoves(env, draftInvoices);
    cancelPickings(env, idList(orders.get(id, 'picking_ids')));
  }
  orders.write(ids, { state: 'cancel' });
  return true;
}

/**
 * sale.order._compute_amount_to_invoice: zero once fully invoiced, else the
 * total minus the tax-included amounts of this order's lines on its posted
 * invoices (credit notes count negative).
 */
function amountToInvoice(env: Env, row: Row): number {
  if (orderInvoiceStatus(env, row) === 'invoiced') return 0;
  const moves = env.model('account.move');
  const amls = env.model('account.move.line');
  const saleLines = env.model('sale.order.line');
  let invoiced = 0;
  for (const moveId of orderInvoiceIds(env, row.id)) {
    const move = moves.row(moveId);
    if (move === undefined || move.state !== 'posted') continue;
    const sign = move.move_type === 'out_refund' || move.move_type === 'in_refund' ? -1 : 1;
    for (const lineId of idList(moves.get(moveId, 'invoice_line_ids'))) {
      const line = amls.row(lineId);
      if (line === undefined || !idList(line.sale_line_ids).some((id) => saleLines.row(id)?.order_id === row.id)) continue;
      invoiced += sign * Number(line.price_total ?? 0);
    }
  }
  return floatRound(Number(row.amount_total ?? 0) - invoiced, 0.01);
}

/** Orders whose salesperson was computed, not given: mail.thread does not notify them (it only sees given values). */
export const computedSalesperson = new WeakSet<object>();

/**
 * sale.order._compute_user_id: the customer's salesperson, else its company's,
 * else the caller when they are a salesman (a billing user's order has none).
 */
let validityDay = Number.NaN;
let validityText = '';

/** Thirty days from now, as a date: formatted once per day, since formatting a Date costs more than the rest of an order's defaults. */
function defaultValidity(now: number): string {
  const day = Math.floor(now / DAY_MS) + 30;
  if (day !== validityDay) {
    validityDay = day;
    validityText = formatOdooDate(day * DAY_MS);
  }
  return validityText;
}

function customerSalesperson(env: Env, partnerId: number): number | false {
  const partners = env.db.table('res.partner').rows;
  const partner = partners.get(partnerId);
  if (typeof partner?.user_id === 'number') return partner.user_id;
  const commercial = typeof partner?.commercial_partner_id === 'number' ? partners.get(partner.commercial_partner_id) : undefined;
  if (typeof commercial?.user_id === 'number') return commercial.user_id;
  return bypassesAccess(env) || userGroups(env).has('sales_team.group_sale_salesman') ? env.uid : false;
}

export const saleOrder = defineModel({
  name: 'sale.order',
  description: 'Sales Order',
  order: 'date_order desc, id desc',
  fields: {
    name: fields.char({ string: 'Order Reference', required: true, readonly: false, copy: false, default: 'New' }),
    partner_id: fields.many2one('res.partner', { string: 'Customer', required: true, index: true }),
    partner_invoice_id: fields.many2one('res.partner', { string: 'Invoice Address' }),
    partner_shipping_id: fields.many2one('res.partner', { string: 'Delivery Address' }),
    client_order_ref: fields.char({ string: 'Customer Reference', copy: false }),
    origin: fields.char({ string: 'Source Document' }),
    reference: fields.char({ string: 'Payment Ref.', copy: false }),
    state: fields.selection(STATES, { string: 'Status', readonly: true, copy: false, default: 'draft' }),
    locked: fields.boolean({ string: 'Locked', copy: false, default: false }),
    date_order: fields.datetime({ string: 'Order Date', required: true, copy: false, default: (env: Env) => nowDatetime(env) }),
    validity_date: fields.date({ string: 'Expiration', copy: false }),
    commitment_date: fields.datetime({ string: 'Delivery Date', copy: false }),
    picking_policy: fields.selection(
      [
        ['direct', 'As soon as possible'],
        ['one', 'When all products are ready'],
      ],
      { string: 'Shipping Policy', required: true, default: 'direct' },
    ),
    user_id: fields.many2one('res.users', { string: 'Salesperson', default: (env: Env) => env.uid }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env: Env) => env.companyId }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', default: (env: Env) => companySettings(env).currencyId }),
    payment_term_id: fields.many2one('account.payment.term', { string: 'Payment Terms' }),
    warehouse_id: fields.many2one('stock.warehouse', { string: 'Warehouse' }),
    note: fields.html({ string: 'Terms and conditions' }),
    tag_ids: fields.many2many('crm.tag', { string: 'Tags' }),
    order_line: fields.one2many('sale.order.line', 'order_id', { string: 'Order Lines' }),
    amount_untaxed: fields.monetary({ string: 'Untaxed Amount', readonly: true, currencyField: 'currency_id' }),
    amount_tax: fields.monetary({ string: 'Taxes', readonly: true, currencyField: 'currency_id' }),
    amount_total: fields.monetary({ string: 'Total', readonly: true, currencyField: 'currency_id' }),
    invoice_status: fields.selection(
      [
        ['upselling', 'Upselling Opportunity'],
        ['invoiced', 'Fully Invoiced'],
        ['to invoice', 'To Invoice'],
        ['no', 'Nothing to Invoice'],
      ],
      { string: 'Invoice Status', readonly: true, store: true, compute: (env, row) => orderInvoiceStatus(env, row) },
    ),
    invoice_ids: fields.many2many('account.move', { string: 'Invoices', readonly: true, compute: (env, row) => orderInvoiceIds(env, row.id) }),
    amount_to_invoice: fields.monetary({ string: 'Amount to invoice', currencyField: 'currency_id', compute: (env, row) => amountToInvoice(env, row) }),
    amount_invoiced: fields.monetary({
      string: 'Already invoiced',
      currencyField: 'currency_id',
      compute: (env, row) => floatRound(Number(row.amount_total ?? 0) - amountToInvoice(env, row), 0.01),
    }),
    invoice_count: fields.integer({ string: 'Invoice Count', compute: (env, row) => orderInvoiceIds(env, row.id).length }),
    picking_ids: fields.one2many('stock.picking', 'sale_id', { string: 'Transfers' }),
    delivery_count: fields.integer({ string: 'Delivery Orders', compute: (env, row) => idList(env.model('sale.order').get(row.id, 'picking_ids')).length }),
    delivery_status: fields.selection(
      [
        ['pending', 'Not Delivered'],
        ['started', 'Started'],
        ['partial', 'Partially Delivered'],
        ['full', 'Fully Delivered'],
      ],
      { string: 'Delivery Status', readonly: true, store: true, compute: (env, row) => orderDeliveryStatus(env, row) },
    ),
    type_name: fields.char({ string: 'Type Name', compute: (_env, row) => typeName(row.state) }),
    message_partner_ids: fields.many2many('res.partner', { string: 'Followers (Partners)', copy: false }),
  },
  hooks: {
    beforeCreate(env, vals) {
      if (vals.name === undefined || vals.name === false || vals.name === 'New') {
        // Drawn before the required checks, as Odoo's create() does: a failed create leaves a gap.
        vals.name = env.nextByCode('sale.order');
      }
      const partnerId = m2oId(vals.partner_id);
      if (partnerId !== false) {
        if (vals.partner_invoice_id === undefined) vals.partner_invoice_id = partnerId;
        if (vals.partner_shipping_id === undefined) vals.partner_shipping_id = partnerId;
        if (vals.payment_term_id === undefined) vals.payment_term_id = partnerPaymentTerm(env, partnerId);
        if (vals.user_id === undefined && env.context.default_user_id === undefined) {
          vals.user_id = customerSalesperson(env, partnerId);
          computedSalesperson.add(vals);
        }
      }
      if (vals.validity_date === undefined) vals.validity_date = defaultValidity(env.now());
      if (vals.message_partner_ids === undefined) {
        const author = userPartner(env, env.uid);
        vals.message_partner_ids = author === false ? [] : [[6, 0, [author]]];
      }
    },
    beforeWrite(env, _ids, vals) {
      // A new customer brings its addresses and payment term, as Odoo's computes do.
      const partnerId = m2oId(vals.partner_id);
      if (partnerId === false) return;
      if (vals.partner_invoice_id === undefined) vals.partner_invoice_id = partnerId;
      if (vals.partner_shipping_id === undefined) vals.partner_shipping_id = partnerId;
      if (vals.payment_term_id === undefined) vals.payment_term_id = partnerPaymentTerm(env, partnerId);
    },
    beforeUnlink(env, ids) {
      const orders = env.model('sale.order');
      for (const id of ids) {
        const state = orders.row(id)?.state;
        if (state !== 'draft' && state !== 'cancel') throw new UserError(MSG.unlinkConfirmed);
      }
    },
  },
  methods: {
    action_confirm: recordMethod([], ({ env, model, ids }) => {
      const rows = ids.map((id) => model.row(id)).filter((row): row is Row => row !== undefined);
      const locks = [...ids.map((id) => `sale.order:${id}`), ...storableLocks(env, ids)];
      const follows = rows.map((row) => followKey('sale.order', row.id, m2oId(row.partner_id)));
      guardConcurrent(
        env,
        locks,
        follows.map((key) => ({ key, message: MSG.followTwice })),
      );
      if (!rows.every((row) => row.state === 'draft' || row.state === 'sent')) {
        throw new UserError(MSG.notConfirmable(rows.map((row) => String(row.name)).join(', ')));
      }
      const now = nowDatetime(env);
      for (const row of rows) {
        // message_subscribe of the customer, folded into the confirming write.
        const partner = m2oId(row.partner_id);
        const follow = partner !== false && !isFollower(env, 'sale.order', row.id, partner);
        model.write([row.id], follow ? { state: 'sale', date_order: now, message_partner_ids: [[4, partner, 0]] } : { state: 'sale', date_order: now });
        if (follow) markOnCommit(env, [followKey('sale.order', row.id, partner)]);
      }
      launchStockRules(env, ids);
      markOnCommit(env, locks);
      return true;
    }),
    action_cancel: recordMethod([], ({ env, model, ids }) => {
      const rows = ids.map((id) => model.row(id)).filter((row): row is Row => row !== undefined);
      if (rows.some((row) => row.locked === true)) throw new UserError(MSG.cancelLocked);
      if (env.context.disable_cancel_warning !== true && rows.some((row) => row.state !== 'draft')) {
        if (rows.length !== 1) throw valueError(`Expected singleton: ${recordsRepr('sale.order', ids)}`);
        const action = cancelWizardAction(rows[0]!.id);
        const type = typeName(rows[0]!.state);
        action.name = `Cancel ${type}`;
        (action.context as Record<string, unknown>).model_description = type;
        return action;
      }
      return actionCancel(env, ids);
    }),
    action_draft: recordMethod([], ({ model, ids }) => {
      const reopen = ids.filter((id) => {
        const state = model.row(id)?.state;
        return state === 'cancel' || state === 'sent';
      });
      if (reopen.length > 0) model.write(reopen, { state: 'draft' });
      return true;
    }),
    action_quotation_sent: recordMethod([], ({ env, model, ids }) => {
      if (ids.some((id) => model.row(id)?.state !== 'draft')) throw new UserError(MSG.onlyDraftSent);
      for (const id of ids) {
        const partner = m2oId(model.row(id)?.partner_id);
        if (addFollower(env, 'sale.order', id, partner)) markOnCommit(env, [followKey('sale.order', id, partner)]);
      }
      markOnCommit(
        env,
        ids.map((id) => `sale.order:${id}`),
      );
      model.write(ids, { state: 'sent' });
      return undefined;
    }),
    action_lock: recordMethod([], ({ model, ids }) => {
      model.write(ids, { locked: true });
      return undefined;
    }),
    action_unlock: recordMethod([], ({ model, ids }) => {
      model.write(ids, { locked: false });
      return undefined;
    }),
    // Odoo copies the lines with the order (order_line is copy=True); references and state start afresh.
    copy: recordMethod(
      ['default'],
      ({ env, model, ids, args }) => {
        model.ensureExist(ids);
        const lines = env.model('sale.order.line');
        const row = model.row(ids[0]!)!;
        // Down payments (and their section) belong to the original order's invoicing only.
        const orderLines = idList(model.get(row.id, 'order_line'))
          .filter((lineId) => lines.row(lineId)?.is_downpayment !== true)
          .map((lineId) => {
            const line = lines.row(lineId)!;
            return [
              0,
              0,
              {
                sequence: line.sequence,
                display_type: line.display_type,
                product_id: line.product_id,
                name: line.name,
                product_uom_qty: line.product_uom_qty,
                product_uom: line.product_uom,
                price_unit: line.price_unit,
                discount: line.discount,
                tax_id: [[6, 0, idList(line.tax_id)]],
              },
            ];
          });
        const overrides = args.default !== null && typeof args.default === 'object' ? (args.default as Record<string, unknown>) : {};
        return model.create({
          partner_id: row.partner_id,
          partner_invoice_id: row.partner_invoice_id,
          partner_shipping_id: row.partner_shipping_id,
          payment_term_id: row.payment_term_id,
          user_id: row.user_id,
          origin: row.origin,
          note: row.note,
          warehouse_id: row.warehouse_id,
          tag_ids: [[6, 0, idList(row.tag_ids)]],
          order_line: orderLines,
          ...overrides,
        });
      },
      0,
    ),
    action_view_invoice: recordMethod(
      ['invoices'],
      ({ env, model, ids, args }) => {
        const invoices = Array.isArray(args.invoices) ? (args.invoices as number[]) : ids.flatMap((id) => orderInvoiceIds(env, id));
        return viewInvoiceAction(env, model.exists(ids), invoices);
      },
      0,
    ),
  },
});

/** `sale.order.action_view_invoice`: the context carries a None payment term when none is set anywhere. */
export function viewInvoiceAction(env: Env, orderIds: readonly number[], invoiceIds: readonly number[]): Record<string, unknown> {
  if (orderIds.length !== 1) return invoiceAction(invoiceIds, {});
  const order = env.model('sale.order').row(orderIds[0]!)!;
  const partnerId = order.partner_id as number;
  const term = m2oId(order.payment_term_id) || partnerPaymentTerm(env, partnerId);
  return invoiceAction(invoiceIds, {
    single: {
      partnerId,
      partnerShippingId: (m2oId(order.partner_shipping_id) || partnerId) as number,
      paymentTermId: term === false ? null : term,
      origin: String(order.name),
    },
  });
}
