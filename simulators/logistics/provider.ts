/**
 * A third-party logistics provider: takes shipments, moves each parcel through
 * picked → packed → shipped → in_transit → out_for_delivery → delivered
 * (or exception → returned) on its own clock, and tells the middleware by
 * webhooks that may come late, twice, out of order or not at all. Each event
 * carries its true `seq` and `occurredAt`, so a careful receiver can order them.
 */
import type { LogisticsEvent, ShipmentLine, ShipmentState, ShipmentStatus } from '../../harness/contracts/logistics.ts';
import type { Cancel } from '../../harness/core/clock.ts';
import { LEDGER_PATH, type System, type SystemContext } from '../../harness/core/system.ts';
import { sampleDelay } from '../shared/behaviour.ts';
import { json } from '../../harness/core/json-response.ts';
import { BadInput, requireArray, requireObject, requireString } from '../shared/http.ts';
import { createInbound } from '../shared/inbound.ts';
import { createRouter } from '../shared/router.ts';
import { sequentialId, token } from '../shared/seeded-data.ts';
import { requireUrl } from '../shared/urls.ts';
import { type DeliveryRecord, webhookSenderFor } from '../shared/webhook-sender.ts';
import { type LogisticsKnobs, readLogisticsKnobs } from './knobs.ts';
import { canSplit, splitParcels } from './parcels.ts';
import { deliveryPlan, scriptQueue } from '../shared/replay-script.ts';
import { type ScriptedShipment, scriptedBookings } from './script.ts';

export interface TimelineEntry {
  seq: number;
  status: ShipmentStatus;
  at: string;
}

export interface ShipmentDelivery {
  eventId: string;
  seq: number;
  /** The shipment status the webhook announced. */
  shipmentStatus: ShipmentStatus;
  attempt: number;
  at: string;
  outcome: DeliveryRecord['outcome'];
  /** The HTTP status the middleware answered, null for none. */
  status: number | null;
  copy: number;
}

export interface ShipmentRecord {
  shipmentId: string;
  orderRef: string;
  trackingNumber: string;
  createdAt: string;
  /** What this parcel holds (for a split shipment, part of what was asked for). */
  lines: ShipmentLine[];
  status: ShipmentState;
  timeline: TimelineEntry[];
  deliveries: ShipmentDelivery[];
  /** The shipment this one is the backorder of, for the second parcel of a partial shipment. */
  backorderOf: string | null;
}

export interface LogisticsLedger {
  shipments: ShipmentRecord[];
}

export interface LogisticsProvider extends System {
  readonly knobs: LogisticsKnobs;
  /** The ledger as served at `GET /_faultline/ledger` (a copy). */
  ledger(): LogisticsLedger;
  pendingWebhooks(): number;
}

type LiveShipment = Omit<ShipmentRecord, 'deliveries'> & { deliveries: (Omit<ShipmentDelivery, 'at'> & { at: number })[] };

interface Parcel {
  /** Delivery times stay numbers until a ledger is asked for: fewer strings on the hot path. */
  record: LiveShipment;
  path: readonly ShipmentStatus[];
  step: number;
  timer: Cancel | null;
  /** The recorded parcel it replays, and how much later than recorded the 3PL got it (the middleware booked late). */
  script: { parcel: ScriptedShipment; latenessMs: number } | null;
}

/** The largest quantity a shipment line takes: any real parcel is far below it, and sums stay exact. */
export const MAX_QUANTITY = 1_000_000;

const HAPPY_PATH: readonly ShipmentStatus[] = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'];
const RETURN_PATH: readonly ShipmentStatus[] = ['picked', 'packed', 'shipped', 'in_transit', 'exception', 'returned'];
const CANCELLABLE: readonly ShipmentState[] = ['created', 'picked', 'packed'];

