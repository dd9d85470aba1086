/**
 * An analytics sink: the warehouse a team's dashboards read. It takes a
 * stream of business events (orders, invoices, payments, refunds) one row at
 * a time, and batch exports that replace a whole day. Like a real one it
 * dedupes a streamed row by its event id only within a window, and it counts
 * a streamed row in its day only until the day's watermark (the day's end
 * plus the allowed lateness); a later row is kept aside as late, and only a
 * batch replay of the day brings the day's totals right again. It keeps its
 * own daily totals per currency.
 */
import { LEDGER_PATH, type System, type SystemContext } from '../../harness/core/system.ts';
import { json } from '../../harness/core/json-response.ts';
import { BadInput, requireArray, requireCurrency, requireObject, requireString } from '../shared/http.ts';
import { createInbound } from '../shared/inbound.ts';
import { createRouter } from '../shared/router.ts';
import { type AnalyticsKnobs, readAnalyticsKnobs } from './knobs.ts';

export const ROW_TYPES = ['order', 'invoice', 'refund', 'payment'] as const;
export type RowType = (typeof ROW_TYPES)[number];

export interface AnalyticsRow {
  eventId: string;
  type: RowType;
  /** The business document: an order ref, an invoice number. */
  ref: string;
  /** The business day the row belongs to, `YYYY-MM-DD`. */
  day: string;
  currency: string;
  amount: number;
  receivedAt: string;
  via: 'stream' | 'batch';
}

export interface DailyTotal {
  day: string;
  currency: string;
  /** Sum per row type of the rows counted in the day. */
  totals: Record<RowType, number>;
  rows: number;
}

export interface AnalyticsLedger {
  /** The rows counted in their day. */
  rows: AnalyticsRow[];
  /** Streamed rows that came after their day's watermark, not counted. */
  late: AnalyticsRow[];
  /** Streamed rows dropped as repeats of an event id seen within the window. */
  duplicatesDropped: number;
  /** Batch replays, in the order they came. */
  batches: { batchId: string; day: string; currency: string; rows: number; receivedAt: string }[];
  dailyTotals: DailyTotal[];
  allowedLatenessMs: number;
}

export interface AnalyticsSink extends System {
  readonly knobs: AnalyticsKnobs;
  ledger(): AnalyticsLedger;
}

