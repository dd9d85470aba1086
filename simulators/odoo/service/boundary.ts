import type { Database } from '../orm/database.ts';
import { PythonError } from '../orm/errors.ts';
import type { Transaction } from '../orm/transaction.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';

/**
 * Numbers a real Odoo cannot take in or hand out. Its float fields and
 * domains go through float_round, which fails on infinity and NaN; integers
 * beyond PostgreSQL's range fail in SQL. The emulator refuses them at the door
 * with the same errors instead of storing them: a stored Infinity would be
 * served as a bare `Infinity`, which no JSON client parses. Integers beyond
 * 2^53 arrive as BigInt from the decoders (JavaScript numbers would round them).
 */
export function refuseUnrepresentable(value: unknown): void {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw nonFinite(value);
      return;
    case 'bigint':
      throw new PythonError('psycopg2.errors.NumericValueOutOfRange', 'integer out of range', 'odoo/sql_db.py');
    case 'object':
      if (value === null) return;
      if (value instanceof PyFloat) {
        if (!Number.isFinite(value.value)) throw nonFinite(value.value);
        return;
      }
      if (Array.isArray(value)) {
        for (const item of value) refuseUnrepresentable(item);
        return;
      }
      if (Object.getPrototypeOf(value) === Object.prototype) for (const key in value) refuseUnrepresentable((value as Record<string, unknown>)[key]);
      return;
    default:
  }
}

function nonFinite(value: number): PythonError {
  return Number.isNaN(value)
    ? new PythonError('ValueError', 'cannot convert float NaN to integer', 'odoo/tools/float_utils.py')
    : new PythonError('OverflowError', 'cannot convert float infinity to integer', 'odoo/tools/float_utils.py');
}

/**
 * A commit hook that rolls the call back when a row it wrote holds a
 * non-finite number, e.g. a total computed from two huge finite amounts
 * (1e300 × 1e300): Odoo's float_round fails on it before anything is stored.
 */
export function refuseNonFiniteRows(db: Database): (tx: Transaction) => void {
  return (tx) => {
    for (const key of tx.written) {
      const colon = key.lastIndexOf(':');
      const row = db.table(key.slice(0, colon)).rows.get(Number(key.slice(colon + 1)));
      if (row === undefined) continue;
      for (const name in row) {
        const value = (row as Record<string, unknown>)[name];
        if (typeof value === 'number' && !Number.isFinite(value)) throw nonFinite(value);
      }
    }
  };
}
