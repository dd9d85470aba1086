import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { idList, m2oId, nowDatetime } from './company.ts';
import { MSG } from './messages.ts';
import { originLink } from './chatter.ts';
import { checkModelAccess } from '../../orm/access.ts';
import { floatCompare, floatIsZero } from './rounding.ts';

const QTY = 0.01;

export interface DeliveryRoute {
  readonly pickingTypeId: number;
  readonly sourceId: number;
  readonly destinationId: number;
  readonly sequenceCode: string;
}

const routeCache = new WeakMap<Env['db'], DeliveryRoute>();

/** WH's delivery operation type and its locations (master data, looked up once per database). */
export function deliveryRoute(env: Env): DeliveryRoute {
  const cached = routeCache.get(env.db);
  if (cached !== undefined) return cached;
  const typeId = env.model('stock.picking.type').search([['code', '=', 'outgoing']], { limit: 1 })[0];
  if (typeId === undefined) throw new UserError('No delivery operation type exists; the emulator seed should have created "Delivery Orders".');
  const type = env.model('stock.picking.type').row(typeId)!;
  const route: DeliveryRoute = {
    pickingTypeId: typeId,
    sourceId: type.default_location_src_id as number,
    destinationId: type.default_location_dest_id as number,
    sequenceCode: 'stock.picking.out',
  };
  routeCache.set(env.db, route);
  return route;
}

/** The ir.sequence code that names pickings of an operation type (WH/OUT/, WH/IN/). */
export function pickingSequenceCode(env: Env, pickingTypeId: unknown): string {
  const code = typeof pickingTypeId === 'number' ? env.model('stock.picking.type').get(pickingTypeId, 'code') : 'outgoing';
  return code === 'incoming' ? 'stock.picking.in' : 'stock.picking.out';
}

function productType(env: Env, productId: number): string {
  const type = env.model('product.product').get(productId, 'type');
  return typeof type === 'string' ? type : 'consu';
}

/** Only storable products are reserved against quants; consumables are always available. */
function isStorable(env: Env, productId: number): boolean {
  return productType(env, productId) === 'product';
}

/**
 * stock.move as stock code writes it: the caller has already moved the
 * reservation on the quants, so the move's own hook (which reserves what a
 * client writes into `quantity`) must not do it a second time.
 */
export function reservedMoves(env: Env): ReturnType<Env['model']> {
  return env.withContext({ reservation_handled: true }).model('stock.move');
}

/** _should_bypass_reservation: consumables, and anything not taken from an internal location, are always available. */
function bypassesReservation(env: Env, move: Row): boolean {
  if (!isStorable(env, move.product_id as number)) return true;
  return typeof move.location_id !== 'number' || env.model('stock.location').get(move.location_id, 'usage') !== 'internal';
}

export function moveStateForQuantity(quantity: number, demand: number): string {
  if (floatCompare(quantity, demand, QTY) >= 0 && demand > 0) return 'assigned';
  if (quantity > 0) return 'partially_available';
  return 'confirmed';
}

/** Quants of a product at a location, in id order. */
function quantsAt(env: Env, productId: number, locationId: number): Row[] {
  const quants = env.model('stock.quant');
  const out: Row[] = [];
  for (const id of idList(env.model('product.product').get(productId, 'stock_quant_ids'))) {
    const row = quants.row(id);
    if (row !== undefined && row.location_id === locationId) out.push(row);
  }
  return out;
}

/** Changes reserved stock by `delta` (positive reserves), spread over quants in id order; returns what was reserved. */
function changeReserved(env: Env, productId: number, locationId: number, delta: number, allowOver: boolean): number {
  const quants = env.model('stock.quant');
  let left = delta;
  for (const quant of quantsAt(env, productId, locationId)) {
    if (floatIsZero(left, QTY)) break;
    const reserved = Number(quant.reserved_quantity ?? 0);
    if (left > 0) {
      const free = Math.max(0, Number(quant.quantity ?? 0) - reserved);
      const take = Math.min(free, left);
      if (take > 0) {
        quants.write([quant.id], { reserved_quantity: reserved + take });
        left -= take;
      }
    } else {
      const give = Math.min(reserved, -left);
      if (give > 0) {
        quants.write([quant.id], { reserved_quantity: reserved - give });
        left += give;
      }
    }
  }
  if (left > 0 && allowOver) {
    // A quantity forced by the client beyond what is free: Odoo reserves nothing for it either.
    return delta;
  }
  return delta - left;
}

/** Reserves what each open move still lacks (storable: from free quants; consumable: all). */
export function reserveMoves(env: Env, moveIds: readonly number[]): void {
  const moves = reservedMoves(env);
  for (const id of moveIds) {
    const move = moves.row(id);
    if (move === undefined) continue;
    const state = move.state;
    if (state !== 'confirmed' && state !== 'partially_available' && state !== 'waiting' && state !== 'assigned') continue;
    const demand = Number(move.product_uom_qty ?? 0);
    const have = Number(move.quantity ?? 0);
    let quantity = have;
    if (bypassesReservation(env, move)) {
      quantity = Math.max(have, demand);
    } else if (have < demand) {
      quantity = have + changeReserved(env, move.product_id as number, move.location_id as number, demand - have, false);
    }
    const next = moveStateForQuantity(quantity, demand);
    if (quantity !== have || next !== state) moves.write([id], { quantity, state: next });
  }
}

