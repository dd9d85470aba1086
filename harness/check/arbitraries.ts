import fc from 'fast-check';
import type { FaultSpec, LinkSelector } from '../core/faults.ts';
import { DEFAULT_BUDGET } from '../scenario/scenario.ts';
import type { ArrivalModel, Scenario } from '../scenario/scenario.ts';
import { CATALOGUE } from '../world/catalogue.ts';
import type { CheckCase, OrderMix } from './case.ts';
import { SYSTEM_FAULT_EARLIEST_MS } from './earliest.ts';
import { aimedFaultArbitrary, cutOffSource, FACT_SOURCES, faultKindOf, strikesMessagesOf } from './aim.ts';
import type { AimTarget, FactSource } from './aim.ts';
import { FORGERIES, SIGNED_LINKS } from './forgeries.ts';
import { keptFaults, startAt } from './kept-faults.ts';
import { DESIGN_RETRY_GAP_MS, middlewareDown, ODOO_DOWN_SHARE, odooDown, withinLimit, withinOdooBudget } from './downtimes.ts';
import { captureLongestBackoffMs, capturePatienceMs, senderTimeouts } from './sender-patience.ts';

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
/**
 * Whose clock a generated skew moves: the middleware's own, and the senders whose
 * timestamps it reads (signatures, events). Odoo's would change the dates
 * Odoo writes, which is Odoo's affair; the storefront's only its own ledger.
 */
const SKEWED_SYSTEMS = ['middleware', 'logistics', 'payment'] as const;
/** The furthest a generated skew moves a clock: a time-zone mistake, or an NTP step after a long suspend. */
const MAX_SKEW_MS = 2 * 3_600_000;
/** Faults that cut a system off: kept short enough that retries and reconciliation can heal them. */
const MAX_CUT_MS = 5 * 60_000;

