import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Vals } from '../../orm/model.ts';
import { idList, m2oId } from './company.ts';
import { reserveMoves } from './stock_rules.ts';
import { originLink } from './chatter.ts';

const MSG_ONLY_DONE = 'You may only return Done pickings.';
const MSG_NOTHING = 'Please specify at least one non-zero quantity.';

function activePicking(env: Env): number | false {
  if (env.context.active_model !== 'stock.picking') return false;
  const id = env.context.active_id ?? (Array.isArray(env.context.active_ids) ? env.context.active_ids[0] : undefined);
  return typeof id === 'number' ? id : false;
}

/** Quantity of a done move still returnable: what moved minus what earlier returns took back. */
function returnable(env: Env, moveId: number): number {
  const moves = env.model('stock.move');
  const move = moves.row(moveId)!;
  let qty = Number(move.quantity ?? 0);
  for (const id of env.db.table('stock.move').referrers('origin_returned_move_id', moveId)) {
    const back = moves.row(id);
    if (back !== undefined && back.state !== 'cancel') qty -= Number(back.product_uom_qty ?? 0);
  }
  return Math.max(0, qty);
}

/** Wizard lines: one per done move of the picking, with what is left to return. */
function defaultLines(env: Env, pickingId: number): unknown[] {
  const moves = env.model('stock.move');
  return idList(env.model('stock.picking').get(pickingId, 'move_ids'))
    .filter((id) => moves.row(id)?.state === 'done')
    .map((id) => [0, 0, { product_id: moves.row(id)!.product_id, quantity: returnable(env, id), move_id: id, to_refund: true }]);
}

function pickingValue(env: Env, pickingId: unknown, field: string): unknown {
  return typeof pickingId === 'number' ? (env.model('stock.picking').get(pickingId, field) ?? false) : false;
}

function parentLocation(env: Env, pickingId: unknown): number | false {
  const typeId = pickingValue(env, pickingId, 'picking_type_id');
  const warehouse = typeof typeId === 'number' ? env.model('stock.picking.type').get(typeId, 'warehouse_id') : false;
  if (typeof warehouse === 'number') return env.model('stock.warehouse').get(warehouse, 'view_location_id') as number;
  const location = pickingValue(env, pickingId, 'location_id');
  return typeof location === 'number' ? (env.model('stock.location').get(location, 'location_id') as number | false) : false;
}

export const stockReturnPickingLine = defineModel({
  name: 'stock.return.picking.line',
  description: 'Return Picking Line',
  transient: true,
  recName: 'product_id',
  fields: {
    wizard_id: fields.many2one('stock.return.picking', { string: 'Wizard', required: true, ondelete: 'cascade', index: true }),
    product_id: fields.many2one('product.product', { string: 'Product', required: true }),
    quantity: fields.float({ string: 'Quantity', digits: [16, 2], required: true }),
    move_id: fields.many2one('stock.move', { string: 'Move' }),
    to_refund: fields.boolean({ string: 'Update quantities on SO/PO', default: true }),
    uom_id: fields.many2one('uom.uom', {
      string: 'Unit of Measure',
      compute: (env, row) => (typeof row.product_id === 'number' ? env.model('product.product').get(row.product_id, 'uom_id') : false),
    }),
  },
});

/**
 * The "Return" wizard of a done delivery: `create_returns` makes a receipt
 * (WH/IN/NNNNN) from the customer back to stock, linked to the sale order, and
 * returns the action opening it. Once validated, lines marked `to_refund`
 * lower the order's delivered quantities.
 */
