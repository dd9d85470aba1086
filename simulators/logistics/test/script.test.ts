import { describe, expect, it } from 'vitest';
import { readShipmentScript, scriptedBookings } from '../script.ts';

const parcel = (orderRef: string, backorder?: boolean) => ({
  orderRef,
  ...(backorder !== undefined && { backorder }),
  events: [{ status: 'picked', atMs: 0, deliveredAtMs: [10] }],
});

describe('a 3PL script', () => {
  it("groups parcels by booking: a backorder belongs to its order's parcel listed before it", () => {
    const bookings = scriptedBookings(readShipmentScript('script.shipments', [parcel('A'), parcel('B'), parcel('A', true), parcel('A')]));
    expect(bookings.map((b) => [b.orderRef, b.backorder !== undefined])).toEqual([
      ['A', true],
      ['B', false],
      ['A', false],
    ]);
  });

  it('refuses what the simulated 3PL cannot replay, saying where', () => {
    expect(() => readShipmentScript('script.shipments', [parcel('A', true)])).toThrow(
      /script\.shipments\[0\] is a backorder of A, but no parcel of that order comes before it/,
    );
    expect(() => readShipmentScript('script.shipments', [parcel('A'), parcel('A', true), parcel('A', true)])).toThrow(
      /script\.shipments\[2\] is a second backorder of one A parcel/,
    );
    expect(() =>
      readShipmentScript('script.shipments', [
        {
          orderRef: 'A',
          events: [
            { status: 'shipped', atMs: 50, deliveredAtMs: [] },
            { status: 'delivered', atMs: 10, deliveredAtMs: [] },
          ],
        },
      ]),
    ).toThrow(/events\[1\]\.atMs \(10\) is before the previous status \(50\)/);
    expect(() => readShipmentScript('script.shipments', [{ orderRef: 'A', events: [], carrier: 'DHL' }])).toThrow(
      /script\.shipments\[0\]\.carrier is not a field of a scripted parcel/,
    );
  });
});
