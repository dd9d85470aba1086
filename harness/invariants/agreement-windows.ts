import type { DomainEvent, HistoryEvent } from '../core/history.ts';
import type { OrderTrail } from './history-index.ts';

export type Dimension = 'order' | 'shipment' | 'money';

/**
 * A stretch of time in which two systems disagreed about an order: opened by
 * a fact in the world (an order placed, a parcel moved, money captured) and
 * closed by the reaction that brought the other systems in line.
 */
export interface DisagreementWindow {
  dimension: Dimension;
  opened: HistoryEvent;
  /** Undefined when the history shows no reaction that closed it. */
  closed: HistoryEvent | undefined;
}

/**
 * The windows of one order. The 3PL takes days to deliver and the middleware
 * may rightly wait for an invoice before it records money, so convergence is
 * measured from each fact to its reaction, not from `order.placed` to the last
 * event of a days-long lifecycle.
 */
export function disagreementWindows(trail: OrderTrail, options: { shipments: boolean }): DisagreementWindow[] {
  const windows: DisagreementWindow[] = [];
  const order = orderWindow(trail);
  if (order !== undefined) windows.push(order);
  const money = trail.gatewayPayments.length > 0 ? new MoneyTracker(windows) : undefined;
  const shipments = options.shipments && trail.shipmentStatuses.length > 0 ? new ShipmentTracker(windows) : undefined;
  if (money === undefined && shipments === undefined) return windows;
  // One walk over the order's timeline, already in history order.
  for (const event of trail.timeline) {
    if (event.kind === 'odoo') {
      if (money === undefined || event.outcome !== 'ok') continue;
      if (event.model === 'account.move' && event.method === 'action_post') money.invoice(event);
      else if (event.model === 'account.payment' || (event.model === 'account.payment.register' && event.method === 'action_create_payments'))
        money.record(event);
      continue;
    }
    switch (event.name) {
      case 'payment.captured':
      case 'payment.refunded':
        money?.fact(event);
        break;
      case 'invoice.posted':
        money?.invoice(event);
        break;
      case 'payment.recorded':
        money?.record(event);
        break;
      case 'shipment.status':
        shipments?.update(event, 'truth');
        break;
      case 'shipment.state':
        shipments?.update(event, 'view');
        break;
    }
  }
  return windows;
}

/** From `order.placed` until Odoo holds the sale order. */
function orderWindow(trail: OrderTrail): DisagreementWindow | undefined {
  const placed = trail.placed;
  if (placed === undefined) return undefined;
  const created = trail.odooWrites.find((e) => e.outcome === 'ok' && e.model === 'sale.order' && e.method === 'create' && e.seq > placed.seq);
  // An order never acknowledged and never created is one the customer gave up on: nothing to agree on.
  if (created === undefined && trail.acknowledged === undefined) return undefined;
  return { dimension: 'order', opened: placed, closed: created };
}

/**
 * From money at the gateway until the middleware records it in Odoo, counted
 * from when Odoo has a posted invoice to put it on: a design may rightly hold
 * a payment until then.
 */
class MoneyTracker {
  readonly #windows: DisagreementWindow[];
  #invoiced = false;
  #pending: HistoryEvent | undefined;
  #open: DisagreementWindow | undefined;

  constructor(windows: DisagreementWindow[]) {
    this.#windows = windows;
  }

  fact(event: DomainEvent): void {
    this.#pending ??= event;
    this.#maybeOpen(event);
  }

  invoice(event: HistoryEvent): void {
    this.#invoiced = true;
    this.#maybeOpen(event);
  }

  record(event: HistoryEvent): void {
    if (this.#open !== undefined) this.#open.closed = event;
    this.#open = undefined;
    this.#pending = undefined;
  }

  #maybeOpen(event: HistoryEvent): void {
    if (this.#open !== undefined || this.#pending === undefined || !this.#invoiced) return;
    // Disagreement starts when both sides could agree: money taken and an invoice to put it on.
    this.#open = { dimension: 'money', opened: event, closed: undefined };
    this.#windows.push(this.#open);
  }
}

/** While the middleware's view of a parcel differs from what the 3PL says happened to it. */
class ShipmentTracker {
  readonly #windows: DisagreementWindow[];
  readonly #truth = new Map<string, string>();
  readonly #view = new Map<string, string>();
  #open: DisagreementWindow | undefined;

  constructor(windows: DisagreementWindow[]) {
    this.#windows = windows;
  }

  update(event: DomainEvent, side: 'truth' | 'view'): void {
    const status = stringField(event, 'status');
    if (status === undefined) return;
    // A middleware that does not name parcels speaks for all of the order's.
    (side === 'truth' ? this.#truth : this.#view).set(stringField(event, 'shipmentId') ?? '*', status);
    let agree = true;
    for (const [id, actual] of this.#truth) if ((this.#view.get(id) ?? this.#view.get('*')) !== actual) agree = false;
    if (!agree && this.#open === undefined) {
      this.#open = { dimension: 'shipment', opened: event, closed: undefined };
      this.#windows.push(this.#open);
    } else if (agree && this.#open !== undefined) {
      this.#open.closed = event;
      this.#open = undefined;
    }
  }
}

function stringField(event: DomainEvent, key: string): string | undefined {
  const value = event.data?.[key];
  return typeof value === 'string' ? value : undefined;
}
