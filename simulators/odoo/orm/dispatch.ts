import { idsOf } from './base-methods.ts';
import { Env } from './env.ts';
import { AccessError, PythonError, typeError, UserError } from './errors.ts';
import type { Database } from './database.ts';
import type { Args, MethodSpec } from './model.ts';
import { findMethod } from './records.ts';
import { enforceRpcAccess } from './rpc-access.ts';
import type { CompiledModel } from './registry.ts';
import { Transaction } from './transaction.ts';

const PRIVATE = /^(_.*|init)$/;

/** Odoo's check_method_name: private names never reach a model (fault code 4). */
export function checkMethodName(method: string): void {
  if (PRIVATE.test(method)) throw new AccessError(`Private methods (such as ${method}) cannot be called remotely.`);
}

/** `sale.order` → `SaleOrder`, how Python names the class in TypeErrors. */
function className(model: CompiledModel, own: boolean): string {
  if (!own) return 'BaseModel';
  return model.name
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/**
 * Binds positional args and kwargs to the method's parameters the way Python
 * does, with Python's TypeError texts for mistakes. Returns the ids for record
 * methods (Odoo's `browse(args[0])`).
 */
export function bindArguments(
  model: CompiledModel,
  method: string,
  spec: MethodSpec,
  positional: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
): { ids: number[]; args: Args } {
  let ids: number[] = [];
  let rest = positional;
  if (spec.model !== true) {
    if (positional.length === 0) throw new PythonError('IndexError', 'tuple index out of range');
    ids = idsOf(positional[0]);
    rest = positional.slice(1);
  }
  const params = spec.params ?? [];
  const required = spec.required ?? params.length;
  // Only TypeError texts need the Python name; build it lazily (every call binds arguments).
  let name: string | undefined;
  const qualifiedName = (): string => (name ??= `${className(model, model.methods.has(method))}.${method}()`);
  if (rest.length > params.length) {
    const lo = required + 1;
    const hi = params.length + 1;
    const takes = lo === hi ? `${hi} positional argument${hi === 1 ? '' : 's'}` : `from ${lo} to ${hi} positional arguments`;
    throw typeError(`${qualifiedName()} takes ${takes} but ${rest.length + 1} were given`);
  }
  const args: Args = {};
  for (let i = 0; i < rest.length; i++) args[params[i]!] = rest[i];
  for (const [key, value] of Object.entries(kwargs)) {
    if (key === 'context') continue;
    if (!params.includes(key)) {
      if (spec.anyKwargs === true) continue;
      throw typeError(`${qualifiedName()} got an unexpected keyword argument '${key}'`);
    }
    if (key in args) throw typeError(`${qualifiedName()} got multiple values for argument '${key}'`);
    args[key] = value;
  }
  const missing = params.slice(0, required).filter((name) => !(name in args));
  if (missing.length > 0) {
    const names = missing.map((name) => `'${name}'`);
    const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
    throw typeError(`${qualifiedName()} missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
  }
  return { ids, args };
}

/** What one object-service call did, for the access log; and a hook before it commits. */
export interface CallRecord {
  ids: number[];
  /** Runs after the method, before commit; may throw to roll the call back (conflict detection). */
  beforeCommit?: (tx: Transaction) => void;
  /** The rows the call wrote, set after commit. */
  written?: ReadonlySet<string>;
  /** With the capacity model: when this attempt got its worker (becomes `env.startedAt`). */
  startedAt?: number;
  /** Whether the caller will re-run the call after this error (then it is not access-logged). */
  willRetry?: (error: unknown) => boolean;
}

/**
 * Odoo's api.call_kw inside one transaction: resolves model and method, binds
 * the arguments, runs, and commits, or rolls back everything on an error.
 */
export function callKw(
  db: Database,
  uid: number,
  modelName: string,
  method: string,
  positional: readonly unknown[],
  kwargs: Readonly<Record<string, unknown>>,
  record?: CallRecord,
): unknown {
  checkMethodName(method);
  const model = db.registry.models.get(modelName);
  if (model === undefined) throw new UserError(`Object ${modelName} doesn't exist`);
  const spec = findMethod(model, method);
  if (spec === undefined) throw new PythonError('AttributeError', `The method '${method}' does not exist on the model '${modelName}'`);
  const context = kwargs.context;
  const tx = new Transaction();
  const env = new Env(
    db,
    uid,
    context !== null && typeof context === 'object' && !Array.isArray(context) ? (context as Record<string, unknown>) : {},
    tx,
    false,
    record?.startedAt,
  );
  try {
    const { ids, args } = bindArguments(model, method, spec, positional, kwargs);
    if (model.readonlyOverRpc && (method === 'create' || method === 'write' || method === 'unlink' || method === 'copy')) {
      throw new AccessError(`You are not allowed to modify '${model.description}' (${model.name}) records.`);
    }
    enforceRpcAccess(env, model, method, spec, ids, args);
    if (record !== undefined) record.ids = ids;
    const result = spec.run({ env, model: env.model(modelName), ids, args });
    tx.flushPrecommit();
    if (record !== undefined && method === 'create') record.ids = Array.isArray(result) ? (result as number[]) : [result as number];
    record?.beforeCommit?.(tx);
    if (record !== undefined) record.written = tx.written;
    tx.commit();
    return result;
  } catch (error) {
    tx.rollback(db);
    throw error;
  }
}

/** Runs `fn` as superuser in its own transaction (seeding, harness inspection). */
export function runAsSuperuser<T>(db: Database, fn: (env: Env) => T, uid = 1): T {
  const tx = new Transaction();
  const env = new Env(db, uid, {}, tx, true);
  try {
    const result = fn(env);
    tx.flushPrecommit();
    tx.commit();
    return result;
  } catch (error) {
    tx.rollback(db);
    throw error;
  }
}
