import type { Clock } from '../../../harness/core/clock.ts';
import type { HistoryWriter } from '../../../harness/core/history.ts';
import type { Rng } from '../../../harness/core/rng.ts';
import { Database } from '../orm/database.ts';
import { callKw, runAsSuperuser, type CallRecord } from '../orm/dispatch.ts';
import { AccessDenied, OdooError, PythonError, typeError } from '../orm/errors.ts';
import type { OdooModule } from '../orm/module.ts';
import { Registry } from '../orm/registry.ts';
import { seedBaseData } from '../models/base/seed.ts';
import { AccessLog } from './access-log.ts';
import { refuseNonFiniteRows, refuseUnrepresentable } from './boundary.ts';
import { Auth, DEFAULT_COOLDOWN, pythonInt, type CooldownSettings } from './auth.ts';

export const SERVER_VERSION = '17.0-20240709';

export interface ServerSettings {
  readonly dbName: string;
  readonly adminLogin: string;
  readonly adminPassword: string;
  readonly masterPassword: string;
  readonly companyName: string;
  readonly listDb: boolean;
  readonly serverVersion: string;
  readonly modules: readonly OdooModule[];
  readonly cooldown: CooldownSettings;
  /**
   * Also throttle logins over XML-RPC/JSON-RPC (common.authenticate,
   * execute_kw). Odoo 17 does not: dispatch_rpc borrows the HTTP request away,
   * so _assert_can_auth sees none and only the web login is throttled.
   */
  readonly rpcLoginCooldown: boolean;
  readonly accessLogLimit: number;
}

/** Where a call came from, for the access log and login throttling. */
export interface CallMeta {
  readonly transport: 'xmlrpc' | 'jsonrpc' | 'internal';
  readonly corr?: string;
  /** The client's address: the peer's, or with proxy mode the one the proxy forwarded (login cooldown is per source, like Odoo's). */
  readonly source: string;
  /** Lets the capacity model inspect the call's writes before it commits. */
  readonly record?: CallRecord;
}

/** PostgreSQL's serialization failure, which Odoo's `retrying` re-runs (model code may throw it too). */
export function isSerializationFailure(error: unknown): boolean {
  return error instanceof PythonError && error.pythonType === 'psycopg2.errors.SerializationFailure';
}

interface Tenant {
  readonly db: Database;
  readonly auth: Auth;
}

const registries = new WeakMap<readonly OdooModule[], Registry>();

function registryFor(modules: readonly OdooModule[]): Registry {
  let registry = registries.get(modules);
  if (registry === undefined) registries.set(modules, (registry = new Registry(modules)));
  return registry;
}

/**
 * Odoo's three RPC services over in-memory databases: `common`, `db` and
 * `object`. Transport-neutral: returns a value (undefined = Python's None) or
 * throws an OdooError; the transports put either on the wire.
 */
export class OdooServer {
  readonly settings: ServerSettings;
  readonly registry: Registry;
  readonly clock: Clock;
  readonly accessLog: AccessLog;
  readonly #rng: Rng;
  readonly #tenants = new Map<string, Tenant>();

  constructor(settings: ServerSettings, clock: Clock, rng: Rng, history: HistoryWriter | undefined) {
    this.settings = settings;
    this.clock = clock;
    this.#rng = rng;
    this.registry = registryFor(settings.modules);
    this.accessLog = new AccessLog(history, settings.accessLogLimit);
    this.createDatabase(settings.dbName, settings.adminLogin, settings.adminPassword);
  }

