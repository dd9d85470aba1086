import { disagreementWindows, type DisagreementWindow } from './agreement-windows.ts';
import { formatDuration, plural, ViolationLog } from './evidence.ts';
import type { HistoryIndex, OrderTrail } from './history-index.ts';
import { indexOdooSnapshot, liveOrders, type OdooIndex } from './odoo-index.ts';
import { moneyByOrder, type OrderMoney } from './order-money.ts';
import type { Shipment } from '../contracts/ledgers.ts';
import type { Invariant, InvariantInput, Violation } from './types.ts';

const NAME = 'converges';

interface OrderLag {
  trail: OrderTrail;
  /** The longest window the history closed; undefined when none closed. */
  slowest: DisagreementWindow | undefined;
  ms: number;
  /** What still differs at the end of the run; non-empty means the order never converged. */
  disagreements: string[];
}

const WHAT_DIFFERED: Record<DisagreementWindow['dimension'], string> = {
  order: 'Odoo had no sale order',
  shipment: "the middleware's shipment view differed from the 3PL's",
  money: 'Odoo lacked the captured payment',
};

export const converges: Invariant = {
  name: NAME,
  description:
    "Per order, every disagreement between systems (order placed but not in Odoo, parcel moved but the middleware's view behind, money taken but not recorded) closes within the scenario's bound, and none is left open at the end.",
  check(input, history) {
    const bound = input.options.convergenceBoundMs;
    const { disagree, judged } = disagreementFinder(input, history);
    const shipments = middlewareReportsShipments(history);
    const lags: OrderLag[] = [];
    let unmeasured = 0;
    // Open windows the end state cannot settle either: without their ledger, nobody knows whether they closed.
    const undecided: string[] = [];
    for (const trail of history.orders.values()) {
      if (trail.placed === undefined) continue;
      let slowest: DisagreementWindow | undefined;
      let ms = 0;
      for (const window of disagreementWindows(trail, { shipments })) {
        if (window.closed === undefined) {
          unmeasured++;
          if (!judged.has(window.dimension)) undecided.push(`${trail.ref} (${window.dimension})`);
          continue;
        }
        const length = window.closed.t - window.opened.t;
        if (slowest === undefined || length > ms) [slowest, ms] = [window, length];
      }
      lags.push({ trail, slowest, ms, disagreements: disagree(trail) });
    }

    const late = lags.filter((lag) => lag.disagreements.length > 0 || (bound !== undefined && lag.ms > bound));
    // Never converged first, then the slowest: the examples are the orders worth looking at.
    late.sort((a, b) => b.disagreements.length - a.disagreements.length || b.ms - a.ms || (a.trail.ref < b.trail.ref ? -1 : 1));
    const log = new ViolationLog();
    for (const lag of late) log.add(violation(lag, bound));

    let slowest: OrderLag | undefined;
    for (const lag of lags) if (lag.slowest !== undefined && (slowest === undefined || lag.ms > slowest.ms)) slowest = lag;
    const notes = [
      slowest === undefined ? 'no disagreement measured' : `slowest ${slowest.trail.ref}: ${describe(slowest)}`,
      ...(unmeasured > 0 ? [`${plural(unmeasured, 'window')} with no closing event in the history, judged by the end state`] : []),
    ].join('; ');
    return log.verdict(NAME, {
      pass: `${plural(lags.length, 'order')} converged within ${formatDuration(bound ?? 0)}; ${notes}`,
      fail: `${plural(log.count, 'order')} of ${lags.length} ${bound === undefined ? 'never converged' : `not converged within ${formatDuration(bound)}`}; ${notes}`,
      unknown:
        undecided.length > 0
          ? `${plural(undecided.length, 'disagreement')} left open in the history with no ledger to settle it: ${undecided.slice(0, 5).join(', ')}`
          : bound === undefined
            ? `no convergence bound set, so only the end state was judged: ${plural(lags.length, 'order')} agree; ${notes}`
            : undefined,
    });
  },
};

function describe(lag: OrderLag): string {
  const window = lag.slowest!;
  return `${WHAT_DIFFERED[window.dimension]} for ${formatDuration(lag.ms)} (${eventName(window.opened)} → ${eventName(window.closed!)})`;
}

