import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { backorderWizardAction } from './actions.ts';
import { idList, userPartner } from './company.ts';
import { addFollower } from './followers.ts';
import { followKey, guardConcurrent, markOnCommit } from './concurrency_guard.ts';
import { MSG } from './messages.ts';
import { floatCompare, floatIsZero } from './rounding.ts';
import { htmlLink, postMessage } from './chatter.ts';
import { cancelMoveIds, consumeQuants, pickingSequenceCode, receiveQuants, reservedMoves, reserveMoves } from './stock_rules.ts';

const QTY = 0.01;

function isOpen(move: Row): boolean {
  return move.state !== 'done' && move.state !== 'cancel';
}

function movesOf(env: Env, pickingId: number): Row[] {
  const moves = env.model('stock.move');
  return idList(env.model('stock.picking').get(pickingId, 'move_ids'))
    .map((id) => moves.row(id))
    .filter((row): row is Row => row !== undefined);
}

/**
 * stock.picking.button_validate (17.0): confirm drafts, sanity checks, mark
 * everything picked when nothing is, ask about a backorder when short, else
 * finish the moves. Returns true or the backorder wizard's action dict.
 */
export function buttonValidate(env: Env, pickingIds: readonly number[]): unknown {
  const pickings = env.model('stock.picking');
  const moves = env.model('stock.move');
  const ids = pickings.exists(pickingIds);
  const validator = userPartner(env, env.uid);
  const locks = [...ids.map((id) => `stock.picking:${id}`), ...pickingQuantLocks(env, ids)];
  guardConcurrent(
    env,
    locks,
    ids.map((id) => ({ key: followKey('stock.picking', id, validator), message: MSG.followTwice })),
  );

  for (const id of ids) {
    const drafts = movesOf(env, id)
      .filter((m) => m.state === 'draft')
      .map((m) => m.id);
    if (drafts.length > 0) {
      moves.write(drafts, { state: 'confirmed' });
      reserveMoves(env, drafts);
    }
  }

  if (env.context.skip_sanity_check !== true) {
    for (const id of ids) if (movesOf(env, id).length === 0) throw new UserError(MSG.emptyTransfer);
    const withoutQuantities = ids.filter((id) =>
      movesOf(env, id)
        .filter(isOpen)
        .every((m) => floatIsZero(Number(m.quantity ?? 0), QTY)),
    );
    if (withoutQuantities.length > 0) throw new UserError(MSG.noQuantitiesReserved);
  }

  for (const id of ids) {
    if (addFollower(env, 'stock.picking', id, validator)) markOnCommit(env, [followKey('stock.picking', id, validator)]);
  }
  markOnCommit(env, locks);

  // Nothing picked means everything with a quantity counts as picked.
  for (const id of ids) {
    const open = movesOf(env, id).filter(isOpen);
    if (!open.some((m) => m.picked === true)) {
      const toPick = open.map((m) => m.id);
      if (toPick.length > 0) moves.write(toPick, { picked: true });
    }
  }

  const validateIds = Array.isArray(env.context.button_validate_picking_ids) ? (env.context.button_validate_picking_ids as number[]) : ids;
  if (env.context.skip_backorder !== true) {
    const short = ids.filter((id) => needsBackorder(env, id));
    if (short.length > 0) return backorderWizardAction(short, validateIds, env.context);
  }

  const noBackorder = new Set(Array.isArray(env.context.picking_ids_not_to_backorder) ? (env.context.picking_ids_not_to_backorder as number[]) : []);
  for (const id of ids) finishPicking(env, id, !noBackorder.has(id) && backorderPolicy(env, id) !== 'never');
  return true;
}

function pickingQuantLocks(env: Env, pickingIds: readonly number[]): string[] {
  const out = new Set<string>();
  for (const id of pickingIds) {
    for (const move of movesOf(env, id)) {
      if (typeof move.product_id === 'number' && env.model('product.product').get(move.product_id, 'type') === 'product')
        out.add(`stock.quant:product:${move.product_id}`);
    }
  }
  return [...out];
}