  /** A fresh database with the base data and every module's seed. */
  createDatabase(name: string, login: string, password: string): Database {
    const db = new Database(this.registry, { name, clock: this.clock, rng: this.#rng.fork(`db:${name}`) });
    runAsSuperuser(db, (superuser) => {
      // The chatter a fresh database holds is seeded as such (business/chatter.ts), not logged by the data it loads.
      const env = superuser.withContext({ tracking_disable: true });
      seedBaseData(env, { login, password, companyName: this.settings.companyName });
      for (const module of this.settings.modules) module.seed?.(env);
    });
    this.#tenants.set(name, { db, auth: new Auth(db, this.settings.cooldown) });
    return db;
  }

  database(name = this.settings.dbName): Database {
    const tenant = this.#tenants.get(name);
    if (tenant === undefined) throw new Error(`no database named ${name}; the emulator has ${[...this.#tenants.keys()].join(', ')}`);
    return tenant.db;
  }

  auth(name = this.settings.dbName): Auth {
    const tenant = this.#tenants.get(name);
    if (tenant === undefined) throw new Error(`no database named ${name}`);
    return tenant.auth;
  }

  #tenant(name: unknown): Tenant {
    const tenant = typeof name === 'string' ? this.#tenants.get(name) : undefined;
    if (tenant === undefined) {
      throw new PythonError(
        'psycopg2.OperationalError',
        `connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "${String(name)}" does not exist`,
        'odoo/sql_db.py',
      );
    }
    return tenant;
  }

  dispatch(service: string, method: string, params: readonly unknown[], meta: CallMeta): unknown {
    refuseUnrepresentable(params);
    let result: unknown;
    switch (service) {
      case 'common':
        result = this.#common(method, params, meta);
        break;
      case 'db':
        result = this.#db(method, params);
        break;
      case 'object':
        result = this.#object(method, params, meta);
        break;
      default:
        throw new PythonError('KeyError', `'${service}'`, 'odoo/http.py');
    }
    // A non-stored value computed from huge ones: Odoo fails rounding it, and no client could parse it.
    refuseUnrepresentable(result);
    return result;
  }

  /** The call's record with the non-finite guard run before any other commit hook. */
  #guarded(tenant: Tenant, meta: CallMeta): CallRecord {
    const record: CallRecord = meta.record ?? { ids: [] };
    const next = record.beforeCommit;
    const guard = refuseNonFiniteRows(tenant.db);
    record.beforeCommit = (tx) => {
      guard(tx);
      next?.(tx);
    };
    return record;
  }

  versionInfo(): Record<string, unknown> {
    return { server_version: this.settings.serverVersion, server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 };
  }

