import type { DomainEvent, HistoryEvent, HistoryEvents, OdooCallEvent } from '../core/history.ts';
import { formatDuration, plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { Invariant, Violation } from './types.ts';

const NAME = 'settles';

/**
 * How often one order may fail the same Odoo call the same way. A retry policy
 * with back-off makes tens of attempts across an outage or a burst of
 * serialization failures; this many identical refusals mean no retry can
 * succeed and the job only goes round.
 */
export const REPEATED_FAILURE_LIMIT = 60;

/**
 * A job dead-lettered this many times for one order was revived and failed
 * again over and over: a design may retry a dead letter a few times (an outage
 * longer than its retries), not without end.
 */
export const DEAD_LETTER_CYCLE_LIMIT = 10;

/** The events at the end of an unsettled run in which the loop that kept it busy is looked for. */
const TAIL_EVENTS = 2_000;

interface FailureLoop {
  ref: string;
  call: string;
  error: string;
  count: number;
  seqs: number[];
  firstT: number;
  lastT: number;
}

interface DeadLetterTrail {
  ref: string;
  deadLettered: DomainEvent[];
  lastRevivedSeq: number;
}

export const settles: Invariant = {
  name: NAME,
  description:
    "The run reaches quiescence within its budget, no order's job is left in the middleware's dead-letter queue, and no order's job retries without bound (the same Odoo call failing the same way again and again, or dead-lettered, revived and dead-lettered again).",
  check(input, index) {
    const end = input.options.runEnd;
    const loops = repeatedFailures(index.failedOdooCalls);
    const deadLetters = deadLetterTrails(index.deadLetterEvents);
    const log = new ViolationLog();

    if (end !== undefined && !end.quiescent) log.add(unsettledRun(input.history, end, loops));
    for (const loop of loops.filter((l) => l.count >= REPEATED_FAILURE_LIMIT)) log.add(loopViolation(loop));
    for (const trail of deadLetters.values()) {
      const last = trail.deadLettered.at(-1)!;
      const cycles = trail.deadLettered.length;
      if (cycles >= DEAD_LETTER_CYCLE_LIMIT) {
        log.add({
          orderRef: trail.ref,
          message: `dead-lettered ${cycles} times, revived each time and failed again (${describeDeadLetter(last)})`,
          events: trail.deadLettered.slice(0, 5).map((e) => e.seq),
        });
      } else if (last.seq > trail.lastRevivedSeq) {
        const times = cycles > 1 ? ` (dead-lettered ${cycles} times)` : '';
        log.add({ orderRef: trail.ref, message: `left in the dead-letter queue${times}: ${describeDeadLetter(last)}`, events: [last.seq] });
      }
    }

    const left = [...deadLetters.values()].filter((t) => t.deadLettered.at(-1)!.seq > t.lastRevivedSeq).map((t) => t.ref);
    const deadLetterNote = left.length === 0 ? 'no dead letters left' : `dead letters left: ${left.join(', ')}`;
    if (end === undefined && log.count === 0) {
      return unknownVerdict(NAME, `the run did not record whether it went quiet (recorded before settles existed?); ${deadLetterNote}`);
    }
    return log.verdict(NAME, {
      pass: `quiet within the budget, ${deadLetterNote}, no job retrying without bound`,
      fail: `${plural(log.count, 'problem')}: ${end !== undefined && !end.quiescent ? `still busy when the budget of ${formatDuration(end.budgetMs)} ran out; ` : ''}${deadLetterNote}`,
    });
  },
};

function describeDeadLetter(event: DomainEvent): string {
  const attempts = typeof event.data?.attempts === 'number' ? `after ${plural(event.data.attempts, 'attempt')}` : 'gave up';
  const error = typeof event.data?.error === 'string' ? `: ${firstLine(event.data.error)}` : '';
  return `${attempts}${error}`;
}

/** Per order, per Odoo call and error, how often the middleware's call failed; most repeated first. */
function repeatedFailures(failed: readonly OdooCallEvent[]): FailureLoop[] {
  const loops = new Map<string, FailureLoop>();
  for (const event of failed) {
    if (event.corr === undefined) continue;
    const call = `${event.model}.${event.method}`;
    const error = firstLine(errorText(event));
    const key = `${event.corr}\u0000${call}\u0000${error}`;
    let loop = loops.get(key);
    if (loop === undefined) {
      loop = { ref: event.corr, call, error, count: 0, seqs: [], firstT: event.t, lastT: event.t };
      loops.set(key, loop);
    }
    loop.count++;
    loop.lastT = event.t;
    if (loop.seqs.length < 5) loop.seqs.push(event.seq);
  }
  return [...loops.values()].sort((a, b) => b.count - a.count || (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0));
}

function deadLetterTrails(events: readonly DomainEvent[]): Map<string, DeadLetterTrail> {
  const trails = new Map<string, DeadLetterTrail>();
  for (const event of events) {
    if (event.corr === undefined) continue;
    let trail = trails.get(event.corr);
    if (trail === undefined) {
      if (event.name !== 'deadletter') continue;
      trail = { ref: event.corr, deadLettered: [], lastRevivedSeq: -1 };
      trails.set(event.corr, trail);
    }
    if (event.name === 'deadletter') trail.deadLettered.push(event);
    else trail.lastRevivedSeq = event.seq;
  }
  return trails;
}

function loopViolation(loop: FailureLoop): Violation {
  return {
    orderRef: loop.ref,
    message: `${loop.call} failed ${loop.count} times over ${formatDuration(loop.lastT - loop.firstT)}, always "${loop.error}": the job retries a call Odoo will keep refusing`,
    events: loop.seqs,
  };
}

/**
 * The run ran out of budget: name the order that kept it busy at the end and,
 * when it has one, the call it kept failing.
 */
function unsettledRun(history: HistoryEvents, end: { budgetMs: number; busyWith?: string }, loops: readonly FailureLoop[]): Violation {
  const busiest = busiestOrder(lastEvents(history, TAIL_EVENTS));
  const busy = end.busyWith !== undefined ? ` (still ${end.busyWith})` : '';
  if (busiest === undefined) return { message: `the run was still busy when its budget of ${formatDuration(end.budgetMs)} ran out${busy}` };
  const loop = loops.find((l) => l.ref === busiest.ref);
  const what = loop !== undefined ? `; its loop: ${loop.call} failed ${loop.count} times, "${loop.error}"` : `; its last requests: ${busiest.paths.join(', ')}`;
  return {
    orderRef: busiest.ref,
    message: `the run was still busy when its budget of ${formatDuration(end.budgetMs)} ran out${busy}: ${busiest.ref} made ${plural(busiest.count, 'event')} of the last ${plural(Math.min(TAIL_EVENTS, history.length), 'event')}${what}`,
    ...(loop !== undefined && { events: loop.seqs }),
  };
}

function lastEvents(history: HistoryEvents, count: number): HistoryEvent[] {
  const tail: HistoryEvent[] = [];
  for (let i = Math.max(0, history.length - count); i < history.length; i++) tail.push(history.at(i)!);
  return tail;
}

function busiestOrder(tail: readonly HistoryEvent[]): { ref: string; count: number; paths: string[] } | undefined {
  const counts = new Map<string, { count: number; paths: Set<string> }>();
  for (const event of tail) {
    const corr = 'corr' in event ? event.corr : undefined;
    if (corr === undefined || corr === 'bootstrap') continue;
    let entry = counts.get(corr);
    if (entry === undefined) counts.set(corr, (entry = { count: 0, paths: new Set() }));
    entry.count++;
    if (event.kind === 'send' && entry.paths.size < 4) entry.paths.add(`${event.from} → ${event.to} ${event.method} ${event.path}`);
    if (event.kind === 'odoo' && entry.paths.size < 4) entry.paths.add(`${event.model}.${event.method}`);
  }
  let best: { ref: string; count: number; paths: string[] } | undefined;
  for (const [ref, entry] of counts) {
    if (best === undefined || entry.count > best.count || (entry.count === best.count && ref < best.ref))
      best = { ref, count: entry.count, paths: [...entry.paths] };
  }
  return best;
}

function errorText(event: OdooCallEvent): string {
  return event.error ?? 'no error text';
}

/** The part of an error that names it: Odoo's first line, without the traceback. */
function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? text;
  return line.trim().slice(0, 160);
}
