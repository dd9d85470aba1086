/**
 * The Odoo 17 emulator: Odoo's external API (XML-RPC, JSON-RPC) over an
 * in-memory ORM, as a Faultline System. See ARCHITECTURE.md.
 */
import type { System, SystemContext } from '../../harness/core/system.ts';
import { HEADERS } from '../../harness/core/system.ts';
import { ODOO_READ_METHODS } from '../../harness/core/odoo-reads.ts';
import { DEFAULT_MODULES } from './modules.ts';
import type { Database } from './orm/database.ts';
import { callKw, runAsSuperuser, type CallRecord } from './orm/dispatch.ts';
import type { Env } from './orm/env.ts';
import { serializationFailure } from './orm/errors.ts';
import type { Conflict, ConflictCall, OdooModule } from './orm/module.ts';
import type { AccessLogEntry } from './service/access-log.ts';
import { DEFAULT_COOLDOWN, type CooldownSettings } from './service/auth.ts';
import { Capacity, QueueFullError, type CapacityOptions } from './service/capacity.ts';
import { isSerializationFailure, OdooServer, SERVER_VERSION, type CallMeta } from './service/server.ts';
import { handleJsonRpc, jsonRpcError } from './transport/jsonrpc.ts';
import { WebSessions } from './transport/web-session.ts';
import { parsePythonJson, pythonJson } from './transport/python-json.ts';
import { faultFor } from './transport/xmlrpc.ts';
import { decodeXmlBody } from './transport/xml-body.ts';
import { decodeMethodCall, encodeMethodResponse, type MethodCall } from '../../harness/wire/xmlrpc.ts';

export type { AccessLogEntry } from './service/access-log.ts';
export type { CapacityOptions } from './service/capacity.ts';
export { DEFAULT_SERVICE_TIMES_MS } from './service/capacity.ts';
export { DEFAULT_MODULES, PLATFORM_MODULES } from './modules.ts';

export interface OdooEmulatorOptions {
  /** Database name (default `odoo`). */
  readonly db?: string;
  readonly adminLogin?: string;
  readonly adminPassword?: string;
  /** The master password for db.create_database/drop (default `admin`; '' forbids them). */
  readonly masterPassword?: string;
  readonly companyName?: string;
  /** Odoo's list_db: db.list and database management allowed (default true). */
  readonly listDb?: boolean;
  readonly serverVersion?: string;
  /** Installed modules (default: base + business flows). */
  readonly modules?: readonly OdooModule[];
  /** The worker/queueing model; `true` for the calibrated defaults. Default off. */
  readonly capacity?: CapacityOptions | boolean;
  /** Largest request body accepted, in bytes (default 16 MiB); larger ones get HTTP 413. */
  readonly maxBodyBytes?: number;
  /** Access log rows kept per database (oldest dropped; default 100,000; 0 keeps none, history still gets events). */
  readonly accessLogLimit?: number;
  readonly loginCooldown?: CooldownSettings;
  /**
   * Odoo's --proxy-mode: trust X-Forwarded-For (its last entry, as werkzeug's
   * ProxyFix with x_for=1) when X-Forwarded-Host is present. Off by default,
   * as in Odoo, so a client cannot pick its own throttling key.
   */
  readonly proxyMode?: boolean;
  /** Throttle failed logins over XML-RPC/JSON-RPC too; Odoo 17 throttles only the web login (default false). */
  readonly rpcLoginCooldown?: boolean;
}

/**
 * The header a server in front of the emulator sets to the TCP peer's
 * address (serveOdoo overwrites any a client sends). Without it the peer is
 * `local`: the in-process network of a simulated run.
 */
export const PEER_HEADER = 'x-faultline-peer';

