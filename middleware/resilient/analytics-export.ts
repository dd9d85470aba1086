/**
 * The resilient design's analytics feed: exactly once, and right per day.
 *
 * - Every pass reads what Odoo has booked (confirmed orders, posted invoices
 *   and credit notes, posted customer payments) and streams each document not
 *   yet taken by the sink, under an event id derived from the Odoo record
 *   (`odoo:account.move:<id>`): a retry after a lost answer is the same row,
 *   and the sink's dedupe drops it.
 * - A document is marked sent only once the sink answered 2xx; anything else
 *   is tried again next pass (an outage delays rows, never loses them).
 * - A day whose rows the sink took as late (after its watermark) is replayed
 *   as one batch of everything Odoo booked that day, which replaces the day
 *   in the sink: the totals come out right however late the rows came.
 * - A document sent once and changed since (an order cancelled, an amount
 *   corrected) is not streamed again, which the sink would count twice: its
 *   day is replayed instead.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { SystemContext } from '../../harness/core/system.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import { readBookedRows, sinkRow } from '../shared/analytics-rows.ts';
import type { BookedRow } from '../shared/analytics-rows.ts';

export interface AnalyticsExportOptions {
  context: SystemContext;
  odoo: OdooClient;
  event(name: string, corr: string, data?: Record<string, unknown>): void;
  intervalMs: number;
  timeoutMs: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS analytics_sent (doc TEXT PRIMARY KEY, day TEXT NOT NULL, currency TEXT NOT NULL, amount REAL NOT NULL);
CREATE TABLE IF NOT EXISTS analytics_replay (day TEXT NOT NULL, currency TEXT NOT NULL, PRIMARY KEY (day, currency));
`;
const BATCH = 50;

export function startAnalyticsExport(options: AnalyticsExportOptions): { stop(): void } {
  const { context, event } = options;
  const sink = context.urls.analytics;
  if (sink === undefined || options.intervalMs <= 0) return { stop() {} };
  const client = options.odoo.withCorrelationId('analytics-export');
  if (context.dataDir !== undefined) mkdirSync(context.dataDir, { recursive: true });
  const db = new DatabaseSync(context.dataDir === undefined ? ':memory:' : join(context.dataDir, 'analytics-export.sqlite'));
  db.exec(SCHEMA);
  const q = {
    sent: db.prepare('SELECT doc, day, currency, amount FROM analytics_sent'),
    markSent: db.prepare(
      'INSERT INTO analytics_sent (doc, day, currency, amount) VALUES (?, ?, ?, ?) ON CONFLICT(doc) DO UPDATE SET day = excluded.day, currency = excluded.currency, amount = excluded.amount',
    ),
    dirty: db.prepare('SELECT day, currency FROM analytics_replay ORDER BY day, currency'),
    markDirty: db.prepare('INSERT OR IGNORE INTO analytics_replay (day, currency) VALUES (?, ?)'),
    clean: db.prepare('DELETE FROM analytics_replay WHERE day = ? AND currency = ?'),
  };
  let stopped = false;
  let cancel: (() => void) | undefined;
  /**
   * Rows Odoo booked that the sink has not taken yet, or a day still to replay: work a run must wait for.
   * Assumed until a pass shows otherwise: an incarnation restarted after a crash cannot know it owes nothing.
   */
  let owing = true;

  const post = async (method: 'POST' | 'PUT', path: string, body: unknown): Promise<Record<string, unknown> | undefined> => {
    const response = await context.fetch(`${sink}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      timeoutMs: options.timeoutMs,
    });
    if (response.status < 200 || response.status >= 300) {
      await response.body?.cancel();
      return undefined;
    }
    return (await response.json()) as Record<string, unknown>;
  };

  const pass = async (): Promise<void> => {
    owing = true;
    const booked = await readBookedRows(client);
    const sent = new Map((q.sent.all() as { doc: string; day: string; currency: string; amount: number }[]).map((r) => [r.doc, r]));
    const now = new Map(booked.map((r) => [r.doc, r]));
    for (const [doc, was] of sent) {
      const row = now.get(doc);
      if (row !== undefined && row.day === was.day && row.currency === was.currency && row.amount === was.amount) continue;
      // The sink holds what this document was: its days come right only by a replay.
      q.markDirty.run(was.day, was.currency);
      if (row === undefined) continue;
      q.markDirty.run(row.day, row.currency);
      q.markSent.run(doc, row.day, row.currency, row.amount);
    }
    const fresh = booked.filter((r) => !sent.has(r.doc));
    // One day and currency per request: a late answer then names the day to replay.
    for (const group of groupByDay(fresh)) {
      for (let i = 0; i < group.rows.length; i += BATCH) {
        const chunk = group.rows.slice(i, i + BATCH);
        const answer = await post('POST', '/events', { events: chunk.map((r) => sinkRow(r, eventId(r))) }).catch(() => undefined);
        if (answer === undefined) {
          // Its answer may have said "late" and been lost: the retry would only hear "duplicate". Replay the day to be sure.
          q.markDirty.run(group.day, group.currency);
          return;
        }
        if (typeof answer.late === 'number' && answer.late > 0) q.markDirty.run(group.day, group.currency);
        for (const row of chunk) q.markSent.run(row.doc, row.day, row.currency, row.amount);
      }
    }
    for (const { day, currency } of q.dirty.all() as { day: string; currency: string }[]) {
      const rows = booked.filter((r) => r.day === day && r.currency === currency);
      const answer = await post('PUT', `/days/${day}/${currency}`, {
        batchId: `odoo-${day}-${currency}-${rows.length}`,
        rows: rows.map((r) => sinkRow(r, eventId(r))),
      });
      if (answer === undefined) return;
      q.clean.run(day, currency);
      event('analytics.day.replayed', `${day}/${currency}`, { rows: rows.length });
    }
    owing = false;
  };

  const arm = (): void => {
    if (stopped) return;
    // A daemon while nothing is owed, so the periodic export does not keep a finished run alive on its own;
    // rows the sink has not taken yet are work left behind, and the run waits for them.
    cancel = context.clock.setTimer(
      options.intervalMs,
      () =>
        void pass()
          .catch(() => undefined)
          .finally(arm),
      { daemon: !owing },
    );
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel?.();
      db.close();
    },
  };
}

function eventId(row: BookedRow): string {
  return `odoo:${row.doc}`;
}

function groupByDay(rows: readonly BookedRow[]): { day: string; currency: string; rows: BookedRow[] }[] {
  const groups = new Map<string, { day: string; currency: string; rows: BookedRow[] }>();
  for (const row of rows) {
    const key = `${row.day}|${row.currency}`;
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { day: row.day, currency: row.currency, rows: [row] });
    else group.rows.push(row);
  }
  return [...groups.values()];
}
