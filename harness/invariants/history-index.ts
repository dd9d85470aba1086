import { eventsOfKind } from '../core/history.ts';
import type { DomainEvent, HistoryEvent, HistoryEvents, OdooCallEvent } from '../core/history.ts';
import { isOdooWrite } from '../core/odoo-reads.ts';

/** What the history says about one capture order, gathered in one pass. */
export interface OrderTrail {
  ref: string;
  /** The capture platform's first `order.placed`. */
  placed: DomainEvent | undefined;
  /** The capture platform's first `order.acknowledged`. */
  acknowledged: DomainEvent | undefined;
  /** The middleware's `shipment.state` events, in history order. */
  shipmentStates: DomainEvent[];
  /** The 3PL's `shipment.status` events: what really happened to the parcels, in order. */
  shipmentStatuses: DomainEvent[];
  /** The gateway's `payment.captured` and `payment.refunded` events, in history order. */
  gatewayPayments: DomainEvent[];
  /** The middleware's `payment.recorded` events, in history order. */
  paymentsRecorded: DomainEvent[];
  /** The middleware's `invoice.posted` events, in history order. */
  invoicesPosted: DomainEvent[];
  /** Odoo calls carrying this order's correlation id that can change data, any outcome. */
  odooWrites: OdooCallEvent[];
  /** Every domain event and Odoo write about the order, in history order: the lists above, merged. */
  timeline: (DomainEvent | OdooCallEvent)[];
  /** The last event that changed some system's view of the order: a domain event or a successful Odoo write. */
  lastChange: HistoryEvent | undefined;
}

/** Per-order and per-record views of a history, built once and shared by every invariant. */
export interface HistoryIndex {
  readonly eventCount: number;
  readonly orders: ReadonlyMap<string, OrderTrail>;
  /** Every Odoo call that can change data, any outcome, in history order. */
  readonly odooWrites: readonly OdooCallEvent[];
  /** Every Odoo call that failed, reads too, in history order. */
  readonly failedOdooCalls: readonly OdooCallEvent[];
  /** The `deadletter` and `deadletter.revived` events about an order (with a correlation id), in history order. */
  readonly deadLetterEvents: readonly DomainEvent[];
  /** Odoo calls on `model` that named record `id` and may have changed it (outcome ok or unknown), in order. */
  writesOn(model: string, id: number): readonly OdooCallEvent[];
}

const NO_CALLS: readonly OdooCallEvent[] = [];

export function buildHistoryIndex(history: HistoryEvents): HistoryIndex {
  const orders = new Map<string, OrderTrail>();
  const odooWrites: OdooCallEvent[] = [];
  const failedOdooCalls: OdooCallEvent[] = [];
  const deadLetterEvents: DomainEvent[] = [];
  const byRecord = new Map<string, Map<number, OdooCallEvent[]>>();

  const trailOf = (ref: string): OrderTrail => {
    let trail = orders.get(ref);
    if (trail === undefined) {
      trail = {
        ref,
        placed: undefined,
        acknowledged: undefined,
        shipmentStates: [],
        shipmentStatuses: [],
        gatewayPayments: [],
        paymentsRecorded: [],
        invoicesPosted: [],
        odooWrites: [],
        timeline: [],
        lastChange: undefined,
      };
      orders.set(ref, trail);
    }
    return trail;
  };

  for (const event of eventsOfKind(history, ['event', 'odoo'])) {
    if (event.kind === 'event') {
      if (event.corr === undefined) continue;
      const trail = trailOf(event.corr);
      trail.lastChange = event;
      trail.timeline.push(event);
      switch (event.name) {
        case 'order.placed':
          trail.placed ??= event;
          break;
        case 'order.acknowledged':
          trail.acknowledged ??= event;
          break;
        case 'shipment.state':
          trail.shipmentStates.push(event);
          break;
        case 'shipment.status':
          trail.shipmentStatuses.push(event);
          break;
        case 'payment.captured':
        case 'payment.refunded':
          trail.gatewayPayments.push(event);
          break;
        case 'payment.recorded':
          trail.paymentsRecorded.push(event);
          break;
        case 'invoice.posted':
          trail.invoicesPosted.push(event);
          break;
        case 'deadletter':
        case 'deadletter.revived':
          deadLetterEvents.push(event);
          break;
      }
    } else if (event.kind === 'odoo') {
      if (event.outcome === 'fail') failedOdooCalls.push(event);
      if (!isOdooWrite(event)) continue;
      odooWrites.push(event);
      if (event.corr !== undefined) {
        const trail = trailOf(event.corr);
        trail.odooWrites.push(event);
        trail.timeline.push(event);
        if (event.outcome === 'ok') trail.lastChange = event;
      }
      const ids = event.ids;
      if (ids === undefined || event.outcome === 'fail') continue;
      let records = byRecord.get(event.model);
      if (records === undefined) byRecord.set(event.model, (records = new Map()));
      for (let j = 0; j < ids.length; j++) {
        const id = ids[j]!;
        const calls = records.get(id);
        if (calls === undefined) records.set(id, [event]);
        else calls.push(event);
      }
    }
  }

  return {
    eventCount: history.length,
    orders,
    odooWrites,
    failedOdooCalls,
    deadLetterEvents,
    writesOn: (model, id) => byRecord.get(model)?.get(id) ?? NO_CALLS,
  };
}
