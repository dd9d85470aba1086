import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import { idList, nowDatetime } from './company.ts';
import { MSG } from './messages.ts';
import { cancelMoveIds, reserveMoves, unreserveMoves } from './stock_rules.ts';
import { buttonValidate } from './stock_validate.ts';

/** stock.picking._compute_state: from the moves' states (17 has no immediate transfers). */
export function pickingState(env: Env, row: Row): string {
  const moves = env.model('stock.move');
  const states: string[] = [];
  for (const id of idList(env.model('stock.picking').get(row.id, 'move_ids'))) {
    const state = moves.row(id)?.state;
    if (typeof state === 'string') states.push(state);
  }
  if (states.length === 0 || states.includes('draft')) return 'draft';
  if (states.every((s) => s === 'cancel')) return 'cancel';
  if (states.every((s) => s === 'cancel' || s === 'done')) return 'done';
  const open = states.filter((s) => s !== 'cancel' && s !== 'done');
  if (row.move_type === 'one') {
    if (open.every((s) => s === 'assigned')) return 'assigned';
    if (open.some((s) => s === 'waiting')) return 'waiting';
    return 'confirmed';
  }
  // 'direct' (As soon as possible): ready when anything can be shipped.
  if (open.some((s) => s === 'assigned' || s === 'partially_available')) return 'assigned';
  if (open.some((s) => s === 'confirmed')) return 'confirmed';
  return 'waiting';
}

const PICKING_STATES: ReadonlyArray<readonly [string, string]> = [
  ['draft', 'Draft'],
  ['waiting', 'Waiting Another Operation'],
  ['confirmed', 'Waiting'],
  ['assigned', 'Ready'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
];

export const stockPicking = defineModel({
  name: 'stock.picking',
  description: 'Transfer',
  order: 'priority desc, scheduled_date asc, id desc',
  fields: {
    name: fields.char({ string: 'Reference', default: '/', copy: false }),
    origin: fields.char({ string: 'Source Document' }),
    note: fields.html({ string: 'Notes' }),
    backorder_id: fields.many2one('stock.picking', { string: 'Back Order of', copy: false, index: true }),
    backorder_ids: fields.one2many('stock.picking', 'backorder_id', { string: 'Back Orders' }),
    move_type: fields.selection(
      [
        ['direct', 'As soon as possible'],
        ['one', 'When all products are ready'],
      ],
      { string: 'Shipping Policy', default: 'direct', required: true },
    ),
    state: fields.selection(PICKING_STATES, { string: 'Status', readonly: true, store: true, compute: (env, row) => pickingState(env, row) }),
    priority: fields.selection(
      [
        ['0', 'Normal'],
        ['1', 'Urgent'],
      ],
      { string: 'Priority', default: '0' },
    ),
    scheduled_date: fields.datetime({ string: 'Scheduled Date', default: (env: Env) => nowDatetime(env) }),
    date_deadline: fields.datetime({ string: 'Deadline' }),
    date_done: fields.datetime({ string: 'Date of Transfer', readonly: true, copy: false }),
    location_id: fields.many2one('stock.location', { string: 'Source Location', required: true }),
    location_dest_id: fields.many2one('stock.location', { string: 'Destination Location', required: true }),
    move_ids: fields.one2many('stock.move', 'picking_id', { string: 'Stock Moves' }),
    picking_type_id: fields.many2one('stock.picking.type', { string: 'Operation Type', required: true }),
    picking_type_code: fields.selection(
      [
        ['incoming', 'Receipt'],
        ['outgoing', 'Delivery'],
        ['internal', 'Internal Transfer'],
      ],
      { string: 'Type of Operation', related: 'picking_type_id.code' },
    ),
    partner_id: fields.many2one('res.partner', { string: 'Contact' }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    user_id: fields.many2one('res.users', { string: 'Responsible', default: (env: Env) => env.uid }),
    is_locked: fields.boolean({ string: 'Is Locked', default: true }),
    sale_id: fields.many2one('sale.order', { string: 'Sales Order', index: true }),
    return_id: fields.many2one('stock.picking', { string: 'Return of', copy: false, readonly: true, index: true }),
    return_ids: fields.one2many('stock.picking', 'return_id', 'Returns'),
    return_count: fields.integer({ string: '# Returns', compute: (env, row) => env.db.table('stock.picking').referrers('return_id', row.id).length }),
    message_partner_ids: fields.many2many('res.partner', { string: 'Followers (Partners)', copy: false }),
  },
  hooks: {
    beforeUnlink(env, ids) {
      const pickings = env.model('stock.picking');
      const moveIds = ids.flatMap((id) => idList(pickings.get(id, 'move_ids')));
      cancelMoveIds(env, moveIds);
      env.model('stock.move').unlink(moveIds);
    },
  },
  methods: {
    action_confirm: recordMethod([], ({ env, model, ids }) => {
      const moves = env.model('stock.move');
      const drafts = ids.flatMap((id) => idList(model.get(id, 'move_ids'))).filter((id) => moves.row(id)?.state === 'draft');
      if (drafts.length > 0) moves.write(drafts, { state: 'confirmed' });
      reserveMoves(env, drafts);
      return true;
    }),
    action_assign: recordMethod([], ({ env, model, ids }) => {
      const moves = env.model('stock.move');
      const all = ids.flatMap((id) => idList(model.get(id, 'move_ids')));
      const drafts = all.filter((id) => moves.row(id)?.state === 'draft');
      if (drafts.length > 0) moves.write(drafts, { state: 'confirmed' });
      const open = all.filter((id) => {
        const state = moves.row(id)?.state;
        return state === 'confirmed' || state === 'partially_available' || state === 'waiting' || state === 'assigned';
      });
      if (open.length === 0) throw new UserError(MSG.nothingToCheckAvailability);
      reserveMoves(env, open);
      return true;
    }),
    do_unreserve: recordMethod([], ({ env, model, ids }) => {
      unreserveMoves(
        env,
        ids.flatMap((id) => idList(model.get(id, 'move_ids'))),
      );
      return undefined;
    }),
    action_cancel: recordMethod([], ({ env, model, ids }) => {
      cancelMoveIds(
        env,
        ids.flatMap((id) => idList(model.get(id, 'move_ids'))),
      );
      model.write(ids, { is_locked: true });
      return true;
    }),
    button_validate: recordMethod([], ({ env, ids }) => buttonValidate(env, ids)),
    action_toggle_is_locked: recordMethod([], ({ model, ids }) => {
      for (const id of ids) model.write([id], { is_locked: model.row(id)?.is_locked !== true });
      return true;
    }),
  },
});