export interface CaseShape {
  /** Most orders a case may place (default: the scenario's count). */
  maxOrders: number;
  /** Keep the scenario's own faults in every case (shrinking may still drop them). Default true. */
  keepFaults?: boolean;
  /** Most faults generated on top of the scenario's (default 3). */
  maxExtraFaults?: number;
  /** Kinds of fault the generator may add (default: every kind in `faultChoices`). */
  faultKinds?: readonly string[];
  /**
   * How far into the run generated faults may be placed (default: the load's
   * span). The last steps of an order (delivery, invoice, payment) come long
   * after the last order is placed; faults must reach them too.
   */
  horizonMs?: number;
  /** One fault aimed at one operation of the run (`aim.ts`), placed in front of the generated ones. */
  aim?: AimTarget;
  /** Swarm testing: each case allows a random subset of the fault kinds (default true). */
  swarm?: boolean;
  /** Some cases model Odoo's workers, so its calls overlap (default true). */
  odooWorkers?: boolean;
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

/** One generated kind of fault, and how often the generator picks it. */
export interface FaultChoice {
  kind: FaultSpec['kind'];
  arbitrary: fc.Arbitrary<FaultSpec>;
  weight: number;
}

/**
 * Every kind of fault the generator places: Toxiproxy's network faults, the
 * HTTP and message faults on the links, and crash, outage and serialization
 * failures and clock steps on systems (bandwidth is not generated).
 *
 * Faults that keep an order submission from arriving at all (drop, timeout,
 * reset, error, link down) stay off the capture link, and a middleware crash
 * stays shorter than `patienceMs`: an order the storefront gives up on never
 * reaches any middleware, so such a failure would say nothing about the
 * design under test. Webhook senders retry and the middleware can reconcile,
 * so their links get every fault. Delays and reorderings stay within
 * `holdMaxMs`, below the scenario's convergence bound.
 */
export function faultChoices(spanMs: number, patienceMs = Number.POSITIVE_INFINITY, holdMaxMs = 3_600_000, maxWindowMs = spanMs): FaultChoice[] {
  const anyLink = fc.constantFrom(...CHECK_LINKS).map((l) => ({ ...l }));
  const link = fc.constantFrom(...CHECK_LINKS.slice(1)).map((l) => ({ ...l }));
  const inbound = fc.constantFrom(...INBOUND_LINKS).map((l) => ({ ...l }));
  const crashMaxMs = Math.min(120_000, patienceMs - 100);
  const window = windowArbitrary(spanMs, maxWindowMs);
  const cut = windowArbitrary(spanMs, MAX_CUT_MS);
  const systemCut = windowArbitrary(spanMs, MAX_CUT_MS, SYSTEM_FAULT_EARLIEST_MS);
  const choice = (kind: FaultSpec['kind'], arbitrary: fc.Arbitrary<FaultSpec>, weight = 4): FaultChoice => ({ kind, arbitrary, weight });
  return [
    choice(
      'duplicate',
      fc.record({
        link: inbound,
        kind: fc.constant('duplicate' as const),
        probability: percent(100),
        copies: fc.integer({ min: 1, max: 3 }),
        gapMs: fc.integer({ min: 0, max: 5_000 }),
        schedule: window,
      }),
    ),
    choice('response-lost', fc.record({ link: anyLink, kind: fc.constant('response-lost' as const), probability: percent(50), schedule: window })),
    choice('drop', fc.record({ link, kind: fc.constant('drop' as const), probability: percent(50), schedule: window })),
    choice('timeout', fc.record({ link, kind: fc.constant('timeout' as const), probability: percent(50), schedule: window })),
    choice('reset', fc.record({ link, kind: fc.constant('reset' as const), probability: percent(50), schedule: window })),
    choice(
      'http-error',
      fc.record({ link, kind: fc.constant('http-error' as const), status: fc.constantFrom(...HTTP_ERRORS), probability: percent(50), schedule: window }),
    ),
    choice(
      'latency',
      fc.record({
        link: anyLink,
        kind: fc.constant('latency' as const),
        meanMs: fc.integer({ min: 10, max: 20_000 }),
        jitterMs: fc.integer({ min: 0, max: 5_000 }),
        schedule: window,
      }),
    ),
    choice('delay', fc.record({ link: anyLink, kind: fc.constant('delay' as const), ms: fc.integer({ min: 10, max: holdMaxMs }), schedule: window })),
    choice('reorder', fc.record({ link: anyLink, kind: fc.constant('reorder' as const), windowMs: fc.integer({ min: 10, max: holdMaxMs }), schedule: window })),
    choice('link-down', fc.record({ link, kind: fc.constant('link-down' as const), schedule: cut })),
    choice(
      'forge',
      fc.constantFrom(...SIGNED_LINKS).chain((l) =>
        fc.record({
          link: fc.constant({ ...l }),
          kind: fc.constant('forge' as const),
          set: fc.constantFrom(...FORGERIES[l.path]!).map((set) => structuredClone(set)),
          probability: percent(50),
          schedule: window,
        }),
      ),
      2,
    ),
    choice(
      'outage',
      fc.record({
        system: fc.constantFrom('odoo', 'payment', 'logistics'),
        kind: fc.constant('outage' as const),
        status: fc.constant(503),
        schedule: systemCut,
      }),
      3,
    ),
    choice(
      'crash',
      fc
        .record({
          restartAfterMs: fc.integer({ min: Math.min(1000, crashMaxMs), max: crashMaxMs }),
          fromMs: fc.integer({ min: SYSTEM_FAULT_EARLIEST_MS, max: Math.max(SYSTEM_FAULT_EARLIEST_MS, spanMs) }),
        })
        .map(({ restartAfterMs, fromMs }) => ({
          system: 'middleware',
          kind: 'crash' as const,
          restartAfterMs,
          schedule: { kind: 'window' as const, fromMs, toMs: fromMs + restartAfterMs },
        })),
      crashMaxMs >= 100 ? 3 : 0,
    ),
    choice(
      'clock-skew',
      fc.record({
        system: fc.constantFrom(...SKEWED_SYSTEMS),
        kind: fc.constant('clock-skew' as const),
        offsetMs: fc.oneof(fc.integer({ min: 1_000, max: MAX_SKEW_MS }), fc.integer({ min: -MAX_SKEW_MS, max: -1_000 })),
        schedule: windowArbitrary(spanMs, Math.max(maxWindowMs, MAX_SKEW_MS), SYSTEM_FAULT_EARLIEST_MS),
      }),
      2,
    ),
    choice(
      'serialization-failure',
      fc.record({
        system: fc.constant('odoo'),
        kind: fc.constant('serialization-failure' as const),
        probability: percent(30),
        schedule: windowArbitrary(spanMs, maxWindowMs, SYSTEM_FAULT_EARLIEST_MS),
      }),
      3,
    ),
  ];
}

/** The kinds `faultChoices` can generate, for validating a user's selection. */
export const GENERATED_FAULT_KINDS: readonly FaultSpec['kind'][] = faultChoices(60_000).map((c) => c.kind);

/** One generated fault of the given kinds (default all); undefined when none is left to choose. */
export function faultArbitrary(
  spanMs: number,
  kinds?: readonly string[],
  patienceMs?: number,
  holdMaxMs?: number,
  maxWindowMs?: number,
): fc.Arbitrary<FaultSpec> | undefined {
  const choices = faultChoices(spanMs, patienceMs, holdMaxMs, maxWindowMs).filter((c) => c.weight > 0 && (kinds === undefined || kinds.includes(c.kind)));
  if (choices.length === 0) return undefined;
  return fc.oneof(...choices.map(({ arbitrary, weight }) => ({ arbitrary, weight })));
}

/**
 * Prices in mills: each unit's price drifts from Odoo's cents by at most half
 * a cent (plus its tax), so 4 lines of 3 units stay within the 5 cents a
 * middleware may settle as rounding (what the rounding-drift scenario uses);
 * more units would make a drift no honest design absorbs.
 */
const MILLS = { priceDigits: 3, maxQuantity: 3 } as const;
const MILLS_MAX_LINES = 4;
/** The most customers a book of returning customers holds: few enough that their orders overlap. */
const RETURNING_MAX = 5;
/** The share of a returning customer's orders typed with her email in another case, in the cases that retype. */
const RETYPED_SHARE = 0.5;

/** Whether the scenario's own book already has its customers retype their emails (the generator then leaves that alone). */
function ownBookRetypes(base: Scenario): boolean {
  const book = base.systems?.capture?.customerBook as { retyped?: unknown } | null | undefined;
  return typeof book?.retyped === 'number' && book.retyped > 0;
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
  const mix = fc.record({
    ratePerSecond: fc.constantFrom(...rateChoices(o.ratePerSecond ?? 20)),
    arrival: fc.constantFrom(baseArrival, ...ARRIVALS.filter((a) => a !== baseArrival)),
    maxLines: fc.integer({ min: 1, max: Math.max(1, o.maxLines ?? 3) }),
    skus: fc.subarray(skus, { minLength: 1 }),
  });
  const digits = base.systems?.capture?.priceDigits;
  // Shrinks toward the scenario's own pricing; a third of cases price in mills, as storefronts with unit prices like 1.005 do.
  const priced: fc.Arbitrary<Omit<OrderMix, 'count'>> =
    typeof digits === 'number' && digits >= MILLS.priceDigits
      ? mix
      : fc
          .tuple(mix, fc.oneof({ arbitrary: fc.constant(false), weight: 2 }, { arbitrary: fc.constant(true), weight: 1 }))
          .map(([m, mills]) => (mills ? { ...m, maxLines: Math.min(m.maxLines, MILLS_MAX_LINES), pricing: { ...MILLS } } : m));
  // A scenario with its own book (a CRM's accounts) keeps it: the CRM and the storefront must share their people.
  // Half of its cases have those people type their email in another case at the storefront (shrinks toward never),
  // so the CRM's sync and the orders each look for the partner the other made under another spelling.
  if (base.systems?.crm !== undefined || base.systems?.capture?.customerBook != null) {
    if (ownBookRetypes(base)) return priced;
    return fc.tuple(priced, fc.constantFrom(0, RETYPED_SHARE)).map(([m, retyped]) => (retyped > 0 ? { ...m, retypedEmails: retyped } : m));
  }
  // Shrinks toward a new customer per order; a quarter of cases draw from a book of a few, so customers return
  // while their earlier orders are still on their way (two orders of one new customer, each looking for the partner).
  // Half of those have customers who type their email in another case now and then (shrinks toward never).
  const returning = fc.record({ customers: fc.integer({ min: 1, max: RETURNING_MAX }), retyped: fc.constantFrom(0, RETYPED_SHARE) });
  return fc
    .tuple(priced, fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary: returning, weight: 1 }))
    .map(([m, book]) => (book === undefined ? m : { ...m, returningCustomers: book.customers, ...(book.retyped > 0 && { retypedEmails: book.retyped }) }));
}

