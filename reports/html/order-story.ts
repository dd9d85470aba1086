import type { HistoryEvent, HistoryEvents } from '../../harness/core/history.ts';
import type { InvariantVerdict } from '../../harness/run/result.ts';

/** The lanes every timeline shows, in this order; systems beyond them get lanes after these. */
export const CORE_LANES = ['capture', 'middleware', 'odoo', 'payment', 'logistics'] as const;

/** What went wrong with one message, as a person would say it. */
export type Mark = 'answer lost' | 'dropped' | 'timeout' | 'no answer' | 'duplicated' | 'delayed' | 'failed';

/** One row of a timeline: a message with its fate, an Odoo call, or a system's own event. */
export interface StoryRow {
  kind: 'message' | 'odoo' | 'event';
  t: number;
  /** The history lines this row stands for; the first is where it starts. */
  seqs: number[];
  from: string;
  /** Equal to `from` for an event or an Odoo call drawn on one lane. */
  to: string;
  label: string;
  /** An Odoo call's effect, shown on the message that carried it. */
  odoo?: string;
  status?: string;
  marks: Mark[];
  /** A repetition the sender made on purpose (a retry, a duplicate). */
  repeated: boolean;
  evidence: boolean;
  /** The history line a row links to: its evidence line when it has one (the Odoo call, not the request that carried it). */
  anchorSeq: number;
}

/** A fault (or a crash) in force from `from` to `to` (`to` is the end of the run when it never switched off). */
export interface FaultWindow {
  name: string;
  target: string;
  from: number;
  to: number;
}

export interface OrderStory {
  ref: string;
  rows: StoryRow[];
  /** Rows left out of a very long story (evidence and its surroundings are always kept). */
  elided: number;
  lanes: string[];
  /** The invariants' findings about this order, with their evidence. */
  findings: Array<{ invariant: string; message: string; events: number[] }>;
  /** Every history event of the order, for the linked history lines. */
  events: HistoryEvent[];
}

/** The orders a report draws, and every order of the run (the others are listed, not drawn). */
export interface Stories {
  stories: OrderStory[];
  allOrders: string[];
  faults: FaultWindow[];
}

/** Beyond this many rows a timeline keeps the start, the end and what surrounds the evidence. */
const MAX_ROWS = 160;

/** The orders the failing invariants name, in the order they name them. */
export function violatingOrders(invariants: readonly InvariantVerdict[]): string[] {
  const refs = new Set<string>();
  for (const v of invariants) {
    if (v.verdict === 'pass') continue;
    for (const example of v.examples) if (example.orderRef !== undefined) refs.add(example.orderRef);
  }
  return [...refs];
}

/** Fault windows, and crash-to-restart windows, from the fault and system events. */
export function faultWindows(history: HistoryEvents): FaultWindow[] {
  const end = history.at(-1)?.t ?? 0;
  const open = new Map<string, FaultWindow>();
  const windows: FaultWindow[] = [];
  for (const event of history) {
    if (event.kind === 'fault' || event.kind === 'crash' || event.kind === 'restart') {
      const key = event.kind === 'fault' ? `${event.fault}\u0000${event.target}` : `crash\u0000${event.system}`;
      const on = event.kind === 'fault' ? event.state === 'on' : event.kind === 'crash';
      const current = open.get(key);
      if (on && current === undefined) {
        const window =
          event.kind === 'fault'
            ? { name: event.fault, target: event.target, from: event.t, to: end }
            : { name: `${event.system} down`, target: event.system, from: event.t, to: end };
        open.set(key, window);
        windows.push(window);
      } else if (!on && current !== undefined) {
        current.to = event.t;
        open.delete(key);
      }
    }
  }
  return windows;
}

/**
 * Collects, in one pass over the history, the events of the orders to draw:
 * those carrying the order's correlation id, the events about their requests
 * (delivery, answer, timeout, loss), and every evidence event the invariants
 * cite for the order even when it carries no id.
 */
export function orderStories(history: HistoryEvents, invariants: readonly InvariantVerdict[], drawn: readonly string[]): Stories {
  const wanted = new Set(drawn);
  const evidenceOf = new Map<number, string>();
  const findings = new Map<string, OrderStory['findings']>();
  for (const v of invariants) {
    if (v.verdict === 'pass') continue;
    for (const example of v.examples) {
      if (example.orderRef === undefined || !wanted.has(example.orderRef)) continue;
      const list = findings.get(example.orderRef) ?? [];
      list.push({ invariant: v.name, message: example.message, events: example.events ?? [] });
      findings.set(example.orderRef, list);
      for (const seq of example.events ?? []) if (!evidenceOf.has(seq)) evidenceOf.set(seq, example.orderRef);
    }
  }
  const requestOrder = new Map<number, string>();
  const eventsOf = new Map<string, HistoryEvent[]>(drawn.map((ref) => [ref, []]));
  const allOrders: string[] = [];
  for (const event of history) {
    if (event.kind === 'event' && event.name === 'order.placed' && event.corr !== undefined) allOrders.push(event.corr);
    let ref: string | undefined;
    if ('corr' in event && event.corr !== undefined) {
      ref = event.corr;
      if (event.kind === 'send') requestOrder.set(event.req, ref);
    } else if ('req' in event && event.req !== undefined) {
      ref = requestOrder.get(event.req);
    }
    const cited = evidenceOf.get(event.seq);
    if (cited !== undefined && cited !== ref) eventsOf.get(cited)!.push(event);
    if (ref !== undefined && wanted.has(ref)) eventsOf.get(ref)!.push(event);
  }
  const stories = drawn.map((ref) => {
    const events = eventsOf.get(ref)!;
    const own = findings.get(ref) ?? [];
    const evidence = new Set(own.flatMap((f) => f.events));
    const { rows, elided } = keepReadable(storyRows(events, evidence));
    return { ref, rows, elided, lanes: lanesOf(rows), findings: own, events };
  });
  return { stories, allOrders: [...new Set(allOrders)], faults: faultWindows(history) };
}

