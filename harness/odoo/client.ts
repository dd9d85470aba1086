/**
 * The project's one Odoo client: the external API over JSON-RPC (`/jsonrpc`)
 * or XML-RPC (`/xmlrpc/2/*`), through the caller's `fetch` so it works the same
 * against the emulator in sim mode and a real Odoo in live mode.
 */
import { HEADERS } from '../core/system.ts';
import type { SystemFetch } from '../core/system.ts';
import { OdooError, isNoneMarshalFault } from './errors.ts';
import type { OdooTransport } from './errors.ts';
import { XMLRPC_CODECS } from './xmlrpc-codec.ts';
import type { XmlRpcCodec, XmlRpcCodecName, XmlRpcResponse } from './xmlrpc-codec.ts';

export { OdooError } from './errors.ts';
export type { OdooTransport } from './errors.ts';

export interface OdooClientOptions {
  /** Base URL of the Odoo server, e.g. `http://127.0.0.1:8069` (a trailing slash is ignored). */
  url: string;
  db: string;
  login: string;
  password: string;
  transport?: OdooTransport;
  fetch: SystemFetch;
  /** Per-call timeout; every call has one. Default 30 s. */
  timeoutMs?: number;
  /** Sent as `x-correlation-id` on every call unless a call names its own. */
  correlationId?: string;
  /** XML-RPC codec: `fast` (default) or `package` (the `xmlrpc` npm package, slower, independent of the emulator). */
  xmlrpcCodec?: XmlRpcCodecName;
}

/** Options one call may override. */
export interface OdooCallOptions {
  correlationId?: string;
  timeoutMs?: number;
  /** `x-attempt` header, for tracing retries. */
  attempt?: number;
  /** Return `null` instead of throwing when the method returned None (it ran and committed). */
  acceptNone?: boolean;
}

export interface SearchReadOptions {
  fields?: readonly string[];
  limit?: number;
  offset?: number;
  order?: string;
  context?: Record<string, unknown>;
}

export interface OdooVersion {
  server_version: string;
  server_version_info: unknown[];
  server_serie: string;
  protocol_version: number;
}

/** An Odoo domain: a list of `[field, operator, value]` leaves and `'&' | '|' | '!'` operators. */
export type OdooDomain = ReadonlyArray<readonly [string, string, unknown] | '&' | '|' | '!'>;

export type OdooRecord = Record<string, unknown> & { id: number };

export interface OdooClient {
  readonly transport: OdooTransport;
  readonly login: string;
  /** The uid once authenticated. */
  readonly uid: number | undefined;
  /** Logs in; `executeKw` does this on first use, so calling it is optional. */
  authenticate(options?: OdooCallOptions): Promise<number>;
  version(options?: OdooCallOptions): Promise<OdooVersion>;
  executeKw<T = unknown>(model: string, method: string, args?: readonly unknown[], kwargs?: Record<string, unknown>, options?: OdooCallOptions): Promise<T>;
  searchRead<T extends OdooRecord = OdooRecord>(model: string, domain: OdooDomain, query?: SearchReadOptions, options?: OdooCallOptions): Promise<T[]>;
  search(model: string, domain: OdooDomain, query?: Omit<SearchReadOptions, 'fields'>, options?: OdooCallOptions): Promise<number[]>;
  searchCount(model: string, domain: OdooDomain, options?: OdooCallOptions): Promise<number>;
  read<T extends OdooRecord = OdooRecord>(model: string, ids: readonly number[], fields?: readonly string[], options?: OdooCallOptions): Promise<T[]>;
  create(model: string, values: Record<string, unknown>, options?: OdooCallOptions & { context?: Record<string, unknown> }): Promise<number>;
  write(
    model: string,
    ids: readonly number[],
    values: Record<string, unknown>,
    options?: OdooCallOptions & { context?: Record<string, unknown> },
  ): Promise<boolean>;
  /** The same session (uid shared) with a different default correlation id. */
  withCorrelationId(correlationId: string | undefined): OdooClient;
  /** A new session on the same server and database for another user. */
  withCredentials(login: string, password: string): OdooClient;
}

const DEFAULT_TIMEOUT_MS = 30_000;

interface Session {
  readonly options: Required<Pick<OdooClientOptions, 'url' | 'db' | 'login' | 'password' | 'fetch' | 'timeoutMs'>> & {
    transport: OdooTransport;
    codec: XmlRpcCodec;
  };
  uid: number | undefined;
  pendingLogin: Promise<number> | undefined;
  nextId: number;
}

export function createOdooClient(options: OdooClientOptions): OdooClient {
  const session: Session = {
    options: {
      url: checkUrl(options.url),
      db: checkText('db', options.db),
      login: checkText('login', options.login),
      password: checkText('password', options.password),
      fetch: checkFetch(options.fetch),
      timeoutMs: checkTimeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      transport: checkTransport(options.transport ?? 'jsonrpc'),
      codec: checkCodec(options.xmlrpcCodec ?? 'fast'),
    },
    uid: undefined,
    pendingLogin: undefined,
    nextId: 0,
  };
  return clientFor(session, options.correlationId);
}

