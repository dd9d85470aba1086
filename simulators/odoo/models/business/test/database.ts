import { createRng } from '../../../../../harness/core/rng.ts';
import { VirtualScheduler } from '../../../../../harness/core/scheduler.ts';
import { Database } from '../../../orm/database.ts';
import { callKw, runAsSuperuser } from '../../../orm/dispatch.ts';
import { OdooError } from '../../../orm/errors.ts';
import { Registry } from '../../../orm/registry.ts';
import { PyFloat } from '../../../../../harness/wire/python-float.ts';
import { baseModule } from '../../base/index.ts';
import { seedBaseData } from '../../base/seed.ts';
import { businessModule } from '../index.ts';

/**
 * A fresh in-process database with the base and business modules, for the
 * business rules' own tests: no transport, so a test can call a method the way
 * execute_kw would and look at what Odoo would have answered.
 */
export interface TestDatabase {
  readonly db: Database;
  readonly clock: VirtualScheduler;
  /** execute_kw as admin (uid 2). Wire floats are unwrapped to plain numbers. */
  call(model: string, method: string, args?: readonly unknown[], kwargs?: Record<string, unknown>): unknown;
  /** The same call, returning the Odoo error it raised (or failing the test when it succeeds). */
  fault(model: string, method: string, args?: readonly unknown[], kwargs?: Record<string, unknown>): OdooError;
}

let registry: Registry | undefined;

export function freshDatabase(epochMs = Date.UTC(2026, 10, 27, 3, 50, 0)): TestDatabase {
  registry ??= new Registry([baseModule, businessModule]);
  const clock = new VirtualScheduler(epochMs);
  const db = new Database(registry, { name: 'test', clock, rng: createRng(1) });
  runAsSuperuser(db, (env) => {
    seedBaseData(env, { login: 'admin', password: 'admin', companyName: 'My Company' });
    businessModule.seed?.(env);
  });
  const call = (model: string, method: string, args: readonly unknown[] = [], kwargs: Record<string, unknown> = {}): unknown =>
    plain(callKw(db, 2, model, method, args, kwargs));
  return {
    db,
    clock,
    call,
    fault(model, method, args = [], kwargs = {}) {
      try {
        call(model, method, args, kwargs);
      } catch (error) {
        if (error instanceof OdooError) return error;
        throw error;
      }
      throw new Error(`${model}.${method} was expected to fault but succeeded`);
    },
  };
}

export function plain(value: unknown): unknown {
  if (value instanceof PyFloat) return value.value;
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}