  #common(method: string, params: readonly unknown[], meta: CallMeta): unknown {
    switch (method) {
      case 'version':
        return this.versionInfo();
      case 'about':
        return params[0] === true ? ['See http://openerp.com', this.settings.serverVersion] : 'See http://openerp.com';
      case 'login':
        requireArgs('exp_login', ['db', 'login', 'password'], params);
        return this.#authenticate(params[0], params[1], params[2], meta, this.#rpcSource(meta));
      case 'authenticate':
        requireArgs('exp_authenticate', ['db', 'login', 'password', 'user_agent_env'], params);
        return this.#authenticate(params[0], params[1], params[2], meta, this.#rpcSource(meta));
      default:
        throw new PythonError('Exception', `Method not found: ${method}`, 'odoo/service/common.py');
    }
  }

  /** The throttling key of an RPC login: none, as in Odoo, unless rpcLoginCooldown is on. */
  #rpcSource(meta: CallMeta): string | undefined {
    return this.settings.rpcLoginCooldown ? meta.source : undefined;
  }

  #authenticate(dbName: unknown, login: unknown, password: unknown, meta: CallMeta, source: string | undefined): number | false {
    const tenant = this.#tenant(dbName);
    const started = this.clock.now();
    const uid = tenant.auth.authenticate(login, password, source);
    this.accessLog.record(tenant.db, {
      at: started,
      principal: typeof login === 'string' ? login : '?',
      uid: uid === false ? 0 : uid,
      transport: meta.transport,
      model: 'res.users',
      method: 'authenticate',
      ids: uid === false ? [] : [uid],
      outcome: uid === false ? 'fail' : 'ok',
      ...(uid === false ? { error: 'AccessDenied' } : {}),
      ...(meta.corr !== undefined ? { corr: meta.corr } : {}),
      durationMs: 0,
    });
    return uid;
  }

  /** A login for the web client's session routes: the uid, or AccessDenied (which the route shows as an error). */
  sessionLogin(dbName: unknown, login: unknown, password: unknown, meta: CallMeta): number {
    const coolingDown = this.#tenant(dbName).auth.isCoolingDown(meta.source);
    const uid = this.#authenticate(dbName, login, password, meta, meta.source);
    if (uid === false) throw new AccessDenied(coolingDown ? 'Too many login failures, please wait a bit before trying again.' : 'Access Denied');
    return uid;
  }

  /**
   * `/web/dataset/call_kw` as a logged-in session user: no password check (the
   * session is the proof), same transaction, access log and faults as execute_kw.
   */
  callAsSession(dbName: string, uid: number, model: string, method: string, args: unknown, kwargs: unknown, meta: CallMeta): unknown {
    const tenant = this.#tenant(dbName);
    const started = this.clock.now();
    const record = this.#guarded(tenant, meta);
    try {
      refuseUnrepresentable(args);
      refuseUnrepresentable(kwargs);
      if (!Array.isArray(args)) throw typeError(`odoo.api.call_kw() argument after * must be an iterable, not ${pythonTypeName(args)}`);
      const kw = kwargs !== null && typeof kwargs === 'object' && !Array.isArray(kwargs) ? (kwargs as Record<string, unknown>) : {};
      const result = callKw(tenant.db, uid, model, method, args, kw, record);
      refuseUnrepresentable(result);
      this.#log(tenant, started, uid, model, method, record.ids, undefined, meta);
      return result;
    } catch (error) {
      if (record.willRetry?.(error) !== true) this.#log(tenant, started, uid, model, method, record.ids, error, meta);
      throw error;
    }
  }

  /** What `/web/session/authenticate` answers (a subset of Odoo 17's session_info). */
  sessionInfo(dbName: string, uid: number): Record<string, unknown> {
    const db = this.database(dbName);
    const user = db.table('res.users').rows.get(uid);
    const partner = user === undefined ? undefined : db.table('res.partner').rows.get(user.partner_id as number);
    const company = db.table('res.company').rows.get(db.companyId);
    return {
      uid,
      is_system: uid === 2,
      is_admin: uid === 2,
      user_context: { lang: partner?.lang ?? 'en_US', tz: partner?.tz ?? false, uid },
      db: dbName,
      server_version: this.settings.serverVersion,
      server_version_info: [17, 0, 0, 'final', 0, ''],
      support_url: 'https://www.odoo.com/buy',
      name: partner?.name ?? false,
      username: user?.login ?? false,
      partner_display_name: partner?.complete_name ?? partner?.name ?? false,
      partner_id: user?.partner_id ?? false,
      company_id: db.companyId,
      user_companies: {
        current_company: db.companyId,
        allowed_companies: { [String(db.companyId)]: { id: db.companyId, name: company?.name ?? '', sequence: company?.sequence ?? 10 } },
      },
      'web.base.url': 'http://localhost:8069',
      active_ids_limit: 20000,
      max_file_upload_size: 134217728,
    };
  }

  #db(method: string, params: readonly unknown[]): unknown {
    switch (method) {
      case 'server_version':
        return this.settings.serverVersion;
      case 'db_exist':
        return typeof params[0] === 'string' && this.#tenants.has(params[0]);
      case 'list':
        if (!this.settings.listDb) throw new AccessDenied();
        return [...this.#tenants.keys()].sort();
      case 'list_lang':
        return [['en_US', 'English (US)']];
      case 'create_database':
      case 'drop':
      case 'change_admin_password':
      case 'duplicate_database':
      case 'rename':
      case 'dump':
      case 'restore':
      case 'migrate_databases':
        return this.#dbAdmin(method, params);
      default:
        throw new PythonError('KeyError', `'Method not found: ${method}'`, 'odoo/service/db.py');
    }
  }

  #dbAdmin(method: string, params: readonly unknown[]): unknown {
    if (!this.settings.listDb) throw new AccessDenied();
    const [master, ...rest] = params;
    if (this.settings.masterPassword === '' || master !== this.settings.masterPassword) throw new AccessDenied();
    switch (method) {
      case 'create_database': {
        const [name, , , userPassword = 'admin', login = 'admin'] = rest;
        if (typeof name !== 'string' || !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(name)) {
          throw new PythonError('Exception', `Invalid database name '${String(name)}'. Use letters, digits, '_', '-' and '.'`, 'odoo/service/db.py');
        }
        if (this.#tenants.has(name)) throw new PythonError('odoo.service.db.DatabaseExists', `database "${name}" already exists!`, 'odoo/service/db.py');
        this.createDatabase(name, String(login), String(userPassword));
        return true;
      }
      case 'drop': {
        const [name] = rest;
        if (typeof name !== 'string' || !this.#tenants.has(name)) return false;
        this.#tenants.delete(name);
        return true;
      }
      default:
        throw new PythonError('NotImplementedError', `db.${method} is not emulated by Faultline`, 'odoo/service/db.py');
    }
  }

  #object(method: string, params: readonly unknown[], meta: CallMeta): unknown {
    if (method !== 'execute' && method !== 'execute_kw') throw new PythonError('NameError', `Method not available ${method}`, 'odoo/service/model.py');
    if (params.length < 3) throw new PythonError('IndexError', 'tuple index out of range', 'odoo/service/model.py');
    const [dbName, rawUid, password] = params;
    const tenant = this.#tenant(dbName);
    const started = this.clock.now();
    let uid = 0;
    try {
      uid = pythonInt(rawUid);
    } catch {
      // int() fails below with Odoo's own error, after the log entry is prepared.
    }
    const modelName = typeof params[3] === 'string' ? params[3] : pythonStr(params[3]);
    const methodName = typeof params[4] === 'string' ? params[4] : pythonStr(params[4]);
    const record = this.#guarded(tenant, meta);
    try {
      uid = tenant.auth.check(rawUid, password, this.#rpcSource(meta));
      // Odoo checks the method name with a regular expression, then looks the model up in a dict.
      if (typeof params[4] !== 'string') throw typeError(`expected string or bytes-like object, got '${pythonTypeName(params[4])}'`);
      if (params[3] !== null && typeof params[3] === 'object') throw typeError(`unhashable type: '${pythonTypeName(params[3])}'`);
      let positional: unknown[];
      let kwargs: Record<string, unknown>;
      if (method === 'execute_kw') {
        if (params.length < 6) throw typeError(`execute_kw() missing ${6 - params.length} required positional argument${params.length === 5 ? '' : 's'}`);
        if (params.length > 7) throw typeError(`execute_kw() takes from 5 to 6 positional arguments but ${params.length - 2} were given`);
        const args = params[5];
        const kw = params[6];
        if (!Array.isArray(args)) throw typeError(`odoo.api.call_kw() argument after * must be an iterable, not ${pythonTypeName(args)}`);
        if (kw !== undefined && kw !== null && kw !== false && (typeof kw !== 'object' || Array.isArray(kw))) {
          throw typeError(`odoo.service.model.execute() argument after ** must be a mapping, not ${pythonTypeName(kw)}`);
        }
        positional = args;
        kwargs = (kw && typeof kw === 'object' ? kw : {}) as Record<string, unknown>;
      } else {
        if (params.length < 5) throw typeError('execute() missing required positional arguments');
        positional = params.slice(5) as unknown[];
        kwargs = {};
      }
      const result = callKw(tenant.db, uid, modelName, methodName, positional, kwargs, record);
      this.#log(tenant, started, uid, modelName, methodName, record.ids, undefined, meta);
      return result;
    } catch (error) {
      if (record.willRetry?.(error) !== true) this.#log(tenant, started, uid, modelName, methodName, record.ids, error, meta);
      throw error;
    }
  }

  #log(tenant: Tenant, started: number, uid: number, model: string, method: string, ids: readonly number[], error: unknown, meta: CallMeta): void {
    const failed = error !== undefined;
    this.accessLog.record(tenant.db, {
      at: started,
      principal: tenant.auth.principal(uid),
      uid,
      transport: meta.transport,
      model,
      method,
      ids,
      outcome: failed ? 'fail' : 'ok',
      ...(failed ? { error: describeError(error) } : {}),
      ...(meta.corr !== undefined ? { corr: meta.corr } : {}),
      durationMs: this.clock.now() - started,
    });
  }
}

function describeError(error: unknown): string {
  if (error instanceof PythonError) return error.lastLine();
  if (error instanceof OdooError) return `${error.pythonName}: ${error.message}`;
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/** Python's str() of a scalar, for names that are not strings ("Object 5 doesn't exist"). */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

function requireArgs(fn: string, names: readonly string[], params: readonly unknown[]): void {
  if (params.length < names.length) {
    const missing = names.slice(params.length).map((name) => `'${name}'`);
    const list = missing.length === 1 ? missing[0] : `${missing.slice(0, -1).join(', ')} and ${missing[missing.length - 1]}`;
    throw typeError(`${fn}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`);
  }
  if (params.length > names.length) throw typeError(`${fn}() takes ${names.length} positional arguments but ${params.length} were given`);
}

export { DEFAULT_COOLDOWN };
