import fc from 'fast-check';
import type { FaultSpec, LinkSelector } from '../core/faults.ts';
import { createRng } from '../core/rng.ts';
import { ODOO_READ_METHODS } from '../core/odoo-reads.ts';
import { FORGERIES } from './forgeries.ts';
import { SYSTEM_FAULT_EARLIEST_MS } from './earliest.ts';
import type { AimPoint } from './timeline.ts';

/**
 * What an aimed fault does to one operation: lose the answer after the
 * receiver committed, lose or refuse the request, answer with an error, slow
 * the answer to just under or just over the sender's timeout (over: the
 * receiver did the work, the sender does not know), hold a share of the
 * calls on their way past the caller's timeout (the retry overtakes the call
 * it repeats, which is still done when it lands), repeat or reorder an
 * inbound message, cut off a webhook sender until it gives up (the case
 * shortens its retries: only reconciliation can learn what it said),
 * forge a signed webhook (a tampered copy whose signature no longer matches),
 * crash the middleware right after the call went out, keep crashing it while
 * the call is held on its way (a crash loop: up for seconds, down, up again,
 * for longer than the convergence bound), or put one Odoo method
 * out of service for longer than a job's retries last (the job gives up; only
 * a design that takes up what gave up once the method is back gets there),
 * or restart the middleware while an Odoo method refuses it and a system it
 * only asks for facts (the 3PL, the gateway) is out for longer than the
 * convergence bound (a restart that takes up its pending work itself gets
 * there; one that waits for a pass which needs that system does not).
 */
export const AIM_KINDS = [
  'response-lost',
  'drop',
  'timeout',
  'reset',
  'http-error',
  'below-timeout',
  'above-timeout',
  'arrives-late',
  'duplicate',
  'reorder',
  'blackout',
  'forge',
  'crash-after',
  'crash-loop',
  'method-outage',
  'restart-cut-off',
] as const;
export type AimKind = (typeof AIM_KINDS)[number];

export interface AimTarget {
  point: AimPoint;
  kind: AimKind;
}

/** The fault kind (as `--fault-kinds` names them) an aim places. */
export function faultKindOf(kind: AimKind): FaultSpec['kind'] {
  if (kind === 'below-timeout' || kind === 'above-timeout') return 'latency';
  if (kind === 'crash-after' || kind === 'crash-loop' || kind === 'restart-cut-off') return 'crash';
  if (kind === 'blackout') return 'link-down';
  if (kind === 'arrives-late') return 'delay';
  if (kind === 'method-outage') return 'http-error';
  return kind;
}

/** How long each sender waits for an answer on a link: the edge "just below / just above" aims at. */
export interface SenderTimeouts {
  capture: number;
  webhooks: number;
  odoo: number;
  upstream: number;
}

function timeoutOf(link: LinkSelector, timeouts: SenderTimeouts): number {
  if (link.to === 'odoo') return timeouts.odoo;
  if (link.from === 'middleware') return timeouts.upstream;
  if (link.path === '/orders') return timeouts.capture;
  return timeouts.webhooks;
}

/**
 * Which aims make sense on an operation. The capture platform's order
 * submissions get no fault that stops them arriving (the storefront gives up
 * on such an order and no middleware can get it); only inbound messages are
 * repeated or reordered (senders repeat themselves, a network does not
 * duplicate an Odoo call).
 */
function kindsFor(point: AimPoint): AimKind[] {
  const inbound = point.link.to === 'middleware';
  const submission = inbound && point.link.path === '/orders';
  return AIM_KINDS.filter((kind) => {
    // A call the middleware makes can be caught on its way by a crash; only Odoo calls are told apart by method.
    if (kind === 'crash-loop' || kind === 'arrives-late') return point.link.from === 'middleware';
    if (kind === 'method-outage' || kind === 'restart-cut-off') return point.link.odoo !== undefined;
    if (kind === 'duplicate' || kind === 'reorder') return inbound;
    // Webhook senders back off for minutes and retry for a day: a long cut is survivable there, and only there.
    if (kind === 'blackout') return inbound && !submission;
    if (kind === 'forge') return point.link.path !== undefined && FORGERIES[point.link.path] !== undefined;
    if (kind === 'drop' || kind === 'timeout' || kind === 'reset' || kind === 'http-error') return !submission;
    return true;
  });
}

function isRead(point: AimPoint): boolean {
  // A lost answer to a read is a plain failed call, not work done behind the caller's back.
  if (point.link.httpMethod === 'GET') return true;
  return point.link.to === 'odoo' && ODOO_READ_METHODS.has(point.operation.split('.').pop() ?? '');
}

