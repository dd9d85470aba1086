import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

describe('deliveries', () => {
  it('creates one reserved delivery WH/OUT/NNNNN per confirmed order and delivers it in one call', () => {
    const s = shop();
    const order = s.order([
      [s.consumable, 2],
      [s.storable, 5],
    ]);
    s.confirm(order);
    const picking = s.picking(order);
    expect(s.read('stock.picking', picking, ['name', 'state', 'origin'])).toMatchObject({ name: 'WH/OUT/00001', state: 'assigned', origin: 'S00001' });
    expect(s.read('product.product', s.storable, ['qty_available', 'virtual_available', 'outgoing_qty'])).toMatchObject({
      qty_available: 50,
      virtual_available: 45,
      outgoing_qty: 5,
    });
    expect(s.call('stock.picking', 'button_validate', [[picking]])).toBe(true);
    expect(s.read('product.product', s.storable, ['qty_available', 'virtual_available'])).toMatchObject({ qty_available: 45, virtual_available: 45 });
    expect(s.read('sale.order', order, ['delivery_status'])).toMatchObject({ delivery_status: 'full' });
    expect(s.fault('stock.picking', 'button_validate', [[picking]]).message).toBe(MSG.noQuantitiesReserved);
    expect(s.fault('stock.picking', 'action_cancel', [[picking]]).message).toBe(MSG.cancelDoneMove);
  });

  it('reserves a storable order once on the quant and releases it when delivered, short-picked or cancelled', () => {
    const s = shop();
    const quant = (s.call('stock.quant', 'search', [[['product_id', '=', s.storable]]]) as number[])[0]!;
    const order = s.order([[s.storable, 5]]);
    s.confirm(order);
    expect(s.read('stock.quant', quant, ['quantity', 'reserved_quantity'])).toMatchObject({ quantity: 50, reserved_quantity: 5 });
    const move = (s.read('stock.picking', s.picking(order), ['move_ids']).move_ids as number[])[0]!;
    s.call('stock.move', 'write', [[move], { quantity: 3, picked: true }]);
    expect(s.read('stock.quant', quant, ['reserved_quantity'])).toMatchObject({ reserved_quantity: 3 });
    const action = s.call('stock.picking', 'button_validate', [[s.picking(order)]]) as Record<string, Record<string, unknown>>;
    const wizard = s.call('stock.backorder.confirmation', 'create', [{}], { context: action.context });
    s.call('stock.backorder.confirmation', 'process', [[wizard]], { context: action.context });
    expect(s.read('stock.quant', quant, ['quantity', 'reserved_quantity'])).toMatchObject({ quantity: 47, reserved_quantity: 2 });
    s.call('sale.order', 'action_cancel', [[order]], { context: { disable_cancel_warning: true } });
    expect(s.read('stock.quant', quant, ['quantity', 'reserved_quantity'])).toMatchObject({ quantity: 47, reserved_quantity: 0 });
  });

  it('reserves only what is on hand and leaves the rest waiting', () => {
    const s = shop();
    const order = s.order([[s.storable, 60]]);
    s.confirm(order);
    const move = (s.read('stock.picking', s.picking(order), ['move_ids']).move_ids as number[])[0]!;
    expect(s.read('stock.move', move, ['quantity', 'state'])).toMatchObject({ quantity: 50, state: 'partially_available' });
  });

  it('asks about a backorder when short, and creates one with the rest on process', () => {
    const s = shop();
    const order = s.order([[s.consumable, 5]]);
    s.confirm(order);
    const picking = s.picking(order);
    const move = (s.read('stock.picking', picking, ['move_ids']).move_ids as number[])[0]!;
    s.call('stock.move', 'write', [[move], { quantity: 3, picked: true }]);
    const action = s.call('stock.picking', 'button_validate', [[picking]]) as Record<string, Record<string, unknown>>;
    expect(action.res_model).toBe('stock.backorder.confirmation');
    expect(action.context!.button_validate_picking_ids).toEqual([picking]);
    const wizard = s.call('stock.backorder.confirmation', 'create', [{}], { context: action.context });
    expect(s.call('stock.backorder.confirmation', 'process', [[wizard]], { context: action.context })).toBe(true);
    const pickings = s.read('sale.order', order, ['picking_ids', 'delivery_status']);
    expect(pickings.delivery_status).toBe('partial');
    const backorder = (pickings.picking_ids as number[]).find((id) => id !== picking)!;
    expect(s.read('stock.picking', backorder, ['name', 'state', 'backorder_id'])).toMatchObject({ name: 'WH/OUT/00002', state: 'assigned' });
    const line = (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!;
    expect(s.read('sale.order.line', line, ['qty_delivered'])).toMatchObject({ qty_delivered: 3 });
  });

  it('cancels the rest when the backorder is declined', () => {
    const s = shop();
    const order = s.order([[s.consumable, 5]]);
    s.confirm(order);
    const picking = s.picking(order);
    const move = (s.read('stock.picking', picking, ['move_ids']).move_ids as number[])[0]!;
    s.call('stock.move', 'write', [[move], { quantity: 2 }]);
    const action = s.call('stock.picking', 'button_validate', [[picking]]) as Record<string, Record<string, unknown>>;
    const wizard = s.call('stock.backorder.confirmation', 'create', [{}], { context: action.context });
    s.call('stock.backorder.confirmation', 'process_cancel_backorder', [[wizard]], { context: action.context });
    expect(s.read('sale.order', order, ['picking_ids', 'delivery_status'])).toMatchObject({ picking_ids: [picking], delivery_status: 'full' });
  });

  it('applies an inventory count on the quant already at the location, and returns None for it', () => {
    const s = shop();
    const stock = (s.call('stock.location', 'search', [[['complete_name', '=', 'WH/Stock']]]) as number[])[0]!;
    const existing = s.call('stock.quant', 'search', [
      [
        ['product_id', '=', s.storable],
        ['location_id', '=', stock],
      ],
    ]) as number[];
    // In inventory mode, create counts on the existing quant (transcript 19): same id, a difference against its 50.
    const quant = s.call('stock.quant', 'create', [{ product_id: s.storable, location_id: stock, inventory_quantity: 7 }], {
      context: { inventory_mode: true },
    }) as number;
    expect([quant]).toEqual(existing);
    expect(s.read('stock.quant', quant, ['inventory_diff_quantity', 'inventory_quantity_set'])).toMatchObject({
      inventory_diff_quantity: -43,
      inventory_quantity_set: true,
    });
    expect(s.call('stock.quant', 'action_apply_inventory', [[quant]])).toBeUndefined();
    expect(s.read('product.product', s.storable, ['qty_available'])).toMatchObject({ qty_available: 7 });
  });

  it('returns a delivery as WH/IN/NNNNN linked to the order, and the validated return lowers delivered quantity and restores stock', () => {
    const s = shop();
    const order = s.order([[s.storable, 5]]);
    s.confirm(order);
    s.deliver(order);
    const delivery = s.picking(order);
    const wizard = s.call('stock.return.picking', 'create', [{}], {
      context: { active_model: 'stock.picking', active_id: delivery, active_ids: [delivery] },
    }) as number;
    const action = s.call('stock.return.picking', 'create_returns', [[wizard]]) as Record<string, unknown>;
    expect(action).toMatchObject({ res_model: 'stock.picking', type: 'ir.actions.act_window' });
    const back = action.res_id as number;
    expect(s.read('stock.picking', back, ['name', 'state', 'origin', 'sale_id'])).toMatchObject({
      name: 'WH/IN/00001',
      state: 'assigned',
      origin: 'Return of WH/OUT/00001',
    });
    expect(s.call('stock.picking', 'button_validate', [[back]])).toBe(true);
    const line = (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!;
    expect(s.read('sale.order.line', line, ['qty_delivered'])).toMatchObject({ qty_delivered: 0 });
    expect(s.read('product.product', s.storable, ['qty_available'])).toMatchObject({ qty_available: 50 });
    const notDone = s.order([[s.consumable, 1]]);
    s.confirm(notDone);
    const refused = s.fault('stock.return.picking', 'create', [{}], { context: { active_model: 'stock.picking', active_id: s.picking(notDone) } });
    expect(refused.message).toBe('You may only return Done pickings.');
  });
});