/**
 * A whole case. Tuple order is shrinking order: fewer orders first (the
 * biggest win, and every later run gets cheaper), then the aimed fault
 * weaker (a fresh round of shrinking may drop it), then fewer generated
 * faults, then the scenario's own faults, then the order mix. The run seed
 * never shrinks: another seed is another world, not a smaller one.
 */
export function caseArbitrary(base: Scenario, shape: CaseShape): fc.Arbitrary<CheckCase> {
  const maxOrders = Math.max(1, shape.maxOrders);
  // Faults start anywhere up to the horizon, and last at most as long as the load: a longer storm breaks any design.
  const loadMs = loadSpanMs(base, maxOrders);
  const spanMs = Math.max(loadMs, shape.horizonMs ?? 0);
  // A message held longer than the convergence bound breaks `converges` whatever the design; a fifth of it leaves room for the rest of the flow.
  const convergenceBoundMs = base.budget?.convergenceBoundMs ?? DEFAULT_BUDGET.convergenceBoundMs;
  const holdMaxMs = Math.max(1000, Math.round(convergenceBoundMs / 5));
  const patienceMs = capturePatienceMs(base);
  // A storefront retrying across crashes closer together than its longest back-off meets one downtime.
  const storefrontBudget = { joinMs: captureLongestBackoffMs(base), limitMs: patienceMs };
  const odooBudget = { joinMs: DESIGN_RETRY_GAP_MS, limitMs: Math.round(convergenceBoundMs * ODOO_DOWN_SHARE) };
  const timeouts = senderTimeouts(base);
  const shutsOdoo = odooDown(timeouts.odoo);
  const maxExtra = shape.maxExtraFaults ?? 3;
  const kinds = faultChoices(spanMs, patienceMs, holdMaxMs)
    .filter((c) => c.weight > 0 && (shape.faultKinds === undefined || shape.faultKinds.includes(c.kind)))
    .map((c) => c.kind);
  const fault = faultArbitrary(spanMs, shape.faultKinds, patienceMs, holdMaxMs, loadMs);
  // Swarm testing: a case enables a random subset of the kinds and draws its faults from those only, so a rare
  // combination (say, only lost answers on Odoo calls) is not drowned by the other kinds in every case.
  const extra: fc.Arbitrary<FaultSpec[]> =
    fault === undefined || maxExtra === 0
      ? fc.constant([])
      : shape.swarm === false
        ? fc.array(fault, { maxLength: maxExtra })
        : fc
            .tuple(fc.subarray(kinds, { minLength: 1 }), fc.array(fault, { maxLength: maxExtra * 3 }))
            .map(([enabled, drawn]) => drawn.filter((f) => enabled.includes(f.kind)).slice(0, maxExtra));
  const crashMaxMs = Math.min(120_000, patienceMs - 100);
  const aimed =
    shape.aim === undefined || (faultKindOf(shape.aim.kind) === 'crash' && crashMaxMs < 100)
      ? fc.constant<FaultSpec[]>([])
      : aimedFaultArbitrary(shape.aim, { timeouts, crashMaxMs, holdMaxMs, convergenceBoundMs, cutOff: quietSources(base) });
  return fc
    .tuple(
      fc.integer({ min: 1, max: maxOrders }),
      aimed,
      extra,
      shape.keepFaults === false ? fc.constant<FaultSpec[]>([]) : keptFaults(base.faults ?? []),
      orderMixArbitrary(base),
      fc.noShrink(fc.integer({ min: 1, max: 0x7fffffff })),
      odooWorkersArbitrary(base, shape),
    )
    .map(([count, drawnAim, generated, kept, mix, seed, workers]) => {
      const aim = strikingInFewOrders(drawnAim, count);
      const source = cutOffSource(aim);
      const fixed = [...kept, ...withinOdooBudget(kept, aim, shutsOdoo, odooBudget)];
      // A crash loop's lives are shorter than a reconciliation pass's interval, so webhooks are how news arrives:
      // no clock step that would have them refused.
      const loop = shape.aim?.kind === 'crash-loop' && aim.length > 0;
      const candidates = generated.filter((f) => !(source !== undefined && strikesMessagesOf(f, source)) && !(loop && f.kind === 'clock-skew'));
      const more = withinLimit(fixed, withinLimit(fixed, candidates, middlewareDown, storefrontBudget), shutsOdoo, odooBudget);
      const systems = withOdooWorkers(shape.aim?.kind === 'blackout' ? senderGivesUp(aim[0]) : undefined, workers);
      return {
        base: base.name,
        overrides: { orders: { count, ...mix }, faults: [...fixed, ...more], ...(systems !== undefined && { systems }) },
        seed,
      };
    });
}

