/**
 * The 3PL's webhook to a middleware (simulators/CONTRACTS.md, "3PL
 * (logistics)"), with the validator a receiver checks it with. The 3PL
 * (simulators/logistics) sends it; the middlewares parse it.
 */
import { type Parsed, fail, isNum, isObj, isText } from './parsed.ts';

/** What a webhook may announce, in the order a parcel that is not returned goes through them. */
export const SHIPMENT_STATUSES = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered', 'exception', 'returned'] as const;
export type ShipmentStatus = (typeof SHIPMENT_STATUSES)[number];

/**
 * A shipment's state as the 3PL's API and ledger show it: also `created`
 * before its first event and `cancelled` after a cancel through the API,
 * neither of which is ever a webhook.
 */
export type ShipmentState = 'created' | ShipmentStatus | 'cancelled';

/** What a parcel holds, in `POST /shipments` and on a `shipped`/`delivered` webhook. */
export interface ShipmentLine {
  sku: string;
  quantity: number;
}

/** The body of `POST /webhooks/logistics`, as the 3PL sends it and a receiver parses it. */
export interface LogisticsEvent {
  id: string;
  shipmentId: string;
  orderRef: string;
  seq: number;
  status: ShipmentStatus;
  occurredAt: string;
  lines?: ShipmentLine[];
}

export function parseLogisticsEvent(body: unknown): Parsed<LogisticsEvent> {
  if (!isObj(body) || !isText(body.id)) return fail('logistics event must be a JSON object with an id such as "evt_…"');
  if (!isText(body.shipmentId) || !isText(body.orderRef)) return fail(`logistics event ${body.id}: shipmentId and orderRef are required`);
  if (!(SHIPMENT_STATUSES as readonly unknown[]).includes(body.status))
    return fail(`logistics event ${body.id}: status must be one of ${SHIPMENT_STATUSES.join(', ')}`);
  if (!isNum(body.seq)) return fail(`logistics event ${body.id}: seq must be a number`);
  const event: LogisticsEvent = {
    id: body.id,
    shipmentId: body.shipmentId,
    orderRef: body.orderRef,
    seq: body.seq,
    status: body.status as ShipmentStatus,
    occurredAt: typeof body.occurredAt === 'string' ? body.occurredAt : '',
  };
  if (Array.isArray(body.lines)) event.lines = body.lines.filter(isObj).map((l) => ({ sku: String(l.sku), quantity: Number(l.quantity) }));
  return { ok: true, value: event };
}
