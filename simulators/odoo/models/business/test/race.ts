import type { Database } from '../../../orm/database.ts';
import { Env } from '../../../orm/env.ts';
import { Transaction } from '../../../orm/transaction.ts';

/**
 * Runs `model.method(ids)` as one attempt that got its worker at `startedAt`
 * and commits now (or rolls back on error), as the capacity model runs calls.
 */
export function attempt(db: Database, startedAt: number, model: string, method: string, ids: number[], context: Record<string, unknown> = {}): unknown {
  const tx = new Transaction();
  const env = new Env(db, 2, context, tx, false, startedAt);
  try {
    const result = env.model(model).call(method, ids);
    tx.commit();
    return result;
  } catch (error) {
    tx.rollback(db);
    throw error;
  }
}
