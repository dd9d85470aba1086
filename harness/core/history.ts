/**
 * The append-only record of a run. Every event carries the virtual (sim) or
 * wall (live) timestamp, and where known the correlation id (the capture
 * platform's order reference) and the attempt number.
 *
 * Field order inside each event is fixed by the constructors below, so the
 * same run always serialises to the same bytes.
 */
import { PackedLog } from './packed-log.ts';

export type Outcome = 'ok' | 'fail' | 'unknown';

interface Base {
  /** Position in the history, from 0. */
  seq: number;
  /** Milliseconds since the Unix epoch (virtual in sim mode). */
  t: number;
  kind: HistoryEvent['kind'];
}

/** A request leaves `from` for `to`. */
export interface SendEvent extends Base {
  kind: 'send';
  req: number;
  from: string;
  to: string;
  method: string;
  path: string;
  corr?: string;
  attempt?: number;
  /** The sender repeated this message on purpose (a duplicate fault or retry logic marking it). */
  dup?: boolean;
}

/** The request reached its destination and is handed to its handler. */
export interface DeliverEvent extends Base {
  kind: 'deliver';
  req: number;
}

/** The caller got an answer. */
export interface ResponseEvent extends Base {
  kind: 'response';
  req: number;
  status: number;
  outcome: Outcome;
}

/**
 * The caller got no answer: `unknown` when the request may have been processed
 * (timeout, response lost), `fail` when it certainly was not (refused, reset
 * before sending, dropped by a fault before delivery).
 */
export interface NoResponseEvent extends Base {
  kind: 'timeout' | 'error';
  req: number;
  outcome: Outcome;
  reason: string;
}

/** A fault's effect on one message: dropped, duplicated, delayed out of order. */
export interface MessageFaultEvent extends Base {
  kind: 'drop' | 'duplicate' | 'delay';
  req: number;
  fault: string;
  /** A delay's hold in whole ms, beyond the link's own latency: live mode records the event as the held message leaves. */
  ms?: number;
}

/** A fault switched on or off. */
export interface FaultEvent extends Base {
  kind: 'fault';
  fault: string;
  state: 'on' | 'off';
  target: string;
}

/** A call to Odoo's external API as Odoo saw it (written by the Odoo target). */
export interface OdooCallEvent extends Base {
  kind: 'odoo';
  req?: number;
  principal: string;
  model: string;
  method: string;
  outcome: Outcome;
  ids?: number[];
  corr?: string;
  error?: string;
}

/** A business event a system reports about itself (order placed, payment captured, ...). */
export interface DomainEvent extends Base {
  kind: 'event';
  system: string;
  name: string;
  corr?: string;
  attempt?: number;
  data?: Record<string, unknown>;
}

/** A system crashed or came back. */
export interface SystemEvent extends Base {
  kind: 'crash' | 'restart';
  system: string;
}

export type HistoryEvent =
  | SendEvent
  | DeliverEvent
  | ResponseEvent
  | NoResponseEvent
  | MessageFaultEvent
  | FaultEvent
  | OdooCallEvent
  | DomainEvent
  | SystemEvent;

/** Events as callers hand them in: the recorder assigns `seq` and `t`. */
export type NewHistoryEvent = HistoryEvent extends infer E ? (E extends HistoryEvent ? Omit<E, 'seq' | 't'> : never) : never;

export interface HistoryWriter {
  /** Appends an event stamped with the current time; returns its sequence number. */
  append(event: NewHistoryEvent): number;
  /** A fresh id for a request, unique within the run. */
  nextRequestId(): number;
}

/**
 * What a history is read through: its length, one event by position, and one
 * pass in order. An array of events is one; a run's `History` is another,
 * which builds each event as it is read, so a pass never holds them all.
 */
export interface HistoryEvents extends Iterable<HistoryEvent> {
  readonly length: number;
  at(index: number): HistoryEvent | undefined;
}

/** Fields whose values come from a small set (names of systems, kinds, models, methods, outcomes): kept once, in the shape. */
const CONSTANT_FIELDS = ['kind', 'from', 'to', 'method', 'principal', 'model', 'outcome', 'system', 'name', 'state', 'target', 'fault'];

