import { describe, expect, it } from 'vitest';
import { disagreementWindows } from './agreement-windows.ts';
import { buildHistoryIndex } from './history-index.ts';
import { HistoryBuilder } from './test-fixtures.ts';

function windowsOf(history: HistoryBuilder, shipments = true) {
  const trail = buildHistoryIndex(history.events).orders.get('CAP-000001')!;
  return disagreementWindows(trail, { shipments }).map((w) => [w.dimension, w.opened.seq, w.closed?.seq]);
}

describe('disagreement windows', () => {
  it("opens when the 3PL's parcel moves and closes when the middleware's view catches up, including after the view went back", () => {
    const history = new HistoryBuilder();
    const picked = history.event('logistics', 'shipment.status', 'CAP-000001', { shipmentId: 'shp_1', status: 'picked' });
    const seenPicked = history.event('middleware', 'shipment.state', 'CAP-000001', { shipmentId: 'shp_1', status: 'picked' });
    const packed = history.event('logistics', 'shipment.status', 'CAP-000001', { shipmentId: 'shp_1', status: 'packed' });
    const seenPacked = history.event('middleware', 'shipment.state', 'CAP-000001', { shipmentId: 'shp_1', status: 'packed' });
    const flippedBack = history.event('middleware', 'shipment.state', 'CAP-000001', { shipmentId: 'shp_1', status: 'picked' });
    const seenAgain = history.event('middleware', 'shipment.state', 'CAP-000001', { shipmentId: 'shp_1', status: 'packed' });
    expect(windowsOf(history)).toEqual([
      ['shipment', picked, seenPicked],
      ['shipment', packed, seenPacked],
      ['shipment', flippedBack, seenAgain],
    ]);
    expect(windowsOf(history, false)).toEqual([]);
  });

  it('opens a money window only once there is both money and a posted invoice, and closes it at the recording', () => {
    const history = new HistoryBuilder();
    history.event('payment', 'payment.captured', 'CAP-000001', { paymentId: 'pay_1', amount: 2.31 });
    const posted = history.odoo({ model: 'account.move', method: 'action_post', ids: [21], corr: 'CAP-000001' });
    const paid = history.odoo({ model: 'account.payment.register', method: 'action_create_payments', ids: [4], corr: 'CAP-000001' });
    history.event('payment', 'payment.captured', 'CAP-000001', { paymentId: 'pay_2', amount: 2.31 });
    expect(windowsOf(history)).toEqual([
      ['money', posted, paid],
      ['money', paid + 1, undefined],
    ]);
  });

  it('opens no order window for an order nobody acknowledged and Odoo never got', () => {
    const history = new HistoryBuilder();
    history.event('capture', 'order.placed', 'CAP-000001');
    expect(windowsOf(history)).toEqual([]);
    const ack = new HistoryBuilder();
    const placed = ack.event('capture', 'order.placed', 'CAP-000001');
    ack.event('capture', 'order.acknowledged', 'CAP-000001');
    expect(windowsOf(ack)).toEqual([['order', placed, undefined]]);
  });
});
