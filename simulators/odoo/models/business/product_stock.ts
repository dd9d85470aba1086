import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { extendModel, type Row } from '../../orm/model.ts';
import { idList } from './company.ts';

const OPEN_MOVE = new Set(['waiting', 'confirmed', 'partially_available', 'assigned']);

function isInternal(env: Env, locationId: unknown): boolean {
  return typeof locationId === 'number' && env.model('stock.location').get(locationId, 'usage') === 'internal';
}

function onHand(env: Env, row: Row): number {
  const quants = env.model('stock.quant');
  let qty = 0;
  for (const id of idList(env.model('product.product').get(row.id, 'stock_quant_ids'))) {
    const quant = quants.row(id);
    if (quant !== undefined && isInternal(env, quant.location_id)) qty += Number(quant.quantity ?? 0);
  }
  return qty;
}

/** On hand minus reserved, in internal locations (stock's free_qty). */
function freeQty(env: Env, row: Row): number {
  const quants = env.model('stock.quant');
  let qty = 0;
  for (const id of idList(env.model('product.product').get(row.id, 'stock_quant_ids'))) {
    const quant = quants.row(id);
    if (quant !== undefined && isInternal(env, quant.location_id)) qty += Number(quant.quantity ?? 0) - Number(quant.reserved_quantity ?? 0);
  }
  return qty;
}

/** Demand of open moves leaving (`out`) or entering the warehouse. */
function pending(env: Env, row: Row, out: boolean): number {
  const moves = env.model('stock.move');
  let qty = 0;
  for (const id of idList(env.model('product.product').get(row.id, 'stock_move_ids'))) {
    const move = moves.row(id);
    if (move === undefined || !OPEN_MOVE.has(String(move.state))) continue;
    const fromInside = isInternal(env, move.location_id);
    const toInside = isInternal(env, move.location_dest_id);
    if (out && fromInside && !toInside) qty += Number(move.product_uom_qty ?? 0);
    if (!out && toInside && !fromInside) qty += Number(move.product_uom_qty ?? 0);
  }
  return qty;
}

/** Stock quantities on products (stock's product.product fields), computed from quants and moves. */
export { isInternal, onHand };

export const productStock = extendModel({
  name: 'product.product',
  fields: {
    stock_quant_ids: fields.one2many('stock.quant', 'product_id', { string: 'Quants' }),
    stock_move_ids: fields.one2many('stock.move', 'product_id', { string: 'Stock Moves' }),
    qty_available: fields.float({ string: 'Quantity On Hand', compute: (env, row) => onHand(env, row) }),
    free_qty: fields.float({ string: 'Free To Use Quantity', compute: (env, row) => freeQty(env, row) }),
    incoming_qty: fields.float({ string: 'Incoming', compute: (env, row) => pending(env, row, false) }),
    outgoing_qty: fields.float({ string: 'Outgoing', compute: (env, row) => pending(env, row, true) }),
    virtual_available: fields.float({
      string: 'Forecasted Quantity',
      compute: (env, row) => onHand(env, row) + pending(env, row, false) - pending(env, row, true),
    }),
  },
});