function lanesOf(rows: readonly StoryRow[]): string[] {
  const seen = new Set<string>(CORE_LANES);
  for (const row of rows) {
    seen.add(row.from);
    seen.add(row.to);
  }
  return [...seen];
}

function describeData(data: Record<string, unknown> | undefined): string {
  if (data === undefined) return '';
  const parts = Object.entries(data)
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    .slice(0, 3)
    .map(([key, value]) => `${key} ${String(value)}`);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}

/** Turns an order's events into rows: each request with its fate on one row, Odoo calls on the message that carried them. */
export function storyRows(events: HistoryEvents, evidence: ReadonlySet<number>): StoryRow[] {
  const rows: StoryRow[] = [];
  const byRequest = new Map<number, StoryRow & { delivered: boolean }>();
  const row = (fields: Omit<StoryRow, 'marks' | 'repeated' | 'evidence' | 'anchorSeq'> & Partial<StoryRow>): StoryRow => {
    const made = { marks: [], repeated: false, evidence: false, anchorSeq: fields.seqs[0]!, ...fields };
    rows.push(made);
    return made;
  };
  for (const event of events) {
    switch (event.kind) {
      case 'send': {
        const attempt = event.attempt !== undefined && event.attempt > 1 ? ` · attempt ${event.attempt}` : '';
        const made = row({
          kind: 'message',
          t: event.t,
          seqs: [event.seq],
          from: event.from,
          to: event.to,
          label: `${event.method} ${event.path}${attempt}`,
          repeated: event.dup === true || (event.attempt ?? 1) > 1,
        });
        byRequest.set(event.req, Object.assign(made, { delivered: false }));
        break;
      }
      case 'deliver':
      case 'response':
      case 'timeout':
      case 'error':
      case 'drop':
      case 'duplicate':
      case 'delay': {
        const target = byRequest.get(event.req);
        if (target === undefined) break;
        target.seqs.push(event.seq);
        if (event.kind === 'deliver') target.delivered = true;
        else if (event.kind === 'response') target.status = `${event.status}${event.outcome === 'ok' ? '' : ` ${event.outcome}`}`;
        else if (event.kind === 'timeout') target.marks.push('timeout');
        else if (event.kind === 'error') target.marks.push(event.outcome === 'unknown' ? 'no answer' : 'failed');
        else if (event.kind === 'drop') target.marks.push(target.delivered ? 'answer lost' : 'dropped');
        else if (event.kind === 'duplicate') target.marks.push('duplicated');
        else target.marks.push('delayed');
        break;
      }
      case 'odoo': {
        const ids = event.ids !== undefined && event.ids.length > 0 ? ` → [${event.ids.join(', ')}]` : '';
        const text = `${event.model}.${event.method}${ids}${event.outcome === 'ok' ? '' : ` ${event.outcome}${event.error !== undefined ? `: ${event.error}` : ''}`}`;
        // The call rides on the request to Odoo that is in flight; without one it is a row of its own.
        const carrier =
          event.req !== undefined
            ? byRequest.get(event.req)
            : [...byRequest.values()].reverse().find((r) => r.to === 'odoo' && r.delivered && r.status === undefined && r.odoo === undefined);
        if (carrier !== undefined && carrier.odoo === undefined) {
          carrier.odoo = text;
          carrier.seqs.push(event.seq);
        } else {
          row({ kind: 'odoo', t: event.t, seqs: [event.seq], from: 'odoo', to: 'odoo', label: text });
        }
        break;
      }
      case 'event':
        row({
          kind: 'event',
          t: event.t,
          seqs: [event.seq],
          from: event.system,
          to: event.system,
          label: `${event.name}${describeData(event.data)}`,
          repeated: (event.attempt ?? 1) > 1,
        });
        break;
      case 'crash':
      case 'restart':
        row({ kind: 'event', t: event.t, seqs: [event.seq], from: event.system, to: event.system, label: event.kind === 'crash' ? 'crashed' : 'restarted' });
        break;
      case 'fault':
        break;
    }
  }
  for (const r of rows) {
    const cited = r.seqs.find((seq) => evidence.has(seq));
    r.evidence = cited !== undefined;
    r.anchorSeq = cited ?? r.seqs[0]!;
  }
  return rows;
}

/** Keeps a long story readable: its start and end, and every evidence row with its neighbours. */
function keepReadable(rows: StoryRow[]): { rows: StoryRow[]; elided: number } {
  if (rows.length <= MAX_ROWS) return { rows, elided: 0 };
  const keep = new Set<number>();
  for (let i = 0; i < 40; i++) keep.add(i);
  for (let i = rows.length - 20; i < rows.length; i++) keep.add(i);
  rows.forEach((r, i) => {
    if (r.evidence || r.marks.length > 0) for (let j = i - 3; j <= i + 3; j++) if (j >= 0 && j < rows.length) keep.add(j);
  });
  const kept = rows.filter((_, i) => keep.has(i));
  return { rows: kept, elided: rows.length - kept.length };
}