/**
 * The aims of a search, one per case index: round after round, every
 * operation once per round in an order shuffled by the seed, each time with
 * an aim it has not had yet — first its answer lost after the receiver
 * committed (the fault that turns retries into duplicates, at every step),
 * then, for webhooks, a blackout, then the others in a seeded order. So within the first rounds every step
 * of the integration meets a fault, and later cases go where earlier ones
 * have not been: coverage feedback, planned rather than read back from runs
 * so that case i still depends on (seed, i) alone and not on which cases
 * finished first. Reads (Odoo reads, upstream GETs) are left out: a lost read is a failed call, which
 * the aims at the writes around it already cause.
 */
/**
 * Aims every operation gets before the others, in this order: the faults a
 * middleware must recover from on its own, with no sender's retry to save it
 * — an answer lost after the work was done, a sender cut off for longer than
 * its back-off can make up for, a forged webhook no sender will take back, a
 * call still on its way when its sender died, a job that gave up, a job a
 * restart left pending while the systems a periodic pass asks were out, a
 * call done only after its own retry looked and found it not done.
 */
const FIRST_AIMS: readonly AimKind[] = ['response-lost', 'blackout', 'forge', 'crash-loop', 'method-outage', 'restart-cut-off', 'arrives-late'];

export function aimPlan(timeline: readonly AimPoint[], seed: number, faultKinds?: readonly string[]): AimTarget[] {
  const rng = createRng(seed).fork('aim-plan');
  const shuffled = <T>(items: readonly T[]): T[] => {
    const order = [...items];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  };
  const allowed = (kind: AimKind): boolean => faultKinds === undefined || faultKinds.includes(faultKindOf(kind));
  const queues = timeline
    .filter((point) => !isRead(point))
    .map((point) => {
      const kinds = kindsFor(point).filter(allowed);
      const first = FIRST_AIMS.filter((k) => kinds.includes(k));
      return { point, kinds: [...first, ...shuffled(kinds.filter((k) => !FIRST_AIMS.includes(k)))] };
    })
    .filter((q) => q.kinds.length > 0);
  const plan: AimTarget[] = [];
  for (let round = 0; queues.some((q) => q.kinds.length > round); round++) {
    for (const q of shuffled(queues)) if (q.kinds.length > round) plan.push({ point: q.point, kind: q.kinds[round]! });
  }
  return plan;
}

/** The systems the middleware only asks for facts (a reconciliation pass asks both), in shrinking order. */
export const FACT_SOURCES = ['logistics', 'payment'] as const;
export type FactSource = (typeof FACT_SOURCES)[number];

export interface AimLimits {
  timeouts: SenderTimeouts;
  /** The longest middleware crash that leaves the storefront retrying (`sender-patience.ts`). */
  crashMaxMs: number;
  /** The longest delay or reordering the scenario's convergence bound leaves room for. */
  holdMaxMs: number;
  /** The scenario's convergence bound: a blackout lasts from once to twice it, so a backed-off retry lands well past it. */
  convergenceBoundMs: number;
  /**
   * The fact sources a restart-cut-off may cut off: those whose own messages
   * the scenario leaves alone. While a source is out, its webhooks are all a
   * design can learn from it; if they are lost or held too, no design learns
   * in time, and that failure would say nothing of the design.
   */
  cutOff: readonly FactSource[];
}

/**
 * One fault aimed at one operation, over the stretch of the run in which the
 * fault-free run made that call (a case's own orders, seed and 3PL reach that
 * step at their own moments within it). A fault that strikes some requests
 * strikes a share of them (10–35 %) over the whole stretch: one lost answer at
 * the right step is all a missing defence needs, and a design with its
 * defences rides out such a share, where a storm of lost answers for a
 * quarter of an hour would break convergence in any design. A fault that
 * strikes every request (a slowed link) lasts at most `holdMaxMs`, starting
 * early in the stretch. A crash lands right after one of the instants.
 * Shrinking narrows, weakens and moves each toward the stretch's start.
 */
export function aimedFaultArbitrary(target: AimTarget, limits: AimLimits): fc.Arbitrary<FaultSpec[]> {
  if (target.kind === 'crash-loop') return crashLoopArbitrary(target.point, limits);
  if (target.kind === 'restart-cut-off') return restartCutOffArbitrary(target.point, limits);
  return oneAimedFault(target.point, target.kind, limits).map((fault) => [fault]);
}

/** A copy of the link, its Odoo selector included, so a generated fault never shares an object with the plan. */
function linkOf(point: AimPoint): LinkSelector {
  const { odoo, ...rest } = point.link;
  return odoo === undefined ? { ...rest } : { ...rest, odoo: { ...odoo } };
}