export const stockReturnPicking = defineModel({
  name: 'stock.return.picking',
  description: 'Return Picking',
  transient: true,
  fields: {
    picking_id: fields.many2one('stock.picking', { string: 'Picking', default: (env: Env) => activePicking(env) }),
    product_return_moves: fields.one2many('stock.return.picking.line', 'wizard_id', { string: 'Moves' }),
    location_id: fields.many2one('stock.location', { string: 'Return Location' }),
    // _compute_moves_locations: where the goods came from, and the warehouse's view location.
    original_location_id: fields.many2one('stock.location', {
      string: 'Original Location',
      compute: (env, row) => pickingValue(env, row.picking_id, 'location_id'),
    }),
    parent_location_id: fields.many2one('stock.location', { string: 'Parent Location', compute: (env, row) => parentLocation(env, row.picking_id) }),
    move_dest_exists: fields.boolean({ string: 'Chained Move Exists', compute: () => false }),
  },
  displayName: (_env, row) => `stock.return.picking,${row.id}`,
  hooks: {
    beforeCreate(env, vals: Vals) {
      const pickingId = m2oId(vals.picking_id ?? activePicking(env));
      if (pickingId === false) return;
      if (env.model('stock.picking').get(pickingId, 'state') !== 'done') throw new UserError(MSG_ONLY_DONE);
      vals.picking_id = pickingId;
      if (vals.product_return_moves === undefined) vals.product_return_moves = defaultLines(env, pickingId);
      if (vals.location_id === undefined) vals.location_id = env.model('stock.picking').row(pickingId)!.location_id;
    },
  },
  methods: {
    create_returns: recordMethod([], ({ env, model, ids }) => {
      const wizard = model.row(ids[0] ?? 0);
      if (wizard === undefined || typeof wizard.picking_id !== 'number') throw new UserError(MSG_ONLY_DONE);
      const pickings = env.model('stock.picking');
      const moves = env.model('stock.move');
      const lines = env.model('stock.return.picking.line');
      const picking = pickings.row(wizard.picking_id)!;
      const returnType = env.model('stock.picking.type').search([['code', '=', 'incoming']], { limit: 1 })[0];
      if (returnType === undefined) throw new UserError('No receipt operation type exists to return goods with.');
      const returnLines = idList(model.get(wizard.id, 'product_return_moves'))
        .map((id) => lines.row(id)!)
        .filter((line) => Number(line.quantity ?? 0) > 0);
      if (returnLines.length === 0) throw new UserError(MSG_NOTHING);
      const returnId = pickings.create({
        name: env.nextByCode('stock.picking.in'),
        origin: `Return of ${String(picking.name)}`,
        picking_type_id: returnType,
        location_id: picking.location_dest_id,
        location_dest_id: wizard.location_id || picking.location_id,
        partner_id: picking.partner_id,
        sale_id: picking.sale_id,
        scheduled_date: env.nowDatetime(),
        return_id: picking.id,
      });
      originLink(env, 'stock.picking', returnId, 'stock.picking', [picking.id]);
      const created = returnLines.map((line) => {
        const original = typeof line.move_id === 'number' ? moves.row(line.move_id) : undefined;
        return moves.create({
          name: original?.name ?? env.model('product.product').displayName(line.product_id as number),
          product_id: line.product_id,
          product_uom_qty: line.quantity,
          product_uom: original?.product_uom ?? false,
          quantity: 0,
          state: 'confirmed',
          location_id: picking.location_dest_id,
          location_dest_id: wizard.location_id || picking.location_id,
          picking_id: returnId,
          picking_type_id: returnType,
          origin_returned_move_id: line.move_id,
          sale_line_id: line.to_refund === true ? (original?.sale_line_id ?? false) : false,
          to_refund: line.to_refund === true,
          partner_id: picking.partner_id,
          // A copy of the returned move: it keeps that move's source document.
          origin: original?.origin ?? false,
        });
      });
      reserveMoves(env, created);
      return {
        name: 'Returned Picking',
        view_mode: 'form,tree,calendar',
        res_model: 'stock.picking',
        res_id: returnId,
        type: 'ir.actions.act_window',
        context: {
          ...env.context,
          default_partner_id: picking.partner_id,
          search_default_picking_type_id: returnType,
          search_default_draft: false,
          search_default_assigned: false,
          search_default_confirmed: false,
          search_default_ready: false,
          search_default_planning_issues: false,
          search_default_available: false,
        },
      };
    }),
  },
});
