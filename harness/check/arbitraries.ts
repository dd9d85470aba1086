import fc from 'fast-check';
import type { FaultSpec, LinkSelector } from '../core/faults.ts';
import type { ArrivalModel, Scenario } from '../scenario/scenario.ts';
import { CATALOGUE } from '../world/catalogue.ts';
import type { CheckCase, OrderMix } from './case.ts';
import { SYSTEM_FAULT_EARLIEST_MS } from './earliest.ts';
import { keptFaults, startAt } from './kept-faults.ts';

/** The links of the integration, as requests flow: three inbound to the middleware, three outbound. */
export const CHECK_LINKS = [
  { from: 'capture', to: 'middleware', path: '/orders' },
  { from: 'payment', to: 'middleware', path: '/webhooks/payment' },
  { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' },
  { from: 'middleware', to: 'odoo' },
  { from: 'middleware', to: 'logistics' },
  { from: 'middleware', to: 'payment' },
] as const satisfies readonly LinkSelector[];

/**
 * Senders that repeat themselves by design (a storefront retrying, webhooks at
 * least once). A network that duplicates an Odoo call is no fault a
 * middleware could defend against, so duplicates stay on these links.
 */
export const INBOUND_LINKS = CHECK_LINKS.slice(0, 3);

const ARRIVALS: readonly ArrivalModel[] = ['fixed', 'poisson', 'ramp', 'burst'];
const HTTP_ERRORS = [503, 500, 502, 504, 429] as const;
/** Faults that cut a system off: kept short enough that retries and reconciliation can heal them. */
const MAX_CUT_MS = 5 * 60_000;

export interface CaseShape {
  /** Most orders a case may place (default: the scenario's count). */
  maxOrders: number;
  /** Keep the scenario's own faults in every case (shrinking may still drop them). Default true. */
  keepFaults?: boolean;
  /** Most faults generated on top of the scenario's (default 3). */
  maxExtraFaults?: number;
}

/** How long the base scenario's load lasts, the span generated faults are placed in. */
export function loadSpanMs(base: Scenario, maxOrders: number): number {
  const rate = base.orders.ratePerSecond ?? 20;
  return Math.max(60_000, Math.round((maxOrders / rate) * 1000));
}

const percent = (max: number): fc.Arbitrary<number> => fc.integer({ min: 1, max }).map((p) => p / 100);


/** When a generated fault is on: shrinks toward the start of the run and toward a short window. */
export function windowArbitrary(spanMs: number, maxForMs: number, earliestMs = 0): fc.Arbitrary<{ kind: 'window'; fromMs: number; toMs: number }> {
  return fc
    .record({ fromMs: fc.integer({ min: earliestMs, max: Math.max(earliestMs, spanMs) }), forMs: fc.integer({ min: 1000, max: Math.max(1000, maxForMs) }) })
    .map(({ fromMs, forMs }) => ({ kind: 'window' as const, fromMs, toMs: fromMs + forMs }));
}

/** One fault on a link, from Toxiproxy's vocabulary and the HTTP and message faults. */
export function linkFaultArbitrary(spanMs: number): fc.Arbitrary<FaultSpec> {
  const link = fc.constantFrom(...CHECK_LINKS).map((l) => ({ ...l }));
  const inbound = fc.constantFrom(...INBOUND_LINKS).map((l) => ({ ...l }));
  const window = windowArbitrary(spanMs, spanMs);
  const cut = windowArbitrary(spanMs, MAX_CUT_MS);
  return fc.oneof(
    fc.record({ link: inbound, kind: fc.constant('duplicate' as const), probability: percent(100), copies: fc.integer({ min: 1, max: 3 }), gapMs: fc.integer({ min: 0, max: 5_000 }), schedule: window }),
    fc.record({ link, kind: fc.constant('response-lost' as const), probability: percent(50), schedule: window }),
    fc.record({ link, kind: fc.constant('drop' as const), probability: percent(50), schedule: window }),
    fc.record({ link, kind: fc.constant('timeout' as const), probability: percent(50), schedule: window }),
    fc.record({ link, kind: fc.constant('reset' as const), probability: percent(50), schedule: window }),
    fc.record({ link, kind: fc.constant('http-error' as const), status: fc.constantFrom(...HTTP_ERRORS), probability: percent(50), schedule: window }),
    fc.record({ link, kind: fc.constant('latency' as const), meanMs: fc.integer({ min: 10, max: 20_000 }), jitterMs: fc.integer({ min: 0, max: 5_000 }), schedule: window }),
    fc.record({ link, kind: fc.constant('delay' as const), ms: fc.integer({ min: 10, max: 3_600_000 }), schedule: window }),
    fc.record({ link, kind: fc.constant('reorder' as const), windowMs: fc.integer({ min: 10, max: 3_600_000 }), schedule: window }),
    fc.record({ link, kind: fc.constant('link-down' as const), schedule: cut }),
  );
}

/** One fault on a whole system: crash and restart, outage, Odoo's serialization failures. */
export function systemFaultArbitrary(spanMs: number): fc.Arbitrary<FaultSpec> {
  const cut = windowArbitrary(spanMs, MAX_CUT_MS, SYSTEM_FAULT_EARLIEST_MS);
  return fc.oneof(
    fc.record({ system: fc.constantFrom('odoo', 'payment', 'logistics'), kind: fc.constant('outage' as const), status: fc.constant(503), schedule: cut }),
    fc
      .record({ kind: fc.constant('crash' as const), restartAfterMs: fc.integer({ min: 1000, max: 120_000 }), fromMs: fc.integer({ min: SYSTEM_FAULT_EARLIEST_MS, max: spanMs }) })
      .map(({ kind, restartAfterMs, fromMs }) => ({ system: 'middleware', kind, restartAfterMs, schedule: { kind: 'window' as const, fromMs, toMs: fromMs + restartAfterMs } })),
    fc.record({ system: fc.constant('odoo'), kind: fc.constant('serialization-failure' as const), probability: percent(30), schedule: windowArbitrary(spanMs, spanMs, SYSTEM_FAULT_EARLIEST_MS) }),
  );
}

export function faultArbitrary(spanMs: number): fc.Arbitrary<FaultSpec> {
  return fc.oneof({ arbitrary: linkFaultArbitrary(spanMs), weight: 4 }, { arbitrary: systemFaultArbitrary(spanMs), weight: 1 });
}

/** Rates around the scenario's own, the scenario's first so shrinking returns to it. */
function rateChoices(base: number): number[] {
  return [...new Set([base, base * 4, base / 4].map((r) => Math.round(r * 1000) / 1000).filter((r) => r > 0))];
}

/**
 * The order side of a case, apart from the count: arrival, rate, lines and
 * products, each shrinking toward the base scenario's choice or the simplest.
 */
export function orderMixArbitrary(base: Scenario): fc.Arbitrary<Omit<OrderMix, 'count'>> {
  const o = base.orders;
  const baseArrival = o.arrival ?? 'poisson';
  const skus = [...(o.skus ?? CATALOGUE.map((p) => p.sku))];
  return fc.record({
    ratePerSecond: fc.constantFrom(...rateChoices(o.ratePerSecond ?? 20)),
    arrival: fc.constantFrom(baseArrival, ...ARRIVALS.filter((a) => a !== baseArrival)),
    maxLines: fc.integer({ min: 1, max: Math.max(1, o.maxLines ?? 3) }),
    skus: fc.subarray(skus, { minLength: 1 }),
  });
}

/**
 * A whole case. Tuple order is shrinking order: fewer orders first (the
 * biggest win, and every later run gets cheaper), then fewer generated
 * faults, then the scenario's own faults, then the order mix. The run seed
 * never shrinks: another seed is another world, not a smaller one.
 */
export function caseArbitrary(base: Scenario, shape: CaseShape): fc.Arbitrary<CheckCase> {
  const maxOrders = Math.max(1, shape.maxOrders);
  const spanMs = loadSpanMs(base, maxOrders);
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxOrders }),
      fc.array(faultArbitrary(spanMs), { maxLength: shape.maxExtraFaults ?? 3 }),
      shape.keepFaults === false ? fc.constant<FaultSpec[]>([]) : keptFaults(base.faults ?? []),
      orderMixArbitrary(base),
      fc.noShrink(fc.integer({ min: 1, max: 0x7fffffff })),
    )
    .map(([count, extra, kept, mix, seed]) => ({
      base: base.name,
      overrides: { orders: { count, ...mix }, faults: [...kept, ...(extra as FaultSpec[])] },
      seed,
    }));
}

/**
 * A known case as the start of a fresh round of shrinking: fast-check's
 * shrinkers remember what they tried, so a change late in one round (a fault
 * gone, a window earlier) can leave fewer orders untried. Here every fault,
 * generated or declared, shrinks like a declared one; the mix and seed stay.
 */
export function shrinkAgainArbitrary(checkCase: CheckCase): fc.Arbitrary<CheckCase> {
  const { count, ...mix } = checkCase.overrides.orders;
  return fc
    .tuple(startAt(count, fc.integer({ min: 1, max: count })), keptFaults(checkCase.overrides.faults))
    .map(([shrunkCount, faults]) => ({
      base: checkCase.base,
      overrides: { orders: { count: shrunkCount, ...structuredClone(mix) }, faults },
      seed: checkCase.seed,
    }));
}