export interface OdooEmulator extends System {
  readonly dbName: string;
  readonly server: OdooServer;
  /** The worker pool when the capacity model is on. */
  readonly capacity: Capacity | undefined;
  database(name?: string): Database;
  /**
   * An object-service call without the wire (in-process, no codec), as `uid`
   * (default admin, 2). Returns the result or throws the Odoo error.
   */
  execute(
    model: string,
    method: string,
    args?: readonly unknown[],
    kwargs?: Readonly<Record<string, unknown>>,
    options?: { uid?: number; db?: string },
  ): unknown;
  /** Runs `fn` as superuser in one transaction (tests and the harness inspecting state). */
  withEnv<T>(fn: (env: Env) => T, db?: string): T;
  accessLog(db?: string): AccessLogEntry[];
  /** Creates an integration user (like res.users.create over RPC); returns its uid. */
  createUser(user: { login: string; password: string; name?: string }, db?: string): number;
  /** Gives a user an API key usable in place of the password over RPC; returns the key. */
  addApiKey(login: string, db?: string): string;
}

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

export function isWriteCall(service: string, method: string, params: readonly unknown[]): boolean {
  if (service !== 'object') return false;
  const modelMethod = method === 'execute_kw' || method === 'execute' ? params[4] : undefined;
  // Model methods that only read: a serialization failure never hits them.
  return typeof modelMethod === 'string' && !ODOO_READ_METHODS.has(modelMethod);
}

function readOptions(raw: unknown): OdooEmulatorOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TypeError(`Odoo emulator options must be an object, got ${JSON.stringify(raw)}`);
  const options = raw as Record<string, unknown>;
  const expect = (key: string, type: 'string' | 'boolean' | 'number'): void => {
    if (options[key] !== undefined && typeof options[key] !== type) {
      throw new TypeError(`Odoo emulator option "${key}" must be a ${type}, got ${JSON.stringify(options[key])}`);
    }
  };
  for (const key of ['db', 'adminLogin', 'adminPassword', 'masterPassword', 'companyName', 'serverVersion']) expect(key, 'string');
  expect('listDb', 'boolean');
  expect('proxyMode', 'boolean');
  expect('rpcLoginCooldown', 'boolean');
  expect('maxBodyBytes', 'number');
  expect('accessLogLimit', 'number');
  if (options.db !== undefined && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(options.db as string)) {
    throw new TypeError(`Odoo emulator option "db" must be a database name of letters, digits, '_', '-' and '.', got ${JSON.stringify(options.db)}`);
  }
  if (options.capacity !== undefined && typeof options.capacity !== 'boolean' && (typeof options.capacity !== 'object' || options.capacity === null)) {
    throw new TypeError(
      `Odoo emulator option "capacity" must be true, false or { workers, serviceTimesMs, jitter, queueLimit }, got ${JSON.stringify(options.capacity)}`,
    );
  }
  return options as OdooEmulatorOptions;
}

function xmlResponse(body: string): Response {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
}

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8' } });
}

/** A commit seen by the conflict detector: when, which rows, which call. */
interface CommitRecord {
  readonly at: number;
  readonly rows: ReadonlySet<string>;
  readonly call: ConflictCall;
}

const MAX_TRIES = 5;