/** The most an aimed fault's share rises to in a case of few orders: the others still get through. */
const FEW_ORDERS_SHARE_CAP = 0.5;

/** How many of an operation's requests an aimed share should strike, one request an order. */
const AIMED_STRIKES = 3;

/**
 * An aimed fault strikes a share of its operation's requests, and in a case of
 * few orders a share of a tenth often strikes none (a 0.11 share of 11 parcel
 * bookings struck none in a case that would have booked one twice): the case
 * runs and tells nothing, and an aim's first visit finds a defect only by
 * luck. The share rises to about three orders' worth (at most half), so a
 * small case strikes as surely as a large one, and a case shrunk to fewer
 * orders keeps striking.
 */
function strikingInFewOrders(aim: FaultSpec[], count: number): FaultSpec[] {
  const floor = Math.min(FEW_ORDERS_SHARE_CAP, Math.round((100 * AIMED_STRIKES) / count) / 100);
  return aim.map((fault) =>
    'probability' in fault && fault.probability !== undefined && fault.probability < floor ? { ...fault, probability: floor } : fault,
  );
}

/**
 * The fact sources whose messages the scenario itself neither loses, holds
 * nor alters (no fault of its own on them, no webhook settings): the ones a
 * restart-cut-off may put out of service.
 */
function quietSources(base: Scenario): FactSource[] {
  const settings = (base.systems ?? {}) as Record<string, { webhooks?: unknown } | undefined>;
  return FACT_SOURCES.filter((s) => settings[s]?.webhooks === undefined && !(base.faults ?? []).some((f) => strikesMessagesOf(f, s)));
}