function eventName(event: DisagreementWindow['opened']): string {
  if (event.kind === 'event') return `${event.name}${typeof event.data?.['status'] === 'string' ? ` ${event.data['status']}` : ''}`;
  if (event.kind === 'odoo') return `${event.model}.${event.method}`;
  return event.kind;
}

function violation(lag: OrderLag, bound: number | undefined): Violation {
  const ref = lag.trail.ref;
  const window = lag.slowest;
  const events = window === undefined ? [lag.trail.placed!.seq] : [window.opened.seq, window.closed!.seq];
  if (lag.disagreements.length > 0) return { orderRef: ref, message: `never converged: ${lag.disagreements.join('; ')}`, events };
  return { orderRef: ref, message: `${describe(lag)}, over the ${formatDuration(bound!)} bound`, events };
}

function middlewareReportsShipments(history: HistoryIndex): boolean {
  // A middleware that never reports its shipment view cannot be compared with the 3PL.
  for (const trail of history.orders.values()) if (trail.shipmentStates.length > 0) return true;
  return false;
}

/**
 * What still differs between systems for an order at the end of the run,
 * judged on whatever inputs the run left: Odoo against capture, money against
 * the gateway, the middleware's shipment view against the 3PL.
 */
function disagreementFinder(
  input: InvariantInput,
  history: HistoryIndex,
): { disagree: (trail: OrderTrail) => string[]; judged: Set<DisagreementWindow['dimension']> } {
  const odoo: OdooIndex | undefined = input.odoo === undefined ? undefined : indexOdooSnapshot(input.odoo);
  const captureByRef = new Map((input.ledgers.capture?.orders ?? []).map((o) => [o.ref, o]));
  const money: Map<string, OrderMoney> | undefined =
    input.ledgers.payment !== undefined && odoo !== undefined ? moneyByOrder(input.ledgers.payment, odoo) : undefined;
  const shipmentsByRef = new Map<string, Shipment[]>();
  for (const shipment of input.ledgers.logistics?.shipments ?? []) {
    const list = shipmentsByRef.get(shipment.orderRef);
    if (list === undefined) shipmentsByRef.set(shipment.orderRef, [shipment]);
    else list.push(shipment);
  }
  const compareShipments = middlewareReportsShipments(history);
  const judged = new Set<DisagreementWindow['dimension']>();
  if (input.ledgers.capture !== undefined && odoo !== undefined) judged.add('order');
  if (money !== undefined) judged.add('money');
  if (input.ledgers.logistics !== undefined && compareShipments) judged.add('shipment');

  const disagree = (trail: OrderTrail): string[] => {
    const found: string[] = [];
    const order = captureByRef.get(trail.ref);
    if (order !== undefined && odoo !== undefined) {
      const live = liveOrders(odoo, trail.ref).length;
      if (order.acknowledged && !order.cancelled && live === 0) found.push('acknowledged but not in Odoo');
      if (order.cancelled && live > 0) found.push('cancelled at capture but live in Odoo');
    }
    const cash = money?.get(trail.ref);
    if (cash !== undefined && cash.gatewayCents !== cash.odooCents)
      found.push(`gateway ${(cash.gatewayCents / 100).toFixed(2)} vs Odoo ${(cash.odooCents / 100).toFixed(2)}`);
    if (compareShipments) {
      for (const shipment of shipmentsByRef.get(trail.ref) ?? []) {
        if (shipment.status === 'cancelled') continue;
        const seen = lastStatus(trail, shipment.shipmentId);
        if (seen !== shipment.status) found.push(`3PL says ${shipment.shipmentId} is ${shipment.status}, the middleware says ${seen ?? 'nothing'}`);
      }
    }
    return found;
  };
  return { disagree, judged };
}

function lastStatus(trail: OrderTrail, shipmentId: string): string | undefined {
  for (let i = trail.shipmentStates.length - 1; i >= 0; i--) {
    const data = trail.shipmentStates[i]!.data;
    const id = data?.['shipmentId'];
    if (id !== undefined && id !== shipmentId) continue;
    const status = data?.['status'];
    if (typeof status === 'string') return status;
  }
  return undefined;
}