function clientFor(session: Session, defaultCorrelationId: string | undefined): OdooClient {
  const { options } = session;

  const call = (
    service: string,
    method: string,
    args: readonly unknown[],
    callOptions: OdooCallOptions | undefined,
    target?: { model: string; method: string },
  ) => rpc(session, service, method, args, { ...callOptions, correlationId: callOptions?.correlationId ?? defaultCorrelationId }, target);

  const authenticate = (callOptions?: OdooCallOptions): Promise<number> => {
    if (session.uid !== undefined) return Promise.resolve(session.uid);
    // One login in flight at a time: a burst of first calls shares it.
    session.pendingLogin ??= (async () => {
      try {
        const uid = await call('common', 'authenticate', [options.db, options.login, options.password, {}], callOptions);
        if (typeof uid !== 'number' || uid <= 0) {
          throw new OdooError({
            kind: 'auth',
            transport: options.transport,
            service: 'common',
            method: 'authenticate',
            faultString: `login ${options.login} on database ${options.db}`,
          });
        }
        session.uid = uid;
        return uid;
      } finally {
        session.pendingLogin = undefined;
      }
    })();
    return session.pendingLogin;
  };

  const executeKw = async <T>(
    model: string,
    method: string,
    args: readonly unknown[] = [],
    kwargs: Record<string, unknown> = {},
    callOptions?: OdooCallOptions,
  ): Promise<T> => {
    if (typeof model !== 'string' || model === '') throw new TypeError('executeKw needs a model name such as "sale.order"');
    if (typeof method !== 'string' || method === '') throw new TypeError(`executeKw on ${model} needs a method name such as "search_read"`);
    if (!Array.isArray(args)) throw new TypeError(`executeKw ${model}.${method}: args must be an array of positional arguments, e.g. [[["state","=","sale"]]]`);
    const uid = await authenticate(callOptions);
    return (await call('object', 'execute_kw', [options.db, uid, options.password, model, method, args, kwargs], callOptions, { model, method })) as T;
  };

  const client: OdooClient = {
    transport: options.transport,
    login: options.login,
    get uid() {
      return session.uid;
    },
    authenticate,
    version: (callOptions) => call('common', 'version', [], callOptions) as Promise<OdooVersion>,
    executeKw,
    searchRead: (model, domain, query = {}, callOptions) =>
      executeKw(
        model,
        'search_read',
        [domain],
        compact({ fields: query.fields, limit: query.limit, offset: query.offset, order: query.order, context: query.context }),
        callOptions,
      ),
    search: (model, domain, query = {}, callOptions) =>
      executeKw(model, 'search', [domain], compact({ limit: query.limit, offset: query.offset, order: query.order, context: query.context }), callOptions),
    searchCount: (model, domain, callOptions) => executeKw(model, 'search_count', [domain], {}, callOptions),
    read: (model, ids, fields, callOptions) => executeKw(model, 'read', [ids], compact({ fields }), callOptions),
    create: async (model, values, callOptions) => {
      const id = await executeKw<unknown>(model, 'create', [values], compact({ context: callOptions?.context }), callOptions);
      // A single dict returns an int; be lenient with servers that answer a one-element list.
      if (Array.isArray(id) && typeof id[0] === 'number') return id[0];
      if (typeof id !== 'number')
        throw new OdooError({
          kind: 'protocol',
          transport: options.transport,
          service: 'object',
          method: 'execute_kw',
          model,
          modelMethod: 'create',
          faultString: `create returned ${JSON.stringify(id)} instead of an id`,
        });
      return id;
    },
    write: async (model, ids, values, callOptions) =>
      (await executeKw<unknown>(model, 'write', [ids, values], compact({ context: callOptions?.context }), callOptions)) !== false,
    withCorrelationId: (correlationId) => clientFor(session, correlationId),
    withCredentials: (login, password) =>
      createOdooClient({ ...options, login, password, ...(defaultCorrelationId !== undefined && { correlationId: defaultCorrelationId }) }),
  };
  return client;
}

