/**
 * A real Odoo seen through Faultline: every request from the middleware passes
 * through this system on its way to the real server, and each external-API call
 * becomes the same `odoo` history event the emulator writes for itself
 * (principal, model, method, record ids, outcome, correlation id). So every
 * invariant and latency figure judges a real Odoo exactly as it judges the
 * emulator. Being a hosted system, it also carries the system faults a real
 * server cannot be asked to produce: an outage at its door, a crash (the door
 * closes, answers in flight are lost), and serialization failures, answered as
 * Odoo answers once its own retries on a concurrent update are exhausted.
 */
import type { SystemFault } from '../../../core/faults.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import type { Rng } from '../../../core/rng.ts';
import { HEADERS } from '../../../core/system.ts';
import type { System, SystemFetch } from '../../../core/system.ts';
import { ODOO_READ_METHODS } from '../../../core/odoo-reads.ts';
import { isWriteCall } from '../../../../simulators/odoo/index.ts';
import { serializationFailure as serializationFailureError } from '../../../../simulators/odoo/orm/errors.ts';
import { jsonRpcError } from '../../../../simulators/odoo/transport/jsonrpc.ts';
import { faultFor } from '../../../../simulators/odoo/transport/xmlrpc.ts';
import { decodeMethodCall, decodeMethodResponse } from '../../../wire/xmlrpc.ts';

export interface OdooRecorderOptions {
  /** The real Odoo's base URL, without a trailing slash. */
  upstreamUrl: string;
  history: HistoryWriter;
  /** The recorder's own way out; never faulted. */
  fetch: SystemFetch;
  /** Draws for the serialization-failure fault's probability. */
  rng: Rng;
  /** How long one forwarded call may take on the real server. */
  timeoutMs?: number;
}

/** One external-API call, as read from a request body. */
interface Call {
  transport: 'xmlrpc' | 'jsonrpc';
  service: string;
  method: string;
  params: readonly unknown[];
  /** JSON-RPC's request id, echoed in an injected error. */
  id?: unknown;
}

/** What a call's answer says: a value, or an error with its last line. */
type Answer = { ok: true; value: unknown } | { ok: false; error: string };

/** Model methods Odoo runs on the model, not on records: their first argument is not ids. */
const MODEL_METHODS = new Set([...ODOO_READ_METHODS, 'create', 'web_search_read', 'web_read_group', 'onchange', 'name_create', 'get_views', 'load_views']);

export interface OdooRecorder extends System {
  /** Calls forwarded so far. */
  readonly forwarded: number;
}

export function createOdooRecorder(options: OdooRecorderOptions): OdooRecorder {
  const upstream = options.upstreamUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  /** uid → login, learnt from authenticate answers, so events name a principal as the emulator does. */
  const logins = new Map<number, string>();
  let serializationFailure: number | undefined;
  let forwarded = 0;

  const principalOf = (call: Call): string => {
    if (call.service === 'common') return typeof call.params[1] === 'string' ? call.params[1] : '?';
    const uid = Number(call.params[1]);
    return logins.get(uid) ?? `uid:${String(call.params[1])}`;
  };

  const record = (call: Call, answer: Answer, corr: string | undefined): void => {
    if (call.service === 'common' && (call.method === 'authenticate' || call.method === 'login')) {
      const uid = answer.ok && typeof answer.value === 'number' ? answer.value : undefined;
      if (uid !== undefined) logins.set(uid, principalOf(call));
      options.history.append({
        kind: 'odoo',
        principal: principalOf(call),
        model: 'res.users',
        method: 'authenticate',
        outcome: uid !== undefined ? 'ok' : 'fail',
        ...(uid !== undefined && { ids: [uid] }),
        ...(corr !== undefined && { corr }),
        ...(!answer.ok && { error: answer.error }),
      });
      return;
    }
    if (call.service !== 'object') return;
    const model = String(call.params[3]);
    const method = String(call.params[4]);
    const ids = idsOf(method, call.params[5], answer);
    options.history.append({
      kind: 'odoo',
      principal: principalOf(call),
      model,
      method,
      outcome: answer.ok ? 'ok' : 'fail',
      ...(ids.length > 0 && { ids }),
      ...(corr !== undefined && { corr }),
      ...(!answer.ok && { error: answer.error }),
    });
  };

  return {
    get forwarded() {
      return forwarded;
    },
    async handle(request) {
      const url = new URL(request.url);
      const body = request.method === 'POST' ? await request.text() : undefined;
      const call = body === undefined ? undefined : readCall(url.pathname, body);
      const corr = request.headers.get(HEADERS.correlationId) ?? undefined;
      if (
        call !== undefined &&
        serializationFailure !== undefined &&
        isWriteCall(call.service, call.method, call.params) &&
        options.rng.chance(serializationFailure)
      ) {
        // Odoo rolls such a call back and answers with the error: not forwarding it is the same outcome.
        record(call, { ok: false, error: serializationFailureError().lastLine() }, corr);
        return injectedFailure(call);
      }
      const headers = new Headers();
      for (const name of ['content-type', 'cookie', 'accept', HEADERS.correlationId]) {
        const value = request.headers.get(name);
        if (value !== null) headers.set(name, value);
      }
      forwarded++;
      const response = await options.fetch(`${upstream}${url.pathname}${url.search}`, {
        method: request.method,
        headers,
        ...(body !== undefined && { body }),
        timeoutMs,
      });
      const text = await response.text();
      if (call !== undefined && response.status === 200) record(call, readAnswer(call, text), corr);
      const out = new Headers();
      for (const name of ['content-type', 'set-cookie']) {
        const value = response.headers.get(name);
        if (value !== null) out.set(name, value);
      }
      return new Response(text, { status: response.status, headers: out });
    },
    setFault(kind: SystemFault['kind'], fault: SystemFault | null): boolean {
      if (kind !== 'serialization-failure') return false;
      serializationFailure = fault === null ? undefined : ((fault as { probability?: number }).probability ?? 1);
      return true;
    },
  };
}

