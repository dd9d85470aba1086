import type { DomainEvent } from '../core/history.ts';
import { formatOdooDatetime } from '../core/clock.ts';
import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { indexOdooSnapshot } from './odoo-index.ts';
import type { Invariant } from './types.ts';

const NAME = 'shipment-state-never-regresses';

/** A parcel's life, in the only order it can happen. `exception` and `returned` sit outside it. */
export const SHIPMENT_LIFECYCLE = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'] as const;
const RANK = new Map<string, number>(SHIPMENT_LIFECYCLE.map((status, i) => [status, i]));

/** Calls that would take a done picking back; real Odoo refuses them, an emulator or a patch might not. */
const BACKWARD_PICKING_METHODS = new Set(['action_cancel', 'action_back_to_draft', 'do_unreserve', 'unlink', 'button_draft']);

export const shipmentStateNeverRegresses: Invariant = {
  name: NAME,
  description:
    "The middleware's view of each shipment only moves forward (picked < packed < shipped < in_transit < out_for_delivery < delivered), and a done picking in Odoo never goes back.",
  check(input, history) {
    const log = new ViolationLog();
    let shipments = 0;

    for (const trail of history.orders.values()) {
      if (trail.shipmentStates.length === 0) continue;
      // An order may ship in several parcels; each has its own lifecycle when the middleware names it.
      const parcels = new Map<string, { furthest: DomainEvent; regressions: number; first?: [DomainEvent, DomainEvent] }>();
      for (const event of trail.shipmentStates) {
        const rank = rankOf(event);
        if (rank === undefined) continue;
        const shipment = shipmentOf(event);
        const parcel = parcels.get(shipment);
        if (parcel === undefined) parcels.set(shipment, { furthest: event, regressions: 0 });
        else if (rank < rankOf(parcel.furthest)!) {
          parcel.regressions++;
          parcel.first ??= [parcel.furthest, event];
        } else parcel.furthest = event;
      }
      shipments += parcels.size;
      // One violation per parcel: a middleware that flips on every duplicate webhook regresses hundreds of times, and the parcel is what to look at.
      for (const [shipment, parcel] of parcels) {
        if (parcel.first === undefined) continue;
        const [before, after] = parcel.first;
        log.add({
          orderRef: trail.ref,
          message:
            `the middleware moved ${shipment === '' ? 'the shipment' : `shipment ${shipment}`} from ${statusOf(before)} back to ${statusOf(after)}` +
            (parcel.regressions > 1 ? `, and back ${parcel.regressions - 1} more time${parcel.regressions === 2 ? '' : 's'}` : ''),
          events: [before.seq, after.seq],
        });
      }
    }

    const regressedShipments = log.count;
    let pickings = 0;
    if (input.odoo !== undefined) {
      const odoo = indexOdooSnapshot(input.odoo);
      for (const picking of input.odoo.pickings) {
        if (picking.doneAt === null) continue;
        pickings++;
        const doneAt = picking.doneAt;
        const backward = history
          .writesOn('stock.picking', picking.id)
          .filter((e) => e.outcome === 'ok' && e.t >= doneAt && BACKWARD_PICKING_METHODS.has(e.method));
        if (picking.state === 'done' && backward.length === 0) continue;
        const order = picking.saleId === null ? undefined : odoo.orderById.get(picking.saleId);
        log.add({
          orderRef: order?.clientOrderRef ?? undefined,
          message:
            picking.state === 'done'
              ? `picking ${picking.name} was done at ${formatOdooDatetime(doneAt)}, then ${backward.map((e) => e.method).join(', ')} succeeded on it`
              : `picking ${picking.name} was done at ${formatOdooDatetime(doneAt)} but is now ${picking.state}`,
          events: backward.map((e) => e.seq),
          records: [{ model: 'stock.picking', id: picking.id }],
        });
      }
    }

    if (log.count === 0 && shipments === 0 && input.odoo === undefined)
      return unknownVerdict(NAME, 'no shipment.state events from the middleware and Odoo was not read, so no shipment could be followed');
    return log.verdict(NAME, {
      pass: `${plural(shipments, 'shipment')} in the middleware and ${plural(pickings, 'done picking')} in Odoo only moved forward`,
      fail: `${regressedShipments} of ${plural(shipments, 'shipment')} went back in the middleware's view; ${log.count - regressedShipments} of ${plural(pickings, 'done picking')} went back in Odoo`,
    });
  },
};

function rankOf(event: DomainEvent): number | undefined {
  const status = statusOf(event);
  return status === undefined ? undefined : RANK.get(status);
}

function statusOf(event: DomainEvent): string | undefined {
  const status = event.data?.['status'];
  return typeof status === 'string' ? status : undefined;
}

function shipmentOf(event: DomainEvent): string {
  const id = event.data?.['shipmentId'];
  return typeof id === 'string' ? id : '';
}
