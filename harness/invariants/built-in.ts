import { amountsAgree } from './amounts-agree.ts';
import { backsOff } from './backs-off.ts';
import { boundaries } from './boundaries.ts';
import { converges } from './converges.ts';
import { everyOrderArrives } from './every-order-arrives.ts';
import { invoiceAfterDelivery } from './invoice-after-delivery.ts';
import { moneyReconciles } from './money-reconciles.ts';
import { noDuplicateOrders } from './no-duplicate-orders.ts';
import { onePartnerPerCustomer } from './one-partner-per-customer.ts';
import { settles } from './settles.ts';
import { shipmentStateNeverRegresses } from './shipment-state-never-regresses.ts';
import { shipsOnce } from './ships-once.ts';
import { traceable } from './traceable.ts';
import { ecosystemInvariants } from './ecosystem.ts';
import type { Invariant } from './types.ts';

/** The business invariants the README lists, in its order (`one-partner-per-customer` beside the orders' own, `ships-once` beside the shipment's other rule), then `settles`: a run that never ends or leaves work behind proves nothing; last `backs-off`, what the retries cost the systems they retry against. */
export const builtInInvariants: readonly Invariant[] = [
  noDuplicateOrders,
  onePartnerPerCustomer,
  everyOrderArrives,
  invoiceAfterDelivery,
  shipmentStateNeverRegresses,
  shipsOnce,
  moneyReconciles,
  amountsAgree,
  traceable,
  boundaries,
  converges,
  settles,
  backsOff,
];

/**
 * Every invariant Faultline ships, by name: the built-ins, which a scenario
 * gets by default, and those of the systems a scenario opts into (CRM,
 * analytics sink), which it names. A name is all a replay file or a saved
 * case can carry of an invariant, so each of these must resolve from it.
 */
export const shippedInvariantsByName: ReadonlyMap<string, Invariant> = new Map([...builtInInvariants, ...ecosystemInvariants].map((i) => [i.name, i]));

/** The names a scenario may list in `invariants`. */
export const shippedInvariantNames: readonly string[] = [...shippedInvariantsByName.keys()];

/** Whether `invariant` is one Faultline ships, so that its name alone brings it back. */
export function isShipped(invariant: { name: string }): boolean {
  return shippedInvariantsByName.get(invariant.name) === invariant;
}

/**
 * A scenario's `invariants` field to the invariants to check: names pick
 * shipped invariants, objects are the scenario's own; absent means all built-ins.
 */
export function resolveInvariants(
  selection?: ReadonlyArray<string | { name: string; description: string; check: (...args: never[]) => unknown }>,
): Invariant[] {
  if (selection === undefined) return [...builtInInvariants];
  return selection.map((item) => {
    if (typeof item !== 'string') return item as unknown as Invariant;
    const invariant = shippedInvariantsByName.get(item);
    if (invariant === undefined) throw new RangeError(`unknown invariant "${item}"; known: ${shippedInvariantNames.join(', ')}`);
    return invariant;
  });
}