/** The part of a client's `quantity` write that touches quants (storable moves only). */
export function adjustReservation(env: Env, move: Row, delta: number): void {
  if (delta === 0 || bypassesReservation(env, move)) return;
  changeReserved(env, move.product_id as number, move.location_id as number, delta, true);
}

export function unreserveMoves(env: Env, moveIds: readonly number[]): void {
  const moves = reservedMoves(env);
  for (const id of moveIds) {
    const move = moves.row(id);
    if (move === undefined || move.state === 'done' || move.state === 'cancel') continue;
    const have = Number(move.quantity ?? 0);
    if (have > 0 && isStorable(env, move.product_id as number)) changeReserved(env, move.product_id as number, move.location_id as number, -have, false);
    moves.write([id], { quantity: 0, state: 'confirmed' });
  }
}

/** stock.move._action_cancel: refuses done moves, releases reservations. */
export function cancelMoveIds(env: Env, moveIds: readonly number[]): void {
  const moves = reservedMoves(env);
  if (moveIds.some((id) => moves.row(id)?.state === 'done')) throw new UserError(MSG.cancelDoneMove);
  for (const id of moveIds) {
    const move = moves.row(id);
    if (move === undefined || move.state === 'cancel') continue;
    const have = Number(move.quantity ?? 0);
    if (have > 0 && isStorable(env, move.product_id as number)) changeReserved(env, move.product_id as number, move.location_id as number, -have, false);
    moves.write([id], { state: 'cancel', quantity: 0 });
  }
}

/** sale_stock: cancelling an order cancels its pickings that are not done. */
export function cancelPickings(env: Env, pickingIds: readonly number[]): void {
  const pickings = env.model('stock.picking');
  const open = pickingIds.filter((id) => {
    const state = pickings.get(id, 'state');
    return state !== 'done' && state !== 'cancel';
  });
  if (open.length > 0) pickings.call('action_cancel', open);
}

/** Puts stock into the destination's quants when a storable move into an internal location is done (returns). */
export function receiveQuants(env: Env, move: Row, quantity: number): void {
  const productId = move.product_id as number;
  if (!isStorable(env, productId) || quantity <= 0) return;
  const locationId = move.location_dest_id as number;
  if (env.model('stock.location').get(locationId, 'usage') !== 'internal') return;
  const quant = quantsAt(env, productId, locationId)[0];
  if (quant !== undefined) env.model('stock.quant').write([quant.id], { quantity: Number(quant.quantity ?? 0) + quantity });
  else env.model('stock.quant').create({ product_id: productId, location_id: locationId, quantity, inventory_quantity_set: false });
}

/** Moves stock out of the source location's quants when a storable move is done. */
export function consumeQuants(env: Env, move: Row, quantity: number): void {
  const productId = move.product_id as number;
  if (!isStorable(env, productId) || quantity <= 0) return;
  const locationId = move.location_id as number;
  if (env.model('stock.location').get(locationId, 'usage') !== 'internal') return;
  const quants = env.model('stock.quant');
  const reservedByMove = Math.min(Number(move.quantity ?? 0), quantity);
  changeReserved(env, productId, locationId, -reservedByMove, false);
  let left = quantity;
  for (const quant of quantsAt(env, productId, locationId)) {
    const onHand = Number(quant.quantity ?? 0);
    const take = Math.min(Math.max(0, onHand), left);
    if (take > 0) {
      quants.write([quant.id], { quantity: onHand - take });
      left -= take;
    }
    if (floatIsZero(left, QTY)) return;
  }
  // Odoo lets stock go negative: the rest becomes a negative quant.
  const first = quantsAt(env, productId, locationId)[0];
  if (first !== undefined) quants.write([first.id], { quantity: Number(first.quantity ?? 0) - left });
  else quants.create({ product_id: productId, location_id: locationId, quantity: -left, inventory_quantity_set: false });
}

/** Lock keys of the storable products an order reserves: concurrent confirms queue on their quant rows. */
export function storableLocks(env: Env, orderIds: readonly number[]): string[] {
  const lines = env.model('sale.order.line');
  const out = new Set<string>();
  for (const orderId of orderIds) {
    if (env.model('sale.order').row(orderId) === undefined) continue;
    for (const lineId of idList(env.model('sale.order').get(orderId, 'order_line'))) {
      const productId = m2oId(lines.row(lineId)?.product_id);
      if (productId !== false && isStorable(env, productId)) out.add(`stock.quant:product:${productId}`);
    }
  }
  return [...out];
}

/**
 * sale_stock's _action_launch_stock_rule: for each goods line of a confirmed
 * order, what is not yet covered by a move becomes a move in the order's open
 * delivery (created, named WH/OUT/NNNNN, if there is none), confirmed and reserved.
 */
