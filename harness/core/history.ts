/**
 * The append-only record of a run. Every event carries the virtual (sim) or
 * wall (live) timestamp, and where known the correlation id (the capture
 * platform's order reference) and the attempt number.
 *
 * Field order inside each event is fixed by the constructors below, so the
 * same run always serialises to the same bytes.
 */
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
 * Fields whose values repeat across a run (names of systems, paths, models,
 * order references): each distinct value is kept once. A path parsed from a
 * URL or a header read back is a fresh string every time, 30-60 B apiece.
 */
const REPEATED_FIELDS = ['from', 'to', 'method', 'path', 'corr', 'principal', 'model', 'system', 'name', 'target', 'fault', 'reason'] as const;

/** Keeps the history in memory (about 100 B an event) for invariants and the report. */
export class History implements HistoryWriter {
  readonly events: HistoryEvent[] = [];
  #now: () => number;
  #requestIds = 0;
  readonly #strings = new Map<string, string>();

  constructor(now: () => number) {
    this.#now = now;
  }

  append(event: NewHistoryEvent): number {
    const seq = this.events.length;
    const t = this.#now();
    // The commonest kinds, written as literals: an object spread after two fields takes a third more memory.
    switch (event.kind) {
      case 'deliver':
        this.events.push({ seq, t, kind: 'deliver', req: event.req });
        break;
      case 'send':
        if (event.dup === undefined) {
          this.events.push(this.#send(seq, t, event));
          break;
        }
        this.events.push(this.#stamped(seq, t, event));
        break;
      case 'response':
        this.events.push({ seq, t, kind: 'response', req: event.req, status: event.status, outcome: event.outcome });
        break;
      default:
        this.events.push(this.#stamped(seq, t, event));
    }
    return seq;
  }

  /** A send in the fields' declared order, one literal per combination of the optional ones. */
  #send(seq: number, t: number, e: Omit<SendEvent, 'seq' | 't'>): SendEvent {
    const from = this.#intern(e.from);
    const to = this.#intern(e.to);
    const method = this.#intern(e.method);
    const path = this.#intern(e.path);
    const { req, corr, attempt } = e;
    if (corr === undefined) {
      return attempt === undefined ? { seq, t, kind: 'send', req, from, to, method, path } : { seq, t, kind: 'send', req, from, to, method, path, attempt };
    }
    const ref = this.#intern(corr);
    return attempt === undefined
      ? { seq, t, kind: 'send', req, from, to, method, path, corr: ref }
      : { seq, t, kind: 'send', req, from, to, method, path, corr: ref, attempt };
  }

  #stamped(seq: number, t: number, event: NewHistoryEvent): HistoryEvent {
    const stamped = { seq, t, ...event } as Record<string, unknown>;
    for (const field of REPEATED_FIELDS) {
      const value = stamped[field];
      if (typeof value === 'string') stamped[field] = this.#intern(value);
    }
    return stamped as unknown as HistoryEvent;
  }

  #intern(value: string): string {
    const known = this.#strings.get(value);
    if (known !== undefined) return known;
    this.#strings.set(value, value);
    return value;
  }

  nextRequestId(): number {
    return ++this.#requestIds;
  }

  /** One JSON object per line, in order. */
  *jsonLines(): Generator<string> {
    for (const event of this.events) yield JSON.stringify(event) + '\n';
  }
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