/**
 * Three cases in four model a real Odoo's few workers (the emulator's
 * capacity model), as every real server has them: calls then take time and
 * overlap, and races only concurrent calls have show up, such as two invoices
 * created at once both taking the year's first number (docs/real-odoo.md).
 * The rest answer at once, the emulator's default, so a failure that needs no
 * workers shrinks to a case without them. A base that sets the model itself
 * keeps its own.
 */
function odooWorkersArbitrary(base: Scenario, shape: CaseShape): fc.Arbitrary<boolean> {
  const own = base.systems?.odoo as { capacity?: unknown } | undefined;
  if (shape.odooWorkers === false || own?.capacity !== undefined) return fc.constant(false);
  return fc.integer({ min: 0, max: 3 }).map((draw) => draw > 0);
}

function withOdooWorkers(systems: CheckCase['overrides']['systems'], workers: boolean): CheckCase['overrides']['systems'] {
  return workers ? { ...systems, odoo: { capacity: true } } : systems;
}

/**
 * A blackout is a loss only if the sender stops retrying before it ends: the
 * gateway and the 3PL retry for days by default, so a sender whose webhooks
 * are blacked out here gives up after half the blackout (as senders that
 * retry a few times do), and only a middleware that asks it (reconciliation)
 * learns what it said. Derived from the fault, so it shrinks with it.
 */
function senderGivesUp(fault: FaultSpec | undefined): CheckCase['overrides']['systems'] {
  if (fault === undefined || !('link' in fault) || fault.link.from === undefined || fault.schedule?.kind !== 'window') return undefined;
  const horizonMs = Math.max(1_000, Math.floor((fault.schedule.toMs - fault.schedule.fromMs) / 2));
  return { [fault.link.from]: { retry: { horizonMs } } };
}

/**
 * A known case as the start of a fresh round of shrinking: fast-check's
 * shrinkers remember what they tried, so a change late in one round (a fault
 * gone, a window earlier) can leave fewer orders untried. Here every fault,
 * generated or declared, shrinks like a declared one; the mix and seed stay.
 */
export function shrinkAgainArbitrary(checkCase: CheckCase): fc.Arbitrary<CheckCase> {
  const { count, ...mix } = checkCase.overrides.orders;
  return fc.tuple(startAt(count, fc.integer({ min: 1, max: count })), keptFaults(checkCase.overrides.faults)).map(([shrunkCount, faults]) => ({
    base: checkCase.base,
    overrides: {
      orders: { count: shrunkCount, ...structuredClone(mix) },
      faults,
      ...(checkCase.overrides.systems !== undefined && { systems: structuredClone(checkCase.overrides.systems) }),
    },
    seed: checkCase.seed,
  }));
}
