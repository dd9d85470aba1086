import type { Env } from '../../orm/env.ts';
import type { Row } from '../../orm/model.ts';
import { idList } from './company.ts';
import { isInternal, onHand } from './product_stock.ts';

const UNRESERVED = new Set(['waiting', 'confirmed', 'partially_available']);
const OPEN = new Set(['waiting', 'confirmed', 'partially_available', 'assigned']);

/**
 * stock.move.forecast_availability (stock's _compute_forecast_information) for
 * a one-warehouse database: a move of a non-storable product, a done move or a
 * move not leaving the warehouse forecasts its own quantity; an outgoing move
 * that is reserved forecasts what it reserved; an unreserved outgoing move
 * forecasts its demand when the stock on hand covers it after the moves ahead
 * of it (reserved ones, then older ones), else the shortfall as a negative number.
 */
export function forecastAvailability(env: Env, move: Row): number {
  const demand = Number(move.product_uom_qty ?? 0);
  const productId = move.product_id;
  if (typeof productId !== 'number') return demand;
  const product = env.model('product.product');
  if (product.get(productId, 'type') !== 'product' || move.state === 'done' || move.state === 'cancel') return demand;
  const outgoing = isInternal(env, move.location_id) && !isInternal(env, move.location_dest_id);
  if (!outgoing) return demand;
  if (move.state === 'assigned') return Number(move.quantity ?? 0);
  if (!UNRESERVED.has(String(move.state))) return demand;
  const moves = env.model('stock.move');
  let ahead = 0;
  for (const id of idList(product.get(productId, 'stock_move_ids'))) {
    if (id === move.id) continue;
    const other = moves.row(id);
    if (other === undefined || !OPEN.has(String(other.state))) continue;
    if (!isInternal(env, other.location_id) || isInternal(env, other.location_dest_id)) continue;
    if (other.state === 'assigned' || Number(other.quantity ?? 0) > 0) ahead += Number(other.quantity ?? 0);
    else if (id < move.id) ahead += Number(other.product_uom_qty ?? 0);
  }
  const left = onHand(env, product.row(productId)!) - ahead - demand;
  return left >= 0 ? demand : left;
}
