import { describe, expect, it } from 'vitest';
import type { Shipment } from '../contracts/ledgers.ts';
import { shipsOnce } from './ships-once.ts';
import { captureOrder, HistoryBuilder, judge, namedOrders, runInput } from './test-fixtures.ts';

function shipment(shipmentId: string, orderRef: string, lines: Shipment['lines'], status = 'delivered'): Shipment {
  return { shipmentId, orderRef, trackingNumber: `TRK-${shipmentId}`, createdAt: '2026-01-05T09:00:00.000Z', lines, status, timeline: [], deliveries: [] };
}

describe('ships-once', () => {
  const capture = { orders: [captureOrder('CAP-000001', { lines: [{ sku: 'FL-STOCK-01', quantity: 3, unitPrice: 10 }] })] };

  it('passes when split parcels add up to the order and a cancelled booking is left out', () => {
    const logistics = {
      shipments: [
        shipment('shp_1', 'CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 2 }]),
        shipment('shp_2', 'CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 1 }]),
        shipment('shp_3', 'CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 3 }], 'cancelled'),
      ],
    };
    expect(judge(shipsOnce, runInput({ ledgers: { capture, logistics } })).verdict).toBe('pass');
  });

  it('fails naming the order booked twice at the 3PL, with the status events of its parcels', () => {
    const history = new HistoryBuilder();
    const first = history.event('logistics', 'shipment.status', 'CAP-000001', { shipmentId: 'shp_1', seq: 1, status: 'picked' });
    const second = history.event('logistics', 'shipment.status', 'CAP-000001', { shipmentId: 'shp_2', seq: 1, status: 'picked' });
    const logistics = {
      shipments: [
        shipment('shp_1', 'CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 3 }]),
        shipment('shp_2', 'CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 3 }], 'in_transit'),
      ],
    };
    const verdict = judge(shipsOnce, runInput({ history: history.events, ledgers: { capture, logistics } }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('6 × FL-STOCK-01 against 3 ordered');
    expect(verdict.examples[0]!.events).toEqual([first, second]);
  });

  it('cannot judge without the 3PL ledger', () => {
    expect(judge(shipsOnce, runInput({ ledgers: { capture } })).verdict).toBe('unknown');
  });
});