function readCall(path: string, body: string): Call | undefined {
  try {
    if (path.startsWith('/xmlrpc/')) {
      const service = path.replace(/^\/xmlrpc\/(2\/)?/, '').replace(/\/+$/, '');
      const decoded = decodeMethodCall(body);
      return { transport: 'xmlrpc', service, method: decoded.methodName, params: decoded.params };
    }
    if (path === '/jsonrpc') {
      const parsed = JSON.parse(body) as { id?: unknown; params?: { service?: unknown; method?: unknown; args?: unknown } };
      const params = parsed.params;
      if (typeof params?.service !== 'string' || typeof params.method !== 'string' || !Array.isArray(params.args)) return undefined;
      return { transport: 'jsonrpc', service: params.service, method: params.method, params: params.args, id: parsed.id };
    }
  } catch {
    // Not a call Faultline can read: forwarded as it is, and Odoo answers it.
  }
  return undefined;
}

function readAnswer(call: Call, text: string): Answer {
  try {
    if (call.transport === 'xmlrpc') {
      const decoded = decodeMethodResponse(text);
      return decoded.kind === 'value' ? { ok: true, value: decoded.value } : { ok: false, error: lastLine(String(decoded.faultString)) };
    }
    const parsed = JSON.parse(text) as { result?: unknown; error?: { data?: { name?: string; message?: string }; message?: string } };
    if (parsed.error !== undefined) {
      const data = parsed.error.data;
      return { ok: false, error: data?.name !== undefined ? `${data.name}: ${lastLine(data.message ?? '')}` : String(parsed.error.message) };
    }
    return { ok: true, value: parsed.result ?? null };
  } catch (error) {
    return { ok: false, error: `unreadable answer: ${(error as Error).message}` };
  }
}

/** The record ids a call worked on, as the emulator logs them: created ids for create, args[0] for record methods. */
function idsOf(method: string, args: unknown, answer: Answer): number[] {
  if (method === 'create') {
    if (!answer.ok) return [];
    if (typeof answer.value === 'number') return [answer.value];
    return Array.isArray(answer.value) ? answer.value.filter((id): id is number => typeof id === 'number') : [];
  }
  if (MODEL_METHODS.has(method) || !Array.isArray(args)) return [];
  const first: unknown = args[0];
  if (typeof first === 'number') return [first];
  return Array.isArray(first) ? first.filter((id): id is number => typeof id === 'number') : [];
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return lines.at(-1) ?? '';
}

function injectedFailure(call: Call): Response {
  const error = serializationFailureError();
  if (call.transport === 'xmlrpc') return new Response(faultFor(error), { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
  return new Response(JSON.stringify({ jsonrpc: '2.0', id: call.id ?? null, error: jsonRpcError(error) }), {
    status: 200,
    headers: { 'content-type': 'application/json' },
  });
}