function oneAimedFault(point: AimPoint, kind: Exclude<AimKind, 'crash-loop' | 'restart-cut-off'>, limits: AimLimits): fc.Arbitrary<FaultSpec> {
  const link = linkOf(point);
  const at = fc.constantFrom(...point.times);
  const first = Math.min(...point.times);
  const last = Math.max(...point.times);
  const share = fc.integer({ min: 10, max: 35 }).map((p) => p / 100);
  const timeout = timeoutOf(point.link, limits.timeouts);
  const schedule = fc
    .record({ beforeMs: fc.integer({ min: 0, max: 2_000 }), afterMs: fc.integer({ min: 1_000, max: 30_000 }) })
    .map(({ beforeMs, afterMs }) => ({
      kind: 'window' as const,
      fromMs: Math.max(0, first - beforeMs),
      toMs: last + afterMs,
    }));
  const short = (maxForMs: number) =>
    fc
      // Skewed toward the stretch's start: a case with fewer or faster orders than the fault-free run reaches each step sooner.
      .record({
        startMs: fc.integer({ min: 0, max: 1_000 }).map((k) => first + Math.round((last - first) * (k / 1_000) ** 2)),
        forMs: fc.integer({ min: 1_000, max: Math.max(1_000, Math.min(maxForMs, limits.holdMaxMs)) }),
      })
      .map(({ startMs, forMs }) => ({ kind: 'window' as const, fromMs: startMs, toMs: startMs + forMs }));
  switch (kind) {
    case 'response-lost':
    case 'drop':
    case 'timeout':
    case 'reset':
      return fc.record({ link: fc.constant(link), kind: fc.constant(kind), probability: share, schedule });
    case 'http-error':
      return fc.record({ link: fc.constant(link), kind: fc.constant(kind), status: fc.constantFrom(503, 500, 502, 504, 429), probability: share, schedule });
    case 'below-timeout':
    case 'above-timeout': {
      // Latency splits between the way there and back: above the timeout the request still arrives in time to be done.
      const meanMs =
        kind === 'below-timeout'
          ? fc.integer({ min: Math.round(timeout * 0.8), max: Math.max(1, timeout - 50) })
          : fc.integer({ min: timeout + 10, max: Math.round(timeout * 1.3) });
      return fc.record({
        link: fc.constant(link),
        kind: fc.constant('latency' as const),
        meanMs: meanMs.map((ms) => Math.min(ms, limits.holdMaxMs)),
        schedule: short(Math.max(1_000, timeout * 3)),
      });
    }
    case 'arrives-late':
      // A share of the calls held on their way past the caller's timeout, the others through: the caller's retry, looking
      // first, finds nothing done and does it, and the held call is done as well when it lands. At least a tenth past the
      // timeout: a call that lands within the retry's first back-off (a quarter of a second and up) is seen by its look.
      return fc.record({
        link: fc.constant(link),
        kind: fc.constant('delay' as const),
        ms: fc.integer({ min: Math.round(timeout * 1.1), max: Math.round(timeout * 1.6) }).map((ms) => Math.min(ms, limits.holdMaxMs)),
        probability: share,
        schedule,
      });
    case 'duplicate':
      return fc.record({
        link: fc.constant(link),
        kind: fc.constant(kind),
        probability: share,
        copies: fc.integer({ min: 1, max: 2 }),
        gapMs: fc.integer({ min: 0, max: Math.round(timeout * 1.5) }),
        schedule,
      });
    case 'reorder':
      return fc.record({
        link: fc.constant(link),
        kind: fc.constant(kind),
        windowMs: fc.integer({ min: 1_000, max: Math.max(1_000, limits.holdMaxMs) }),
        schedule: short(limits.holdMaxMs),
      });
    case 'blackout':
      // Longer than the bound: the sender's next backed-off retry lands far past it; reconciliation asking the sender's API does not wait for it.
      return fc
        .record({
          startMs: fc.integer({ min: 0, max: 1_000 }).map((k) => first + Math.round((last - first) * (k / 1_000) ** 2)),
          forMs: fc.integer({ min: limits.convergenceBoundMs, max: 2 * limits.convergenceBoundMs }),
        })
        .map(({ startMs, forMs }) => ({ link, kind: 'link-down' as const, schedule: { kind: 'window' as const, fromMs: startMs, toMs: startMs + forMs } }));
    case 'forge':
      return fc.record({
        link: fc.constant(link),
        kind: fc.constant('forge' as const),
        set: fc.constantFrom(...(FORGERIES[link.path ?? ''] ?? [{}])).map((set) => structuredClone(set)),
        probability: share,
        schedule,
      });
    case 'method-outage':
      // Every call of the method refused (a broken module, a lock held for minutes) for 55–80 % of the convergence bound,
      // from an instant the method was called at: longer than a job's retries take to give up, short enough that a design
      // which takes the job up again once the method answers still converges within the bound.
      return fc
        .record({ at, forMs: fc.integer({ min: Math.round(limits.convergenceBoundMs * 0.55), max: Math.round(limits.convergenceBoundMs * 0.8) }) })
        .map(({ at: t, forMs }) => ({
          link,
          kind: 'http-error' as const,
          status: 503,
          schedule: { kind: 'window' as const, fromMs: Math.max(0, t - 1), toMs: t + forMs },
        }));
    case 'crash-after':
      // Right after the call left: the step boundary where work is done in one system and not yet recorded in the other.
      return fc
        .record({
          at,
          afterMs: fc.integer({ min: 0, max: 20 }),
          restartAfterMs: fc.integer({ min: Math.min(1_000, limits.crashMaxMs), max: Math.max(1, limits.crashMaxMs) }),
        })
        .map(({ at: t, afterMs, restartAfterMs }) => {
          const fromMs = Math.max(SYSTEM_FAULT_EARLIEST_MS, t + afterMs);
          return { system: 'middleware', kind: 'crash' as const, restartAfterMs, schedule: { kind: 'window' as const, fromMs, toMs: fromMs + restartAfterMs } };
        });
  }
}