export function createLogisticsProvider(context: SystemContext): LogisticsProvider {
  const knobs = readLogisticsKnobs(context.config);
  const { clock, history } = context;
  const webhookUrl = `${requireUrl(context, 'middleware')}/webhooks/logistics`;
  const parcels = new Map<string, Parcel>();
  const byOrder = new Map<string, LiveShipment[]>();
  let shipmentCount = 0;
  let eventCount = 0;

  const nextBooking = scriptQueue(scriptedBookings(knobs.script ?? []), (b) => b.orderRef);
  let startedAt = 0;
  const stepRng = context.rng.fork('steps');
  const plannerRng = context.rng.fork('planner');
  const trackingRng = context.rng.fork('tracking');
  const inbound = createInbound({
    systemName: '3PL',
    clock,
    rng: context.rng.fork('api'),
    api: knobs.api,
    requireSignatureWith: knobs.requireSignedRequests ? knobs.webhookSecret : null,
  });
  const sender = webhookSenderFor<{ parcel: Parcel; seq: number; status: ShipmentStatus }>(context, webhookUrl, knobs, (message, record) => {
    const info = message.meta;
    info.parcel.record.deliveries.push({
      eventId: record.eventId,
      seq: info.seq,
      shipmentStatus: info.status,
      attempt: record.attempt,
      at: record.at,
      outcome: record.outcome,
      status: record.status,
      copy: record.copy,
    });
  });

  const scheduleNext = (parcel: Parcel, extraMs = 0): void => {
    const step = parcel.path[parcel.step];
    if (step === undefined) return;
    const recorded = parcel.script?.parcel.events[parcel.step];
    const delay =
      recorded !== undefined
        ? Math.max(0, startedAt + recorded.atMs + parcel.script!.latenessMs - clock.now())
        : Math.round((extraMs + sampleDelay(stepRng, knobs.steps[step])) * knobs.timeScale);
    parcel.timer = clock.setTimer(delay, () => {
      parcel.timer = null;
      happen(parcel, step);
      parcel.step++;
      scheduleNext(parcel);
    });
  };

  /** An event happens at its true time: timeline and history now, the webhook whenever the sender manages. */
  const happen = (parcel: Parcel, status: ShipmentStatus): void => {
    const record = parcel.record;
    const seq = record.timeline.length + 1;
    const occurredAt = new Date(clock.now()).toISOString();
    record.status = status;
    record.timeline.push({ seq, status, at: occurredAt });
    history.append({
      kind: 'event',
      system: context.name,
      name: 'shipment.status',
      corr: record.orderRef,
      data: { shipmentId: record.shipmentId, seq, status },
    });
    const id = sequentialId('evt_shp_', ++eventCount);
    const webhook: LogisticsEvent = { id, shipmentId: record.shipmentId, orderRef: record.orderRef, seq, status, occurredAt };
    if (status === 'shipped' || status === 'delivered') webhook.lines = record.lines;
    const recorded = parcel.script?.parcel.events[seq - 1];
    const plan = recorded === undefined ? undefined : deliveryPlan(clock.now(), startedAt, recorded.atMs, recorded);
    sender.send({ eventId: id, corr: record.orderRef, body: JSON.stringify(webhook), meta: { parcel, seq, status }, ...plan });
  };

  const open = (orderRef: string, lines: ShipmentLine[], backorderOf: string | null, startAfterMs: number, scripted?: ScriptedShipment): LiveShipment => {
    const record: LiveShipment = {
      shipmentId: sequentialId('shp_', ++shipmentCount),
      orderRef,
      trackingNumber: `FLT${token(trackingRng, 12).toUpperCase()}`,
      createdAt: new Date(clock.now()).toISOString(),
      lines,
      status: 'created',
      timeline: [],
      deliveries: [],
      backorderOf,
    };
    const path = scripted !== undefined ? scripted.events.map((e) => e.status) : plannerRng.chance(knobs.exceptionProbability) ? RETURN_PATH : HAPPY_PATH;
    // A parcel cannot move before it is booked: booked later than its first recorded status, it keeps its recorded gaps from then on.
    const script = scripted === undefined ? null : { parcel: scripted, latenessMs: Math.max(0, clock.now() - (startedAt + scripted.events[0]!.atMs)) };
    const parcel: Parcel = { record, path, step: 0, timer: null, script };
    parcels.set(record.shipmentId, parcel);
    const list = byOrder.get(orderRef);
    if (list === undefined) byOrder.set(orderRef, [record]);
    else list.push(record);
    scheduleNext(parcel, startAfterMs);
    return record;
  };

  const publicView = (r: LiveShipment) => ({
    shipmentId: r.shipmentId,
    orderRef: r.orderRef,
    trackingNumber: r.trackingNumber,
    createdAt: r.createdAt,
    lines: r.lines,
    status: r.status,
    seq: r.timeline.length,
    backorderOf: r.backorderOf,
  });

  const router = createRouter('3PL')
    .on('GET', LEDGER_PATH, () => json(200, snapshot()))
    .on('POST', '/shipments', async (request) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const { raw, body } = await inbound.readBody(request);
      const orderRef = requireString(body, 'orderRef');
      const lines = requireArray(body, 'lines').map((value, i): ShipmentLine => {
        const line = requireObject(value, `body.lines[${i}]`);
        const sku = requireString(line, 'sku', `body.lines[${i}]`);
        const quantity = line.quantity;
        // Bounded so that sums of quantities stay finite and exact.
        if (typeof quantity !== 'number' || !Number.isFinite(quantity) || quantity <= 0 || quantity > MAX_QUANTITY) {
          throw new BadInput(400, `body.lines[${i}].quantity must be a positive number up to ${MAX_QUANTITY}; got ${JSON.stringify(quantity)}`);
        }
        return { sku, quantity };
      });
      // Validated as a real 3PL would, but not kept: nothing in the simulation reads it back.
      requireObject(body.address, 'body.address');
      const response = inbound.idempotent(request, 'shipments', raw, () => {
        // A recorded booking splits as recorded: into two parcels exactly when the record has a backorder.
        const booking = knobs.script === null ? undefined : nextBooking(orderRef);
        const split = canSplit(lines) && (booking !== undefined ? booking.backorder !== undefined : plannerRng.chance(knobs.partial.probability));
        const [first, rest] = split ? splitParcels(lines, plannerRng) : [lines, []];
        const record = open(orderRef, first, null, 0, booking?.parcel);
        if (rest.length > 0)
          open(orderRef, rest, record.shipmentId, booking !== undefined ? 0 : sampleDelay(plannerRng, knobs.partial.backorderAfter), booking?.backorder);
        return { status: 201, body: { shipmentId: record.shipmentId, trackingNumber: record.trackingNumber, orderRef } };
      });
      return inbound.answer(response);
    })
    .on('GET', '/shipments', (_request, _params, url) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const orderRef = url.searchParams.get('orderRef');
      const list = orderRef === null ? [...parcels.values()].map((p) => p.record) : (byOrder.get(orderRef) ?? []);
      return inbound.answer(json(200, { shipments: list.map(publicView) }));
    })
    .on('POST', '/shipments/:shipmentId/cancel', async (request, params) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      await inbound.readRaw(request);
      const parcel = parcels.get(params.shipmentId!);
      if (parcel === undefined) throw new BadInput(404, `no shipment ${params.shipmentId}; use the shipmentId returned by POST /shipments`);
      const record = parcel.record;
      if (record.status !== 'cancelled') {
        if (!CANCELLABLE.includes(record.status)) {
          throw new BadInput(
            409,
            `shipment ${record.shipmentId} is already ${record.status} and can no longer be cancelled; wait for delivery and ask for a return`,
          );
        }
        parcel.timer?.();
        parcel.timer = null;
        record.status = 'cancelled';
      }
      return inbound.answer(json(200, { shipmentId: record.shipmentId, status: 'cancelled' }));
    });

  const snapshot = (): LogisticsLedger => ({
    shipments: [...parcels.values()].map(({ record }) => ({
      ...record,
      lines: record.lines.map((l) => ({ ...l })),
      timeline: record.timeline.map((t) => ({ ...t })),
      deliveries: record.deliveries.map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
    })),
  });

  return {
    knobs,
    handle: (request) => router.handle(request),
    start() {
      startedAt = clock.now();
    },
    stop() {
      for (const parcel of parcels.values()) {
        parcel.timer?.();
        parcel.timer = null;
      }
      sender.stop();
    },
    ledger: snapshot,
    pendingWebhooks: () => sender.pending,
  };
}
