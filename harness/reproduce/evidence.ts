/**
 * The normalised form every reader produces: one event per thing a system
 * recorded, on one clock (ms since the Unix epoch, UTC), with the file and
 * line it came from so every inference can cite its evidence.
 */
import { UsageError } from '../run/errors.ts';

export type EvidenceSystem = 'capture' | 'payment' | 'logistics' | 'http' | 'middleware' | 'odoo';

/** Where a fact came from: `file:line` is what a person opens. */
export interface Citation {
  file: string;
  line: number;
}

interface EventBase extends Citation {
  /** ms since the Unix epoch, UTC. */
  at: number;
  system: EvidenceSystem;
  orderRef?: string;
}

export interface OrderLine {
  sku: string;
  quantity: number;
  /** Absent when the export does not say: the replay charges the catalogue's price, not 0. */
  unitPrice?: number;
}

export interface OrderAttempt {
  attempt: number;
  at: number;
  /** `ok`, or what the capture platform saw instead (`no_answer`, `timeout`, `error`, a status). */
  outcome: string;
  status?: number;
}

export type EvidenceEvent =
  | (EventBase & {
      kind: 'order.placed';
      orderRef: string;
      lines: OrderLine[];
      total?: number;
      attempts: OrderAttempt[];
      retries?: number;
      customer?: Record<string, unknown>;
    })
  | (EventBase & {
      kind: 'payment.event';
      eventId: string;
      type: string;
      paymentId?: string;
      amount?: number;
      deliveredAt?: number;
      attempt?: number;
      status?: number;
    })
  | (EventBase & { kind: 'shipment.status'; orderRef: string; shipmentId: string; status: string; sequence?: number; deliveredAt?: number; attempt?: number })
  | (EventBase & { kind: 'http.request'; method: string; path: string; status: number; requestTimeMs?: number; client?: string })
  | (EventBase & { kind: 'middleware.log'; event: string; level: string; fields: Record<string, unknown> })
  | (EventBase & { kind: 'odoo.record'; model: string; change: string; recordName: string; recordId: number });

export type EvidenceKind = EvidenceEvent['kind'];

/** A line a reader could not use, and why: reported, never dropped silently. */
export interface IgnoredLine extends Citation {
  reason: string;
}

export interface ReaderResult {
  /** Which reader read the file (`stripe-events`, `3pl-csv`, ...). */
  format: string;
  events: EvidenceEvent[];
  ignored: IgnoredLine[];
  /** Facts about the file as a whole a person should know (timestamps without a zone, say). */
  notes: string[];
}

/** Evidence that cannot be read at all: names the file, the line, and what to do. */
export class EvidenceError extends UsageError {
  override name = 'EvidenceError';
  constructor(where: Citation, problem: string, remedy: string) {
    super(`${where.file}:${where.line}: ${problem}; ${remedy}`);
  }
}

/** A line-level problem a reader turns into an IgnoredLine. */
export class LineProblem extends Error {}

const MONTHS: Record<string, string> = {
  Jan: '01',
  Feb: '02',
  Mar: '03',
  Apr: '04',
  May: '05',
  Jun: '06',
  Jul: '07',
  Aug: '08',
  Sep: '09',
  Oct: '10',
  Nov: '11',
  Dec: '12',
};

export interface ParsedTime {
  at: number;
  /** The text carried no zone and was read as UTC. */
  zoneless: boolean;
}

/**
 * Every timestamp shape the supported sources write: ISO 8601 with or without
 * a zone, epoch seconds (Stripe's `created`) or milliseconds, and the access
 * log's `10/Oct/2026:13:55:36 -0500`.
 */
export function parseTime(value: unknown, field: string): ParsedTime {
  if (typeof value === 'number' && Number.isFinite(value)) return { at: value < 1e11 ? value * 1000 : value, zoneless: false };
  if (typeof value !== 'string' || value.trim() === '') throw new LineProblem(`${field} is missing or not a time (${JSON.stringify(value) ?? 'nothing'})`);
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return parseTime(Number(text), field);
  const clf = /^(\d{2})\/(\w{3})\/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))? ([+-]\d{2})(\d{2})$/.exec(text);
  if (clf !== null && MONTHS[clf[2]!] !== undefined) {
    const iso = `${clf[3]}-${MONTHS[clf[2]!]}-${clf[1]}T${clf[4]}:${clf[5]}:${clf[6]}${clf[7] !== undefined ? `.${clf[7]}` : ''}${clf[8]}:${clf[9]}`;
    return { at: Date.parse(iso), zoneless: false };
  }
  const iso = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)(Z|[+-]\d{2}:?\d{2})?$/i.exec(text);
  if (iso === null) throw new LineProblem(`${field} "${text}" is not a time Faultline reads (ISO 8601, epoch seconds or ms, or 10/Oct/2026:13:55:36 -0500)`);
  const zone = iso[3] === undefined ? 'Z' : iso[3].length === 5 ? `${iso[3].slice(0, 3)}:${iso[3].slice(3)}` : iso[3];
  const at = Date.parse(`${iso[1]}T${iso[2]}${zone}`);
  if (Number.isNaN(at)) throw new LineProblem(`${field} "${text}" is not a valid date`);
  return { at, zoneless: iso[3] === undefined };
}

/** Reads the first present key among spellings teams use (`order_ref`, `orderRef`, ...). */
export function pick(record: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    const parts = key.split('.');
    let value: unknown = record;
    for (const part of parts) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
    if (value !== undefined && value !== null && value !== '') return value;
  }
  return undefined;
}

export function pickString(record: Record<string, unknown>, keys: readonly string[]): string | undefined {
  const value = pick(record, keys);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

export function pickNumber(record: Record<string, unknown>, keys: readonly string[]): number | undefined {
  const value = pick(record, keys);
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : undefined;
}

export function requireString(record: Record<string, unknown>, keys: readonly string[]): string {
  const value = pickString(record, keys);
  if (value === undefined) throw new LineProblem(`no ${keys[0]} (looked for ${keys.join(', ')})`);
  return value;
}

/** Collects a reader's events, ignored lines and the zoneless-time note in one place. */
export class ReaderLog {
  readonly events: EvidenceEvent[] = [];
  readonly ignored: IgnoredLine[] = [];
  readonly notes: string[] = [];
  private zoneless = 0;
  readonly file: string;
  constructor(file: string) {
    this.file = file;
  }

  time(value: unknown, field: string): number {
    const parsed = parseTime(value, field);
    if (parsed.zoneless) this.zoneless++;
    return parsed.at;
  }

  /** Runs one line's reading; a LineProblem becomes an ignored line with its reason. */
  line(line: number, read: () => void): void {
    try {
      read();
    } catch (error) {
      if (!(error instanceof LineProblem)) throw error;
      this.ignored.push({ file: this.file, line, reason: error.message });
    }
  }

  result(format: string): ReaderResult {
    const notes = [...this.notes];
    if (this.zoneless > 0)
      notes.push(
        `${this.zoneless} ${this.zoneless === 1 ? 'timestamp carries' : 'timestamps carry'} no zone and were read as UTC; if the source logs local time, convert it or add the offset`,
      );
    return { format, events: this.events, ignored: this.ignored, notes };
  }
}