/**
 * The history of a run, packed (`packed-log.ts`: about 30 B an event where
 * objects took 90-300 B), for the invariants and the report.
 */
export class History implements HistoryWriter, HistoryEvents {
  readonly #events = new PackedLog<HistoryEvent>({ position: 'seq', time: 't', constants: CONSTANT_FIELDS });
  #now: () => number;
  #requestIds = 0;

  constructor(now: () => number) {
    this.#now = now;
  }

  get length(): number {
    return this.#events.length;
  }

  at(index: number): HistoryEvent | undefined {
    return this.#events.at(index);
  }

  /** The kind of event `index`, without building it. */
  kindAt(index: number): HistoryEvent['kind'] {
    return this.#events.stringAt(index, 'kind') as HistoryEvent['kind'];
  }

  /**
   * Ends the recording: the history lets go of its clock, and with it of the
   * world the clock belongs to, which a run's result must not keep alive, and
   * of the room its buffers kept for growth. A later append is a mistake and
   * throws.
   */
  seal(): this {
    this.#events.trim();
    this.#now = () => {
      throw new Error('this history is sealed: its run is over, and nothing more may be appended to it');
    };
    return this;
  }

  /** Every event, built at once: for tests and short runs; a pass over a long run reads the history itself. */
  toArray(): HistoryEvent[] {
    return [...this.#events];
  }

  [Symbol.iterator](): Iterator<HistoryEvent> {
    return this.#events[Symbol.iterator]();
  }

  append(event: NewHistoryEvent): number {
    const seq = this.#events.length;
    const t = this.#now();
    this.#events.push(stamped(seq, t, event));
    return seq;
  }

  nextRequestId(): number {
    return ++this.#requestIds;
  }

  /** One JSON object per line, in order. */
  *jsonLines(): Generator<string> {
    for (const event of this.#events) yield JSON.stringify(event) + '\n';
  }
}

/**
 * The event with its sequence number and time. The commonest kinds take their
 * fields in the declared order, whatever order the caller gave them in (the
 * bytes of a stored history have always been these).
 */
function stamped(seq: number, t: number, event: NewHistoryEvent): HistoryEvent {
  switch (event.kind) {
    case 'deliver':
      return { seq, t, kind: 'deliver', req: event.req };
    case 'response':
      return { seq, t, kind: 'response', req: event.req, status: event.status, outcome: event.outcome };
    case 'send':
      if (event.dup === undefined) return sendInOrder(seq, t, event);
      break;
  }
  return { seq, t, ...event } as HistoryEvent;
}

/**
 * The events of the given kinds from position `from` on, in order. A
 * `History` skips the others without building them: most passes over a run
 * want a quarter of its events.
 */
export function* eventsOfKind<K extends HistoryEvent['kind']>(
  history: HistoryEvents,
  kinds: readonly K[],
  from = 0,
): Generator<Extract<HistoryEvent, { kind: K }>> {
  const wanted = new Set<string>(kinds);
  const kindAt = history instanceof History ? (i: number) => history.kindAt(i) : (i: number) => history.at(i)!.kind;
  for (let i = from; i < history.length; i++) if (wanted.has(kindAt(i))) yield history.at(i) as Extract<HistoryEvent, { kind: K }>;
}

/** A send in the fields' declared order, one literal per combination of the optional ones. */
function sendInOrder(seq: number, t: number, e: Omit<SendEvent, 'seq' | 't'>): SendEvent {
  const { req, from, to, method, path, corr, attempt } = e;
  if (corr === undefined) {
    return attempt === undefined ? { seq, t, kind: 'send', req, from, to, method, path } : { seq, t, kind: 'send', req, from, to, method, path, attempt };
  }
  return attempt === undefined
    ? { seq, t, kind: 'send', req, from, to, method, path, corr }
    : { seq, t, kind: 'send', req, from, to, method, path, corr, attempt };
}

/** Parses a `history.jsonl` back into events, for re-checking invariants without re-running. */
export function parseHistory(text: string): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    try {
      events.push(JSON.parse(line) as HistoryEvent);
    } catch (error) {
      throw new Error(`history line ${i + 1} is not valid JSON (${(error as Error).message}); is this a Faultline history.jsonl?`);
    }
  }
  return events;
}