function backorderPolicy(env: Env, pickingId: number): string {
  const typeId = env.model('stock.picking').row(pickingId)?.picking_type_id;
  const policy = typeof typeId === 'number' ? env.model('stock.picking.type').get(typeId, 'create_backorder') : 'ask';
  return typeof policy === 'string' ? policy : 'ask';
}

function needsBackorder(env: Env, pickingId: number): boolean {
  if (backorderPolicy(env, pickingId) !== 'ask') return false;
  return movesOf(env, pickingId).some((m) => {
    if (m.state === 'cancel' || m.state === 'done') return false;
    const demand = Number(m.product_uom_qty ?? 0);
    const picked = m.picked === true ? Number(m.quantity ?? 0) : 0;
    return (demand > 0 && m.picked !== true) || floatCompare(picked, demand, QTY) < 0;
  });
}

/** _action_done: picked quantities are done; the rest goes to a backorder or is cancelled. */
function finishPicking(env: Env, pickingId: number, createBackorder: boolean): void {
  const pickings = env.model('stock.picking');
  const moves = reservedMoves(env);
  const unpicked: Row[] = [];
  const splits: Array<{ move: Row; quantity: number }> = [];
  for (const move of movesOf(env, pickingId).filter(isOpen)) {
    const demand = Number(move.product_uom_qty ?? 0);
    const done = move.picked === true ? Number(move.quantity ?? 0) : 0;
    if (floatIsZero(done, QTY)) {
      unpicked.push(move);
      continue;
    }
    const left = demand - done;
    const short = floatCompare(left, 0, QTY) > 0;
    if (short) splits.push({ move, quantity: left });
    consumeQuants(env, move, done);
    receiveQuants(env, move, done);
    // Without a backorder the move keeps its demand, done for what was picked (transcript 13).
    moves.write([move.id], { state: 'done', quantity: done, product_uom_qty: short && createBackorder ? done : demand });
  }
  pickings.write([pickingId], { date_done: env.nowDatetime() });
  if (unpicked.length === 0 && splits.length === 0) return;
  if (!createBackorder) {
    if (unpicked.length > 0)
      cancelMoveIds(
        env,
        unpicked.map((m) => m.id),
      );
    return;
  }
  const picking = pickings.row(pickingId)!;
  const backorderId = pickings.create({
    name: env.nextByCode(pickingSequenceCode(env, picking.picking_type_id)),
    origin: picking.origin,
    picking_type_id: picking.picking_type_id,
    location_id: picking.location_id,
    location_dest_id: picking.location_dest_id,
    partner_id: picking.partner_id,
    sale_id: picking.sale_id,
    backorder_id: pickingId,
    scheduled_date: picking.scheduled_date,
    move_type: picking.move_type,
  });
  postMessage(env, 'stock.picking', pickingId, `<p>The backorder ${htmlLink(env, 'stock.picking', backorderId)} has been created.</p>`);
  const toReserve: number[] = [];
  // Unpicked moves change picking whole, keeping what they had reserved.
  if (unpicked.length > 0) {
    const ids = unpicked.map((m) => m.id);
    moves.write(ids, { picking_id: backorderId, picked: false });
    toReserve.push(...ids);
  }
  for (const { move, quantity } of splits) {
    toReserve.push(moves.create({ ...moveCopyVals(move), product_uom_qty: quantity, quantity: 0, state: 'confirmed', picking_id: backorderId }));
  }
  reserveMoves(env, toReserve);
}

function moveCopyVals(move: Row): Record<string, unknown> {
  return {
    name: move.name,
    product_id: move.product_id,
    product_uom: move.product_uom,
    location_id: move.location_id,
    location_dest_id: move.location_dest_id,
    picking_type_id: move.picking_type_id,
    sale_line_id: move.sale_line_id,
    partner_id: move.partner_id,
    origin: move.origin,
  };
}