const DAY_MS = 86_400_000;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function createAnalyticsSink(context: SystemContext): AnalyticsSink {
  const knobs = readAnalyticsKnobs(context.config);
  const { clock, history } = context;
  const inbound = createInbound({ systemName: 'analytics', clock, rng: context.rng.fork('api'), api: knobs.api, requireSignatureWith: null });
  const counted = new Map<string, AnalyticsRow[]>();
  const late: AnalyticsRow[] = [];
  const seen = new Map<string, number>();
  const batches: AnalyticsLedger['batches'] = [];
  let duplicatesDropped = 0;

  const partition = (day: string, currency: string): string => `${day}|${currency}`;
  const watermark = (day: string): number => Date.parse(`${day}T00:00:00Z`) + DAY_MS + knobs.allowedLatenessMs;

  const readRow = (value: unknown, where: string, via: AnalyticsRow['via'], fixed?: { day: string; currency: string }): AnalyticsRow => {
    const body = requireObject(value, where);
    const type = requireString(body, 'type', where);
    if (!(ROW_TYPES as readonly string[]).includes(type))
      throw new BadInput(400, `${where}.type must be one of ${ROW_TYPES.join(', ')}; got ${JSON.stringify(type)}`);
    const amount = body.amount;
    if (typeof amount !== 'number' || !Number.isFinite(amount) || Math.abs(amount) > 1e12)
      throw new BadInput(400, `${where}.amount must be a finite number; got ${JSON.stringify(amount)}`);
    const day = fixed?.day ?? requireString(body, 'day', where);
    if (!DAY_PATTERN.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
      throw new BadInput(400, `${where}.day must be a date YYYY-MM-DD; got ${JSON.stringify(day)}`);
    return {
      eventId: requireString(body, 'eventId', where),
      type: type as RowType,
      ref: requireString(body, 'ref', where),
      day,
      currency: fixed?.currency ?? requireCurrency(body, 'currency', where),
      amount,
      receivedAt: new Date(clock.now()).toISOString(),
      via,
    };
  };

  const stream = (row: AnalyticsRow): 'counted' | 'late' | 'duplicate' => {
    const now = clock.now();
    const earlier = seen.get(row.eventId);
    if (knobs.dedupe && earlier !== undefined && now - earlier <= knobs.dedupeWindowMs) {
      duplicatesDropped++;
      return 'duplicate';
    }
    seen.set(row.eventId, now);
    if (now > watermark(row.day)) {
      late.push(row);
      history.append({ kind: 'event', system: context.name, name: 'row.late', corr: row.ref, data: { eventId: row.eventId, day: row.day } });
      return 'late';
    }
    const key = partition(row.day, row.currency);
    const rows = counted.get(key);
    if (rows === undefined) counted.set(key, [row]);
    else rows.push(row);
    return 'counted';
  };

  const router = createRouter('analytics')
    .on('GET', LEDGER_PATH, () => json(200, snapshot()))
    .on('POST', '/events', async (request) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const { body } = await inbound.readBody(request);
      const list = Array.isArray(body.events) ? requireArray(body, 'events') : [body];
      const rows = list.map((value, i) => readRow(value, Array.isArray(body.events) ? `body.events[${i}]` : 'body', 'stream'));
      const outcomes = rows.map(stream);
      return inbound.answer(
        json(202, {
          accepted: outcomes.filter((o) => o === 'counted').length,
          late: outcomes.filter((o) => o === 'late').length,
          duplicates: outcomes.filter((o) => o === 'duplicate').length,
        }),
      );
    })
    .on('PUT', '/days/:day/:currency', async (request, params) => {
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      const { body } = await inbound.readBody(request);
      const day = params.day!;
      const currency = params.currency!;
      if (!DAY_PATTERN.test(day)) throw new BadInput(400, `the day in the path must be YYYY-MM-DD; got ${JSON.stringify(day)}`);
      if (!/^[A-Z]{3}$/.test(currency)) throw new BadInput(400, `the currency in the path must be an ISO 4217 code; got ${JSON.stringify(currency)}`);
      const batchId = requireString(body, 'batchId');
      const rows = requireArray(body, 'rows').map((value, i) => readRow(value, `body.rows[${i}]`, 'batch', { day, currency }));
      // A replay is the day's truth: it replaces what the stream left, however late it comes.
      counted.set(partition(day, currency), rows);
      batches.push({ batchId, day, currency, rows: rows.length, receivedAt: new Date(clock.now()).toISOString() });
      history.append({ kind: 'event', system: context.name, name: 'day.replayed', corr: `${day}/${currency}`, data: { batchId, rows: rows.length } });
      return inbound.answer(json(200, { day, currency, rows: rows.length }));
    })
    .on('GET', '/days/:day/:currency', (_request, params) => {
      const total = dailyTotal(params.day!, params.currency!, counted.get(partition(params.day!, params.currency!)) ?? []);
      return json(200, total);
    });

  const snapshot = (): AnalyticsLedger => {
    const keys = [...counted.keys()].sort();
    return {
      rows: keys.flatMap((k) => counted.get(k)!.map((r) => ({ ...r }))),
      late: late.map((r) => ({ ...r })),
      duplicatesDropped,
      batches: batches.map((b) => ({ ...b })),
      dailyTotals: keys.map((k) => {
        const [day, currency] = k.split('|') as [string, string];
        return dailyTotal(day, currency, counted.get(k)!);
      }),
      allowedLatenessMs: knobs.allowedLatenessMs,
    };
  };

  return { knobs, handle: (request) => router.handle(request), ledger: snapshot };
}

function dailyTotal(day: string, currency: string, rows: readonly AnalyticsRow[]): DailyTotal {
  const cents: Record<RowType, number> = { order: 0, invoice: 0, refund: 0, payment: 0 };
  for (const row of rows) cents[row.type] += Math.round(row.amount * 100);
  const totals = { order: cents.order / 100, invoice: cents.invoice / 100, refund: cents.refund / 100, payment: cents.payment / 100 };
  return { day, currency, totals, rows: rows.length };
}