async function rpc(
  session: Session,
  service: string,
  method: string,
  args: readonly unknown[],
  callOptions: OdooCallOptions,
  target?: { model: string; method: string },
): Promise<unknown> {
  const { options } = session;
  const headers: Record<string, string> = {};
  if (callOptions.correlationId !== undefined && callOptions.correlationId !== '') headers[HEADERS.correlationId] = callOptions.correlationId;
  if (callOptions.attempt !== undefined) headers[HEADERS.attempt] = String(callOptions.attempt);
  const timeoutMs = callOptions.timeoutMs ?? options.timeoutMs;
  const where = { transport: options.transport, service, method, model: target?.model, modelMethod: target?.method };

  let result: RawResult;
  if (options.transport === 'jsonrpc') {
    headers['content-type'] = 'application/json';
    const id = ++session.nextId;
    const response = await options.fetch(`${options.url}/jsonrpc`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id }),
      timeoutMs,
    });
    result = await readJsonRpc(response);
  } else {
    headers['content-type'] = 'text/xml';
    const response = await options.fetch(`${options.url}/xmlrpc/2/${service}`, {
      method: 'POST',
      headers,
      body: options.codec.encodeCall(method, args),
      timeoutMs,
    });
    result = await readXmlRpc(response, options.codec);
  }

  switch (result.kind) {
    case 'value':
      return result.value;
    case 'none':
      if (callOptions.acceptNone === true) return null;
      throw new OdooError({ ...where, kind: 'none-result', faultString: result.detail });
    case 'fault':
      throw new OdooError({
        ...where,
        kind: 'fault',
        faultCode: result.faultCode,
        faultString: result.faultString,
        jsonrpcCode: result.jsonrpcCode,
        exceptionName: result.exceptionName,
      });
    case 'protocol':
      throw new OdooError({ ...where, kind: 'protocol', httpStatus: result.status, faultString: result.detail });
  }
}

type RawResult =
  | { kind: 'value'; value: unknown }
  | { kind: 'none'; detail: string }
  | { kind: 'fault'; faultCode?: number | string; faultString: string; jsonrpcCode?: number; exceptionName?: string }
  | { kind: 'protocol'; status: number; detail: string };

async function readJsonRpc(response: Response): Promise<RawResult> {
  const text = await response.text();
  if (response.status !== 200) return { kind: 'protocol', status: response.status, detail: text.slice(0, 300) };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'protocol', status: response.status, detail: `not JSON: ${text.slice(0, 200)}` };
  }
  if (body === null || typeof body !== 'object') return { kind: 'protocol', status: response.status, detail: `not a JSON-RPC object: ${text.slice(0, 200)}` };
  const envelope = body as { result?: unknown; error?: { code?: number; message?: string; data?: { name?: string; message?: string; debug?: string } } };
  if (envelope.error !== undefined) {
    const data = envelope.error.data ?? {};
    return {
      kind: 'fault',
      faultString: data.message ?? envelope.error.message ?? '',
      jsonrpcCode: envelope.error.code,
      exceptionName: data.name,
    };
  }
  // Odoo omits `result` when the Python method returned None (odoo/http.py _response).
  if (!('result' in envelope)) return { kind: 'none', detail: 'the JSON-RPC answer has no result member' };
  return { kind: 'value', value: envelope.result };
}

async function readXmlRpc(response: Response, codec: XmlRpcCodec): Promise<RawResult> {
  const text = await response.text();
  if (response.status !== 200) return { kind: 'protocol', status: response.status, detail: text.slice(0, 300) };
  let decoded: XmlRpcResponse;
  try {
    decoded = await codec.decodeResponse(text);
  } catch (error) {
    return { kind: 'protocol', status: response.status, detail: `not XML-RPC (${(error as Error).message}): ${text.slice(0, 200)}` };
  }
  if (decoded.kind === 'value') return decoded;
  // The marshaller faults with code 1 *after* the transaction committed when the result is None.
  if (decoded.faultCode === 1 && isNoneMarshalFault(decoded.faultString)) return { kind: 'none', detail: 'cannot marshal None (fault 1 after commit)' };
  return { kind: 'fault', faultCode: decoded.faultCode, faultString: decoded.faultString };
}

function compact(values: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined) out[k] = v;
  return out;
}

function checkUrl(url: unknown): string {
  if (typeof url !== 'string' || !/^https?:\/\/[^/]/.test(url)) {
    throw new TypeError(`Odoo url must be an http(s) base URL such as "http://127.0.0.1:8069", got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}

function checkText(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '') throw new TypeError(`Odoo ${name} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

function checkFetch(fetch: unknown): SystemFetch {
  if (typeof fetch !== 'function')
    throw new TypeError('createOdooClient needs a fetch function (the system context’s fetch), so calls go through the run’s network');
  return fetch as SystemFetch;
}

function checkTimeout(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw new TypeError(`Odoo timeoutMs must be a positive number of milliseconds, got ${JSON.stringify(timeoutMs)}`);
  }
  return timeoutMs;
}

function checkCodec(name: unknown): XmlRpcCodec {
  if (name !== 'fast' && name !== 'package') throw new TypeError(`xmlrpcCodec must be "fast" or "package", got ${JSON.stringify(name)}`);
  return XMLRPC_CODECS[name];
}

function checkTransport(transport: unknown): OdooTransport {
  if (transport !== 'jsonrpc' && transport !== 'xmlrpc') throw new TypeError(`Odoo transport must be "jsonrpc" or "xmlrpc", got ${JSON.stringify(transport)}`);
  return transport;
}