/**
 * A crash loop while the operation's calls are held on their way: every call
 * of the operation over its stretch is held back for 50–90 % of the caller's
 * timeout (not given up on), the first crash comes while one of them is out,
 * and the middleware then stays up for a little longer than a held call
 * takes (at least 10 s, then 5–25 s beyond the hold) and is down again (a
 * process that dies soon after each start, as in a container's crash loop),
 * for longer than the convergence bound.
 * Each restart finds work its last incarnation left half done, and a job that
 * waits for a periodic pass to pick it up may wait through the whole loop:
 * a periodic job whose interval is longer than the uptime never runs. The
 * crashes stay within the storefront's patience, one by one.
 */
/** How much longer than a held call each life of a crash loop lasts at least: time to send it, hear it and act on the answer. */
const LIFE_BEYOND_HOLD_MS = 5_000;

function crashLoopArbitrary(point: AimPoint, limits: AimLimits): fc.Arbitrary<FaultSpec[]> {
  const link = linkOf(point);
  const timeout = timeoutOf(point.link, limits.timeouts);
  const sortedTimes = [...point.times].sort((x, y) => x - y);
  const first = sortedTimes[0]!;
  const last = sortedTimes.at(-1)!;
  return fc
    .record({
      // Skewed toward the operation's first instants: a case with fewer or slower orders than the fault-free run may have no call
      // of it out at a later one, and each crash of the loop after the first strikes only calls sent in the uptime before it.
      at: fc.integer({ min: 0, max: 1_000 }).map((k) => sortedTimes[Math.floor((sortedTimes.length - 1) * (k / 1_000) ** 2 + 0.5)]!),
      hold: fc.integer({ min: 50, max: 90 }),
      after: fc.integer({ min: 0, max: 25 }),
      restart: fc.integer({ min: 0, max: 50 }),
      // Each life lasts 10–30 s beyond what a held call takes (the floor: what shrinking tends to): a loop whose uptime outlasts a
      // periodic job's interval is only a row of separate crashes (crash-after), and one whose lives are shorter than the held
      // calls lets no call of the operation ever return, which no design survives: its failure would say nothing of the design.
      upBeyondHoldMs: fc.integer({ min: 0, max: 20_000 }),
      // In bounds of the loop's length: from the convergence bound (shrinking's end) to one and a half times it.
      longer: fc.integer({ min: 0, max: 50 }),
    })
    .map(({ at, hold, after, restart, upBeyondHoldMs, longer }): FaultSpec[] => {
      const holdMs = Math.min(limits.holdMaxMs, Math.round((timeout * hold) / 100));
      const upMs = Math.max(10_000, holdMs + LIFE_BEYOND_HOLD_MS) + upBeyondHoldMs;
      // After the call left, before it lands; back before it lands too.
      const fromMs = Math.max(SYSTEM_FAULT_EARLIEST_MS, at + Math.round((holdMs * after) / 100));
      const restartAfterMs = Math.max(Math.min(1_000, limits.crashMaxMs), Math.min(limits.crashMaxMs, Math.round((holdMs * restart) / 100)));
      const crashes = Math.max(1, Math.ceil((limits.convergenceBoundMs * (1 + longer / 100)) / (upMs + restartAfterMs)));
      const held: FaultSpec = { link, kind: 'delay', ms: holdMs, schedule: { kind: 'window', fromMs: Math.max(0, first - 2_000), toMs: last + 30_000 } };
      const loop = Array.from({ length: crashes }, (_, k): FaultSpec => {
        const startMs = fromMs + k * (upMs + restartAfterMs);
        return { system: 'middleware', kind: 'crash', restartAfterMs, schedule: { kind: 'window', fromMs: startMs, toMs: startMs + restartAfterMs } };
      });
      return [held, ...loop];
    });
}