export function launchStockRules(env: Env, orderIds: readonly number[]): void {
  const orders = env.model('sale.order');
  const lines = env.model('sale.order.line');
  const moves = env.model('stock.move');
  const pickings = env.model('stock.picking');
  const products = env.model('product.product');
  for (const orderId of orderIds) {
    const order = orders.row(orderId);
    if (order === undefined || order.state !== 'sale') continue;
    let pickingId: number | undefined;
    const created: number[] = [];
    for (const lineId of idList(orders.get(orderId, 'order_line'))) {
      const line = lines.row(lineId);
      if (line === undefined || (line.display_type !== false && line.display_type !== undefined)) continue;
      const productId = m2oId(line.product_id);
      if (productId === false) continue;
      const type = productType(env, productId);
      if (type !== 'consu' && type !== 'product') continue;
      let procured = 0;
      for (const moveId of idList(lines.get(lineId, 'move_ids'))) {
        const move = moves.row(moveId);
        if (move !== undefined && move.state !== 'cancel') procured += Number(move.product_uom_qty ?? 0);
      }
      const missing = Number(line.product_uom_qty ?? 0) - procured;
      if (floatCompare(missing, 0, QTY) === 0) continue;
      // A changed quantity goes into the line's open move (procurement merges
      // into it, a negative one included); a move brought to zero is cancelled.
      const open = idList(lines.get(lineId, 'move_ids'))
        .map((id) => moves.row(id))
        .find((move) => move !== undefined && move.state !== 'done' && move.state !== 'cancel');
      if (open !== undefined) {
        resizeMove(env, open, Number(open.product_uom_qty ?? 0) + missing);
        continue;
      }
      if (floatCompare(missing, 0, QTY) < 0) continue;
      // procurement.group.run looks up reordering rules as the calling user: a
      // user without stock or sales rights (billing only) fails here (checked on a real 17.0).
      checkModelAccess(env, 'stock.warehouse.orderpoint', 'read', 'Minimum Inventory Rule');
      const route = deliveryRoute(env);
      if (pickingId === undefined) {
        pickingId = openDelivery(env, orderId);
        if (pickingId === undefined) {
          pickingId = createDelivery(env, order, route);
          // sale_stock's _assign_picking_post_process: a new delivery names the order it came from.
          originLink(env, 'stock.picking', pickingId, 'sale.order', [orderId]);
        }
      }
      // Consumables bypass reservation: their moves are born reserved (assigned).
      const storable = type === 'product';
      const moveId = moves.create({
        name: products.displayName(productId),
        product_id: productId,
        product_uom_qty: missing,
        product_uom: line.product_uom,
        quantity: storable ? 0 : missing,
        state: storable ? 'confirmed' : 'assigned',
        location_id: pickings.row(pickingId)!.location_id,
        location_dest_id: pickings.row(pickingId)!.location_dest_id,
        picking_id: pickingId,
        picking_type_id: route.pickingTypeId,
        sale_line_id: lineId,
        partner_id: m2oId(order.partner_shipping_id) || order.partner_id,
        origin: order.name,
        date: nowDatetime(env),
      });
      if (storable) created.push(moveId);
    }
    if (created.length > 0) reserveMoves(env, created);
  }
}

/** Sets an open move's demand, keeping its reservation in step; at zero the move is cancelled. */
function resizeMove(env: Env, move: Row, quantity: number): void {
  const moves = reservedMoves(env);
  if (floatCompare(quantity, 0, QTY) <= 0) {
    cancelMoveIds(env, [move.id]);
    moves.write([move.id], { product_uom_qty: 0 });
    return;
  }
  if (bypassesReservation(env, move)) {
    moves.write([move.id], { product_uom_qty: quantity, quantity });
    return;
  }
  unreserveMoves(env, [move.id]);
  moves.write([move.id], { product_uom_qty: quantity });
  reserveMoves(env, [move.id]);
}

function openDelivery(env: Env, orderId: number): number | undefined {
  const pickings = env.model('stock.picking');
  for (const id of idList(env.model('sale.order').get(orderId, 'picking_ids'))) {
    const state = pickings.get(id, 'state');
    if (state !== 'done' && state !== 'cancel') return id;
  }
  return undefined;
}

function createDelivery(env: Env, order: Row, route: DeliveryRoute): number {
  return env.model('stock.picking').create({
    name: env.nextByCode(route.sequenceCode),
    origin: order.name,
    picking_type_id: route.pickingTypeId,
    location_id: route.sourceId,
    location_dest_id: route.destinationId,
    partner_id: m2oId(order.partner_shipping_id) || order.partner_id,
    sale_id: order.id,
    scheduled_date: nowDatetime(env),
    // stock.move._get_new_picking_values: a delivery has no responsible, so nobody is notified of its assignment.
    user_id: false,
    // The procurement group carries the order's shipping policy to the delivery.
    move_type: order.picking_policy === 'one' ? 'one' : 'direct',
  });
}
