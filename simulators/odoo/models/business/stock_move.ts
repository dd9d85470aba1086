import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { nowDatetime } from './company.ts';
import { forecastAvailability } from './stock_forecast.ts';
import { adjustReservation, cancelMoveIds, moveStateForQuantity, reserveMoves } from './stock_rules.ts';

export const MOVE_STATES = [
  ['draft', 'New'],
  ['waiting', 'Waiting Another Move'],
  ['confirmed', 'Waiting Availability'],
  ['partially_available', 'Partially Available'],
  ['assigned', 'Available'],
  ['done', 'Done'],
  ['cancel', 'Cancelled'],
] as const;

const OPEN = new Set(['confirmed', 'partially_available', 'assigned', 'waiting']);

/**
 * Stock moves as Odoo 17 has them: `quantity` is both the reserved and the
 * done quantity (16's quantity_done is gone) and `picked` says the quantity
 * was actually picked. Move lines are not emulated; the move carries it all.
 */
export const stockMove = defineModel({
  name: 'stock.move',
  description: 'Stock Move',
  order: 'sequence, id',
  fields: {
    name: fields.char({ string: 'Description', required: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    reference: fields.char({
      string: 'Reference',
      compute: (env, row) => (typeof row.picking_id === 'number' ? String(env.model('stock.picking').row(row.picking_id)?.name ?? '') : String(row.name ?? '')),
    }),
    product_id: fields.many2one('product.product', { string: 'Product', required: true, index: true }),
    product_uom_qty: fields.float({ string: 'Demand', digits: [16, 2], required: true, default: 0.0 }),
    product_qty: fields.float({ string: 'Real Quantity', compute: (_env, row) => Number(row.product_uom_qty ?? 0) }),
    product_uom: fields.many2one('uom.uom', { string: 'UoM' }),
    quantity: fields.float({ string: 'Quantity', digits: [16, 2], default: 0.0 }),
    picked: fields.boolean({ string: 'Picked', default: false }),
    forecast_availability: fields.float({ string: 'Forecast Availability', compute: (env, row) => forecastAvailability(env, row) }),
    state: fields.selection(MOVE_STATES, { string: 'Status', readonly: true, copy: false, default: 'draft' }),
    location_id: fields.many2one('stock.location', { string: 'Source Location', required: true }),
    location_dest_id: fields.many2one('stock.location', { string: 'Destination Location', required: true }),
    picking_id: fields.many2one('stock.picking', { string: 'Transfer', index: true }),
    picking_type_id: fields.many2one('stock.picking.type', { string: 'Operation Type' }),
    sale_line_id: fields.many2one('sale.order.line', { string: 'Sale Line', index: true }),
    origin_returned_move_id: fields.many2one('stock.move', { string: 'Origin return move', copy: false, index: true }),
    to_refund: fields.boolean({ string: 'Update quantities on SO/PO', copy: false, default: false }),
    partner_id: fields.many2one('res.partner', { string: 'Destination Address' }),
    origin: fields.char({ string: 'Source Document' }),
    date: fields.datetime({ string: 'Date Scheduled', default: (env: Env) => nowDatetime(env) }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
  },
  // stock.move._compute_display_name: "<picking origin>/<product code>: <from>><to>", e.g. "S00001/Stock>Customers".
  displayName: (env, row) => {
    const origin = typeof row.picking_id === 'number' ? env.model('stock.picking').row(row.picking_id)?.origin : false;
    const code = typeof row.product_id === 'number' ? env.model('product.product').get(row.product_id, 'default_code') : false;
    const place = (id: unknown): string => (typeof id === 'number' ? String(env.model('stock.location').row(id)?.name ?? '') : '');
    return `${typeof origin === 'string' && origin !== '' ? `${origin}/` : ''}${typeof code === 'string' && code !== '' ? `${code}: ` : ''}${place(row.location_id)}>${place(row.location_dest_id)}`;
  },
  hooks: {
    beforeWrite(env, ids, vals) {
      // Writing `quantity` on an open move reserves (or forces) that much, like 17's _set_quantity.
      if (vals.quantity === undefined || env.context.reservation_handled === true) return;
      const moves = env.model('stock.move');
      for (const id of ids) {
        const row = moves.row(id);
        if (row === undefined || !OPEN.has(String(row.state))) continue;
        adjustReservation(env, row, Number(vals.quantity) - Number(row.quantity ?? 0));
      }
    },
    afterWrite(env, ids, vals) {
      if (vals.quantity === undefined) return;
      const moves = env.model('stock.move');
      for (const id of ids) {
        const row = moves.row(id);
        if (row === undefined || !OPEN.has(String(row.state))) continue;
        const state = moveStateForQuantity(Number(row.quantity ?? 0), Number(row.product_uom_qty ?? 0));
        if (state !== row.state) moves.write([id], { state });
      }
    },
  },
  methods: {
    _action_cancel: recordMethod([], ({ env, ids }) => {
      cancelMoveIds(env, ids);
      return true;
    }),
    action_assign: recordMethod([], ({ env, ids }) => {
      reserveMoves(env, ids);
      return true;
    }),
  },
});
