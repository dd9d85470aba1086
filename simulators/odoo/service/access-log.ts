import { formatOdooDatetime } from '../../../harness/core/clock.ts';
import type { HistoryWriter } from '../../../harness/core/history.ts';
import type { Database } from '../orm/database.ts';

export interface AccessLogEntry {
  readonly at: number;
  readonly principal: string;
  readonly uid: number;
  readonly transport: 'xmlrpc' | 'jsonrpc' | 'internal';
  readonly model: string;
  readonly method: string;
  readonly ids: readonly number[];
  readonly outcome: 'ok' | 'fail';
  readonly error?: string;
  readonly corr?: string;
  readonly durationMs: number;
}

/**
 * Appends each call to the database's `faultline.access.log` rows (outside any
 * transaction: failed calls are logged too) and to the run's history as an
 * `odoo` event. Keeps at most `limit` rows, dropping the oldest.
 */
export class AccessLog {
  readonly #history: HistoryWriter | undefined;
  readonly #limit: number;

  constructor(history: HistoryWriter | undefined, limit: number) {
    this.#history = history;
    this.#limit = limit;
  }

  record(db: Database, entry: AccessLogEntry): void {
    if (this.#limit > 0) {
      const table = db.table('faultline.access.log');
      const id = table.nextId++;
      const at = entry.at === db.clock.now() ? db.nowDatetime() : formatOdooDatetime(entry.at);
      table.rows.set(id, {
        id,
        at,
        at_ms: entry.at,
        principal: entry.principal,
        uid: entry.uid,
        transport: entry.transport,
        model: entry.model,
        method: entry.method,
        res_ids: entry.ids.join(','),
        outcome: entry.outcome,
        error: entry.error ?? false,
        corr: entry.corr ?? false,
        duration_ms: entry.durationMs,
        create_uid: 1,
        write_uid: 1,
        create_date: at,
        write_date: at,
      });
      // Ids only grow, so the row to drop is known without iterating the Map.
      if (table.rows.size > this.#limit) table.rows.delete(id - this.#limit);
    }
    this.#history?.append({
      kind: 'odoo',
      principal: entry.principal,
      model: entry.model,
      method: entry.method,
      outcome: entry.outcome,
      ...(entry.ids.length > 0 ? { ids: [...entry.ids] } : {}),
      ...(entry.corr !== undefined ? { corr: entry.corr } : {}),
      ...(entry.error !== undefined ? { error: entry.error } : {}),
    });
  }

  /** The logged calls of a database, oldest first. */
  entries(db: Database): AccessLogEntry[] {
    const result: AccessLogEntry[] = [];
    for (const row of db.table('faultline.access.log').rows.values()) {
      result.push({
        at: row.at_ms as number,
        principal: row.principal as string,
        uid: row.uid as number,
        transport: row.transport as AccessLogEntry['transport'],
        model: row.model as string,
        method: row.method as string,
        ids: row.res_ids === '' ? [] : String(row.res_ids).split(',').map(Number),
        outcome: row.outcome as 'ok' | 'fail',
        ...(typeof row.error === 'string' ? { error: row.error } : {}),
        ...(typeof row.corr === 'string' ? { corr: row.corr } : {}),
        durationMs: row.duration_ms as number,
      });
    }
    return result;
  }
}