export function createOdooEmulator(context: SystemContext, rawOptions?: OdooEmulatorOptions | Readonly<Record<string, unknown>>): OdooEmulator {
  const options = readOptions(rawOptions ?? context.config);
  const dbName = options.db ?? 'odoo';
  const modules = options.modules ?? DEFAULT_MODULES;
  const server = new OdooServer(
    {
      dbName,
      adminLogin: options.adminLogin ?? 'admin',
      adminPassword: options.adminPassword ?? 'admin',
      masterPassword: options.masterPassword ?? 'admin',
      companyName: options.companyName ?? 'My Company',
      listDb: options.listDb ?? true,
      serverVersion: options.serverVersion ?? SERVER_VERSION,
      modules,
      cooldown: options.loginCooldown ?? DEFAULT_COOLDOWN,
      rpcLoginCooldown: options.rpcLoginCooldown ?? false,
      accessLogLimit: options.accessLogLimit ?? 100_000,
    },
    context.clock,
    context.rng.fork('odoo'),
    context.history,
  );
  const capacity =
    options.capacity === undefined || options.capacity === false
      ? undefined
      : new Capacity(context.clock, context.rng.fork('odoo.capacity'), options.capacity === true ? {} : options.capacity);
  const maxBody = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  // call_kw is execute_kw with the session's credentials: the injected fault strikes its writes alike.
  const sessions = new WebSessions(server, (model, method) => strikesSerializationFailure('object', 'execute_kw', [dbName, 0, '', model, method]));
  const commits: CommitRecord[] = [];
  /** Chance that a write call fails with a serialization error, while that fault is on. */
  let serializationFailureChance: number | undefined;
  const faultRng = context.rng.fork('odoo.faults');

  /** Runs one call on a worker: queue, service time, then the call at its commit point, retried on conflicts like Odoo. */
  async function onWorker(service: string, method: string, params: readonly unknown[], meta: CallMeta): Promise<unknown> {
    const pool = capacity!;
    const model = service === 'object' && typeof params[3] === 'string' ? params[3] : undefined;
    const modelMethod = service === 'object' && typeof params[4] === 'string' ? params[4] : method;
    const release = await pool.acquire();
    try {
      for (let tryNo = 1; ; tryNo++) {
        const started = context.clock.now();
        await pool.sleep(pool.serviceTime(service, model, modelMethod));
        if (service !== 'object') return server.dispatch(service, method, params, meta);
        const record: CallRecord = {
          ids: [],
          startedAt: started,
          willRetry: (error) => isSerializationFailure(error) && tryNo < MAX_TRIES,
          beforeCommit: (tx) => {
            const loser: ConflictCall = { model: model ?? '', method: modelMethod, ids: [...record.ids] };
            for (const commit of commits) {
              if (commit.at <= started) continue;
              const rows = [...tx.written].filter((row) => commit.rows.has(row));
              if (rows.length === 0) continue;
              const conflict: Conflict = { loser, winner: commit.call, rows, tryNo };
              for (const module of modules) {
                const error = module.onConflict?.(conflict);
                if (error !== undefined) throw error;
              }
              throw serializationFailure();
            }
          },
        };
        try {
          const result = server.dispatch(service, method, params, { ...meta, record });
          if (record.written !== undefined && record.written.size > 0) {
            commits.push({ at: context.clock.now(), rows: new Set(record.written), call: { model: model ?? '', method: modelMethod, ids: record.ids } });
            const horizon = context.clock.now() - 120_000;
            while (commits.length > 0 && commits[0]!.at < horizon) commits.shift();
          }
          return result;
        } catch (error) {
          // Odoo's retrying(): a serialization failure (ours or thrown by model code) re-runs the call after a random pause.
          if (!record.willRetry!(error)) throw error;
          await pool.sleep(pool.retryPauseMs(tryNo));
        }
      }
    } finally {
      release();
    }
  }

  /** Whether the serialization-failure fault strikes this call: only writes, drawn from the fault stream. */
  function strikesSerializationFailure(service: string, method: string, params: readonly unknown[]): boolean {
    return serializationFailureChance !== undefined && isWriteCall(service, method, params) && faultRng.chance(serializationFailureChance);
  }

  async function invoke(service: string, method: string, params: readonly unknown[], meta: CallMeta): Promise<unknown> {
    if (strikesSerializationFailure(service, method, params)) {
      // What a client sees once Odoo's own retries on a concurrent update are exhausted: the call fails, nothing is committed.
      throw serializationFailure();
    }
    if (capacity === undefined) return server.dispatch(service, method, params, meta);
    return onWorker(service, method, params, meta);
  }

  async function readBytes(request: Request): Promise<Uint8Array | Response> {
    const declared = Number(request.headers.get('content-length') ?? '0');
    const tooLarge = (size: number): Response =>
      textResponse(413, `413 Request Entity Too Large: the body has ${size} bytes and this emulator accepts at most ${maxBody} (option maxBodyBytes).`);
    if (declared > maxBody) return tooLarge(declared);
    const bytes = new Uint8Array(await request.arrayBuffer());
    if (bytes.byteLength > maxBody) return tooLarge(bytes.byteLength);
    return bytes;
  }

  /**
   * A JSON body's text. Odoo reads it with werkzeug's get_data(as_text=True):
   * UTF-8 whatever the declared charset, invalid bytes replaced by U+FFFD
   * (checked on a real Odoo 17), so the emulator does the same.
   */
  async function readBody(request: Request): Promise<string | Response> {
    const bytes = await readBytes(request);
    return bytes instanceof Response ? bytes : new TextDecoder('utf-8').decode(bytes);
  }

  function metaOf(request: Request, transport: 'xmlrpc' | 'jsonrpc'): CallMeta {
    const corr = request.headers.get(HEADERS.correlationId) ?? undefined;
    const peer = request.headers.get(PEER_HEADER) || 'local';
    const forwarded =
      options.proxyMode === true && request.headers.has('x-forwarded-host') ? request.headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
    const source = forwarded || peer;
    return corr === undefined ? { transport, source } : { transport, source, corr };
  }

  /** `legacy`: the old `/xmlrpc/<service>` routes, whose fault codes are strings. */
  async function xmlrpc(request: Request, service: string, legacy: boolean): Promise<Response> {
    const bytes = await readBytes(request);
    if (bytes instanceof Response) return bytes;
    let call: MethodCall;
    try {
      call = decodeMethodCall(decodeXmlBody(bytes));
    } catch (error) {
      return xmlResponse(faultFor(error, legacy));
    }
    let result: unknown;
    try {
      result = await invoke(service, call.methodName, call.params, metaOf(request, 'xmlrpc'));
    } catch (error) {
      if (error instanceof QueueFullError) return textResponse(503, `503 Service Unavailable: ${error.message}`);
      return xmlResponse(faultFor(error, legacy));
    }
    try {
      return xmlResponse(encodeMethodResponse(result));
    } catch (error) {
      // Odoo commits first, then fails to marshal None: the change stays.
      return xmlResponse(faultFor(error, legacy));
    }
  }

  /** A well-formed JSON-RPC call the serialization-failure fault strikes (its id for the answer), or undefined. */
  function struckJsonRpcCall(body: string): { id: unknown } | undefined {
    let call: { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
    try {
      call = parsePythonJson(body, { floats: false }) as typeof call;
    } catch {
      return undefined;
    }
    const params = call?.params;
    if (params === undefined || params === null || typeof params.service !== 'string' || typeof params.method !== 'string' || !Array.isArray(params.args))
      return undefined;
    return strikesSerializationFailure(params.service, params.method, params.args) ? { id: call.id ?? null } : undefined;
  }

  async function jsonrpc(request: Request): Promise<Response> {
    const body = await readBody(request);
    if (body instanceof Response) return body;
    const meta = metaOf(request, 'jsonrpc');
    const contentType = request.headers.get('content-type');
    if (capacity === undefined) {
      // The injected fault reaches JSON-RPC clients too (it used to strike XML-RPC only).
      const struck = serializationFailureChance === undefined ? undefined : struckJsonRpcCall(body);
      if (struck !== undefined)
        return new Response(pythonJson({ jsonrpc: '2.0', id: struck.id, error: jsonRpcError(serializationFailure()) }), {
          status: 200,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        });
      const outcome = handleJsonRpc(server, contentType, body, meta);
      return new Response(outcome.body, { status: outcome.status, headers: { 'content-type': outcome.contentType } });
    }
    // With workers: find the call first, then queue it.
    let parsed: { id: unknown; service: string; method: string; args: unknown[] } | undefined;
    try {
      // Plain numbers as before (no PyFloat), but huge integers kept and deep nesting refused like the plain path.
      const request = parsePythonJson(body, { floats: false }) as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
      const params = request.params;
      if (params !== undefined && typeof params.service === 'string' && typeof params.method === 'string' && Array.isArray(params.args)) {
        parsed = { id: request.id ?? null, service: params.service, method: params.method, args: params.args };
      }
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined || !/^application\/json(-rpc)?$/i.test((contentType ?? '').split(';')[0]!.trim())) {
      const outcome = handleJsonRpc(server, contentType, body, meta);
      return new Response(outcome.body, { status: outcome.status, headers: { 'content-type': outcome.contentType } });
    }
    let payload: Record<string, unknown>;
    try {
      const result = await invoke(parsed.service, parsed.method, parsed.args, meta);
      payload = result === undefined ? {} : { result };
    } catch (error) {
      if (error instanceof QueueFullError) return textResponse(503, `503 Service Unavailable: ${error.message}`);
      payload = { error: jsonRpcError(error) };
    }
    return new Response(pythonJson({ jsonrpc: '2.0', id: parsed.id, ...payload }), {
      status: 200,
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
  }

  const emulator: OdooEmulator = {
    dbName,
    server,
    capacity,
    async handle(request: Request): Promise<Response> {
      const path = new URL(request.url).pathname;
      try {
        if (path === '/web/health') {
          return new Response(pythonJson({ status: 'pass' }), { status: 200, headers: { 'content-type': 'application/json; charset=utf-8' } });
        }
        if (WebSessions.handles(path)) {
          if (request.method !== 'POST') return textResponse(405, `405 Method Not Allowed: ${path} answers POST only.`);
          const body = await readBody(request);
          if (body instanceof Response) return body;
          return await sessions.handle(request, path, metaOf(request, 'jsonrpc'), body);
        }
        if (path === '/web/webclient/version_info') {
          // A JSON route (type='json', auth='none') clients call to detect the version (odoorpc does).
          let id: unknown = null;
          try {
            id = (parsePythonJson(await request.text(), { floats: false }) as { id?: unknown }).id ?? null;
          } catch {
            id = null;
          }
          return new Response(pythonJson({ jsonrpc: '2.0', id, result: server.versionInfo() }), {
            status: 200,
            headers: { 'content-type': 'application/json; charset=utf-8' },
          });
        }
        const xml = /^\/xmlrpc\/(2\/)?(common|object|db)$/.exec(path);
        if (xml !== null || path === '/jsonrpc') {
          if (request.method !== 'POST') return textResponse(405, `405 Method Not Allowed: ${path} answers POST only.`);
          return xml !== null ? await xmlrpc(request, xml[2]!, xml[1] === undefined) : await jsonrpc(request);
        }
        return textResponse(
          404,
          `404 Not Found: the Odoo emulator serves /xmlrpc/2/{common,object,db}, /jsonrpc, /web/session/authenticate, /web/dataset/call_kw, /web/webclient/version_info and GET /web/health; not ${path}.`,
        );
      } catch (error) {
        return textResponse(500, `500 Internal Server Error: ${error instanceof Error ? error.message : String(error)}`);
      }
    },
    setFault(kind, fault) {
      if (kind !== 'serialization-failure') return false;
      serializationFailureChance = fault === null || fault.kind !== 'serialization-failure' ? undefined : fault.probability;
      return true;
    },
    database: (name) => server.database(name),
    execute(model, method, args = [], kwargs = {}, opts = {}) {
      const db = server.database(opts.db);
      return callKw(db, opts.uid ?? 2, model, method, args, kwargs);
    },
    withEnv: (fn, name) => runAsSuperuser(server.database(name), fn),
    accessLog: (name) => server.accessLog.entries(server.database(name)),
    createUser(user, name) {
      return runAsSuperuser(server.database(name), (env) =>
        env.model('res.users').create({ name: user.name ?? user.login, login: user.login, password: user.password }),
      );
    },
    addApiKey(login, name) {
      const db = server.database(name);
      const uid = runAsSuperuser(
        db,
        (env) =>
          env
            .withContext({ active_test: false })
            .model('res.users')
            .search([['login', '=', login]])[0],
      );
      if (uid === undefined) throw new Error(`addApiKey: no user with login ${login}; create it first`);
      const rng = db.rng('api-keys');
      let key = '';
      for (let i = 0; i < 40; i++) key += '0123456789abcdef'[rng.int(0, 15)];
      server.auth(name).addApiKey(uid, key);
      return key;
    },
  };
  return emulator;
}
