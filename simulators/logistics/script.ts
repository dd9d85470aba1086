/**
 * A 3PL's parcels as its status feed recorded them: per parcel of an order,
 * each status with when it happened and each time its webhook reached the
 * middleware. A scripted parcel moves through exactly those statuses at those
 * times instead of the drawn step delays, and its webhooks arrive as recorded
 * (late, twice, out of order) instead of by the drawn webhook behaviour.
 */
import { KnobError, isPlainObject } from '../shared/knobs.ts';
import { type RecordedDeliveries, isScriptTime, readDeliveries } from '../shared/replay-script.ts';
import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../harness/contracts/logistics.ts';

export interface ScriptedShipmentEvent extends RecordedDeliveries {
  status: ShipmentStatus;
  /** When it happened, in ms after the run starts. */
  atMs: number;
}

export interface ScriptedShipment {
  orderRef: string;
  /** The rest of the order, split off the parcel before it for the same booking (a partial shipment). */
  backorder?: boolean;
  /** In the order they happened (the feed's sequence). */
  events: readonly ScriptedShipmentEvent[];
}

const SHIPMENT_KEYS = ['orderRef', 'backorder', 'events'];
const EVENT_KEYS = ['status', 'atMs', 'deliveredAtMs', 'retriedAtMs'];

function unknownKey(where: string, value: Record<string, unknown>, allowed: readonly string[], what: string): void {
  const key = Object.keys(value).find((k) => !allowed.includes(k));
  if (key !== undefined) throw new KnobError(`${where}.${key} is not a field of a scripted ${what}; allowed fields: ${allowed.join(', ')}`);
}

function readEvent(where: string, value: unknown, previousAt: number): ScriptedShipmentEvent {
  if (!isPlainObject(value)) throw new KnobError(`${where} must be { status, atMs, deliveredAtMs: [...] }; got ${JSON.stringify(value)}`);
  unknownKey(where, value, EVENT_KEYS, 'shipment event');
  if (!(SHIPMENT_STATUSES as readonly unknown[]).includes(value.status))
    throw new KnobError(`${where}.status must be one of ${SHIPMENT_STATUSES.join(', ')}; got ${JSON.stringify(value.status)}`);
  if (!isScriptTime(value.atMs))
    throw new KnobError(`${where}.atMs must be the ms after the run's start when the status happened, 0 or more; got ${JSON.stringify(value.atMs)}`);
  if (value.atMs < previousAt)
    throw new KnobError(
      `${where}.atMs (${value.atMs}) is before the previous status (${previousAt}): list a parcel's statuses in the order they happened (their sequence)`,
    );
  return { status: value.status as ShipmentStatus, atMs: value.atMs, ...readDeliveries(where, value, value.atMs) };
}

export function readShipmentScript(where: string, value: unknown): ScriptedShipment[] {
  if (!Array.isArray(value)) throw new KnobError(`${where} must be a list of parcels { orderRef, backorder?, events: [...] }; got ${JSON.stringify(value)}`);
  // Per order, whether its latest booked parcel already has its backorder: the simulated 3PL splits in two.
  const split = new Map<string, boolean>();
  return value.map((shipment, i): ScriptedShipment => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(shipment)) throw new KnobError(`${at} must be a parcel { orderRef, backorder?, events: [...] }; got ${JSON.stringify(shipment)}`);
    unknownKey(at, shipment, SHIPMENT_KEYS, 'parcel');
    if (typeof shipment.orderRef !== 'string' || shipment.orderRef === '')
      throw new KnobError(`${at}.orderRef must be the order's reference; got ${JSON.stringify(shipment.orderRef)}`);
    if (shipment.backorder !== undefined && typeof shipment.backorder !== 'boolean')
      throw new KnobError(`${at}.backorder must be true or false; got ${JSON.stringify(shipment.backorder)}`);
    if (shipment.backorder === true) {
      const before = split.get(shipment.orderRef);
      if (before === undefined)
        throw new KnobError(
          `${at} is a backorder of ${shipment.orderRef}, but no parcel of that order comes before it in the list: put the first parcel first`,
        );
      if (before)
        throw new KnobError(`${at} is a second backorder of one ${shipment.orderRef} parcel: the simulated 3PL splits a booking into two parcels at most`);
    }
    split.set(shipment.orderRef, shipment.backorder === true);
    if (!Array.isArray(shipment.events) || shipment.events.length === 0)
      throw new KnobError(`${at}.events must be a non-empty list of { status, atMs, deliveredAtMs }; got ${JSON.stringify(shipment.events)}`);
    let previousAt = 0;
    const events = shipment.events.map((event, j) => {
      const read = readEvent(`${at}.events[${j}]`, event, previousAt);
      previousAt = read.atMs;
      return read;
    });
    return { orderRef: shipment.orderRef, ...(shipment.backorder === true && { backorder: true }), events };
  });
}

/** One booking's parcels as the 3PL ships them: the first, and the backorder split off it, if any. */
export interface ScriptedBooking {
  orderRef: string;
  parcel: ScriptedShipment;
  backorder: ScriptedShipment | undefined;
}

/** Groups a script's parcels by booking: a backorder belongs to the parcel of its order listed last before it. */
export function scriptedBookings(script: readonly ScriptedShipment[]): ScriptedBooking[] {
  const bookings: ScriptedBooking[] = [];
  const latest = new Map<string, ScriptedBooking>();
  for (const parcel of script) {
    const booking = latest.get(parcel.orderRef);
    if (parcel.backorder === true && booking !== undefined) booking.backorder = parcel;
    else {
      const made = { orderRef: parcel.orderRef, parcel, backorder: undefined };
      bookings.push(made);
      latest.set(parcel.orderRef, made);
    }
  }
  return bookings;
}