/**
 * A restart while cut off: from an instant the Odoo method was called at, it
 * answers 503 for 5–60 s, so the jobs at that step wait on their retries; the
 * middleware crashes within that stretch (back within the storefront's
 * patience); and the 3PL or the gateway is out from then until one to one and
 * a half times the convergence bound after the restart. The orders the
 * restart found half done need only Odoo, which answers again within a
 * minute: a design that takes up its own pending work converges, and one that
 * leaves it to a periodic pass which must first hear from the missing system
 * waits out the outage. The outage stops nothing a design could do sooner (no
 * parcel moves before the 3PL hears of it, and money already captured does
 * not need the gateway to be booked) as long as the source's webhooks get
 * through: only sources in `limits.cutOff` are cut off (with none, the case
 * is the restart during the refusal alone), and the case drops its generated
 * faults on that source's messages (`cutOffSource`).
 */
function restartCutOffArbitrary(point: AimPoint, limits: AimLimits): fc.Arbitrary<FaultSpec[]> {
  const link = linkOf(point);
  const sortedTimes = [...point.times].sort((x, y) => x - y);
  return fc
    .record({
      // Skewed toward the operation's first instants, as the crash loop is: a smaller case reaches the step sooner.
      at: fc.integer({ min: 0, max: 1_000 }).map((k) => sortedTimes[Math.floor((sortedTimes.length - 1) * (k / 1_000) ** 2 + 0.5)]!),
      refusedMs: fc.integer({ min: 5_000, max: 60_000 }),
      crashAt: fc.integer({ min: 10, max: 90 }),
      restartAfterMs: fc.integer({ min: Math.min(1_000, limits.crashMaxMs), max: Math.max(1, limits.crashMaxMs) }),
      system: limits.cutOff.length === 0 ? fc.constant(undefined) : fc.constantFrom(...limits.cutOff),
      longer: fc.integer({ min: 0, max: 50 }),
    })
    .map(({ at, refusedMs, crashAt, restartAfterMs, system, longer }): FaultSpec[] => {
      const fromMs = Math.max(0, at - 1);
      const crashMs = Math.max(SYSTEM_FAULT_EARLIEST_MS, at + Math.round((refusedMs * crashAt) / 100));
      const backMs = crashMs + restartAfterMs;
      const outToMs = backMs + Math.round(limits.convergenceBoundMs * (1 + longer / 100));
      const faults: FaultSpec[] = [
        { link, kind: 'http-error', status: 503, schedule: { kind: 'window', fromMs, toMs: at + refusedMs } },
        { system: 'middleware', kind: 'crash', restartAfterMs, schedule: { kind: 'window', fromMs: crashMs, toMs: backMs } },
      ];
      if (system !== undefined)
        faults.push({ system, kind: 'outage', status: 503, schedule: { kind: 'window', fromMs: Math.max(SYSTEM_FAULT_EARLIEST_MS, fromMs), toMs: outToMs } });
      return faults;
    });
}

/** The fact source a restart-cut-off's faults put out of service, if any. */
export function cutOffSource(aimed: readonly FaultSpec[]): FactSource | undefined {
  for (const fault of aimed) {
    if (fault.kind === 'outage' && 'system' in fault) return FACT_SOURCES.find((s) => s === fault.system);
  }
  return undefined;
}

/**
 * Whether a fault keeps what `system` sends from being taken: a link fault on
 * its messages (a selector without a sender strikes every sender's), or a
 * clock step on it or on the middleware, past which the middleware refuses
 * its webhooks as signed outside the replay window.
 */
export function strikesMessagesOf(fault: FaultSpec, system: string): boolean {
  if ('link' in fault) return fault.link.from === undefined || fault.link.from === system;
  return fault.kind === 'clock-skew' && (fault.system === system || fault.system === 'middleware');
}
