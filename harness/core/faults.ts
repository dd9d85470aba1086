/**
 * The fault vocabulary (docs/scenarios.md lists it) as plain data, so a scenario, a generated
 * schedule from the property-based search and a saved replay all describe
 * faults the same way.
 */

/** When a fault is active, in milliseconds from the start of the run. */
export type FaultSchedule =
  | { kind: 'always' }
  | { kind: 'window'; fromMs: number; toMs: number }
  | { kind: 'periodic'; everyMs: number; forMs: number; offsetMs?: number };

/**
 * A directed path for requests. `from`/`to` are system names; `path` is a
 * prefix of the request path (`/webhooks/payment`). Omitted parts match all.
 */
export interface LinkSelector {
  from?: string;
  to?: string;
  path?: string;
  /**
   * Only Odoo model calls (`execute_kw` over JSON-RPC or XML-RPC) of this
   * model and/or method. Every such call travels to the same `/jsonrpc` or
   * `/xmlrpc/2/object`, so the path cannot tell `action_confirm` from a
   * `search_read`; the body can. Calls that name no model (login, version)
   * never match. Read from the body: Toxiproxy, which sees bytes, cannot
   * honour it in live mode (see `liveSelectorProblem`).
   */
  odoo?: OdooCallSelector;
  /**
   * Only requests with this HTTP method: on one path a booking (`POST
   * /shipments`) and a look-up (`GET /shipments?orderRef=`) are different
   * operations. Toxiproxy, which sees bytes, cannot honour it in live mode
   * either (`liveSelectorProblem`).
   */
  httpMethod?: HttpMethod;
}

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** An Odoo model call as a fault selects it: omitted parts match every value. */
export interface OdooCallSelector {
  model?: string;
  method?: string;
}

/** The model and method an Odoo object call names. */
export interface OdooCall {
  model: string;
  method: string;
}

export type LatencyDistribution = 'uniform' | 'normal' | 'exponential';

/** Faults on a link: what the network does to requests crossing it. */
export type LinkFault =
  | { kind: 'latency'; meanMs: number; jitterMs?: number; distribution?: LatencyDistribution }
  | { kind: 'bandwidth'; bytesPerSecond: number }
  /** The request hangs and is never delivered: the caller times out knowing nothing was done. */
  | { kind: 'timeout'; probability?: number }
  /** The connection is reset before the request arrives. */
  | { kind: 'reset'; probability?: number }
  /** Nothing listens on the other side: connection refused. */
  | { kind: 'link-down' }
  /** A proxy in between answers with an error status; the server never sees the request. */
  | { kind: 'http-error'; status: number; probability?: number }
  /** The server processes the request, then the answer is lost: the caller sees a timeout. */
  | { kind: 'response-lost'; probability?: number }
  /** The request is delivered again `copies` more times, `gapMs` apart. */
  | { kind: 'duplicate'; probability?: number; copies?: number; gapMs?: number }
  /** Each request is held back a random time in [0, windowMs], so later ones can overtake it. */
  | { kind: 'reorder'; windowMs: number }
  /** `probability` holds only that share of the requests: the rest overtake them, as a retry overtakes a call held past its timeout. */
  | { kind: 'delay'; ms: number; probability?: number }
  /** The request is lost on the way: never delivered, the caller times out. */
  | { kind: 'drop'; probability?: number }
  /**
   * Someone other than the sender posts a tampered copy just before the real
   * request: its JSON body with `set` merged in (objects deeply), under the
   * sender's signature header, which no longer matches. A receiver that
   * checks signatures refuses it; one that does not believes the lie.
   */
  | { kind: 'forge'; set: Record<string, unknown>; probability?: number };

/** Faults on a whole system. */
export type SystemFault =
  /** The process dies at the start of the schedule and comes back after `restartAfterMs`. */
  | { kind: 'crash'; restartAfterMs: number }
  /** The system answers every request with `status` (default 503) while active. */
  | { kind: 'outage'; status?: number }
  | { kind: 'clock-skew'; offsetMs: number }
  /** Odoo only: writes fail with a serialization error as under concurrent load. */
  | { kind: 'serialization-failure'; probability: number };

export type FaultSpec =
  | ({ id?: string; link: LinkSelector; schedule?: FaultSchedule } & LinkFault)
  | ({ id?: string; system: string; schedule?: FaultSchedule } & SystemFault);

export type LinkFaultSpec = Extract<FaultSpec, { link: LinkSelector }>;
export type SystemFaultSpec = Extract<FaultSpec, { system: string }>;

export const LINK_FAULT_KINDS = [
  'latency',
  'bandwidth',
  'timeout',
  'reset',
  'link-down',
  'http-error',
  'response-lost',
  'duplicate',
  'reorder',
  'delay',
  'drop',
  'forge',
] as const;
export const SYSTEM_FAULT_KINDS = ['crash', 'outage', 'clock-skew', 'serialization-failure'] as const;

export function isLinkFault(fault: FaultSpec): fault is LinkFaultSpec {
  return 'link' in fault;
}

export function isActive(schedule: FaultSchedule | undefined, sinceStartMs: number): boolean {
  if (schedule === undefined || schedule.kind === 'always') return true;
  if (schedule.kind === 'window') return sinceStartMs >= schedule.fromMs && sinceStartMs < schedule.toMs;
  const t = sinceStartMs - (schedule.offsetMs ?? 0);
  if (t < 0) return false;
  return t % schedule.everyMs < schedule.forMs;
}

/** Start and end times (from run start) at which a schedule switches, up to `horizonMs`. */
export function scheduleEdges(schedule: FaultSchedule | undefined, horizonMs: number): Array<{ atMs: number; on: boolean }> {
  if (schedule === undefined || schedule.kind === 'always') return [{ atMs: 0, on: true }];
  if (schedule.kind === 'window')
    return [
      { atMs: schedule.fromMs, on: true },
      { atMs: schedule.toMs, on: false },
    ];
  const edges: Array<{ atMs: number; on: boolean }> = [];
  for (let start = schedule.offsetMs ?? 0; start < horizonMs && edges.length < 2000; start += schedule.everyMs) {
    edges.push({ atMs: start, on: true }, { atMs: start + schedule.forMs, on: false });
  }
  return edges;
}

/** A forged body: `body` (a JSON object) with `set` merged in, objects deeply; undefined when the body is not a JSON object. */
export function forgedBody(body: string, set: Record<string, unknown>): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isPlainObject(value)) return undefined;
  return JSON.stringify(mergeDeep(value, set));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `target` with `changes` laid over it: plain objects merged key by key, anything else replaced. */
export function mergeDeep(target: Record<string, unknown>, changes: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...target };
  for (const [key, change] of Object.entries(changes)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(change) ? mergeDeep(current, change) : change;
  }
  return out;
}

/**
 * Does a request match the selector? `body` (the request body as sent, when a
 * string) is read only when the selector names an Odoo call, so the common
 * case costs nothing more than before.
 */
export function matchesLink(selector: LinkSelector, from: string, to: string, path: string, body?: unknown, httpMethod?: string): boolean {
  return (
    (selector.from === undefined || selector.from === from) &&
    (selector.to === undefined || selector.to === to) &&
    (selector.path === undefined || path.startsWith(selector.path)) &&
    (selector.httpMethod === undefined || selector.httpMethod === httpMethod) &&
    (selector.odoo === undefined || matchesOdooCall(selector.odoo, typeof body === 'string' ? odooCallOf(body) : undefined))
  );
}

export function matchesOdooCall(selector: OdooCallSelector, call: OdooCall | undefined): boolean {
  return (
    call !== undefined && (selector.model === undefined || selector.model === call.model) && (selector.method === undefined || selector.method === call.method)
  );
}

const OBJECT_CALLS = new Set(['execute_kw', 'execute']);

/**
 * The model and method of an Odoo object call from its request body:
 * JSON-RPC `{"params": {"service": "object", "method": "execute_kw", "args": [db, uid, password, model, method, …]}}`
 * or the XML-RPC `<methodCall>` of `execute_kw` with the same positional
 * params. Undefined for anything else (a login, a version query, a body that
 * is neither).
 */
export function odooCallOf(body: string): OdooCall | undefined {
  const start = body.trimStart();
  if (start.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return undefined;
    }
    const params = isPlainObject(value) ? value.params : undefined;
    if (!isPlainObject(params) || params.service !== 'object' || !OBJECT_CALLS.has(String(params.method)) || !Array.isArray(params.args)) return undefined;
    const [, , , model, method] = params.args as unknown[];
    return typeof model === 'string' && typeof method === 'string' ? { model, method } : undefined;
  }
  if (!start.startsWith('<')) return undefined;
  const name = /<methodName>\s*([^<\s]+)\s*<\/methodName>/.exec(body)?.[1];
  if (name === undefined || !OBJECT_CALLS.has(name)) return undefined;
  // The first five params are scalars (db, uid, password, model, method); a nested one ends the scan.
  const scalars: string[] = [];
  const param = /<param>\s*<value>\s*(?:<(string|int|i4)>([^<]*)<\/\1>|([^<]*))\s*<\/value>\s*<\/param>/g;
  for (let match = param.exec(body); match !== null && scalars.length < 5; match = param.exec(body)) scalars.push(unescapeXml(match[2] ?? match[3] ?? ''));
  const [, , , model, method] = scalars;
  return model !== undefined && method !== undefined && model !== '' && method !== '' ? { model, method } : undefined;
}

function unescapeXml(text: string): string {
  return text.includes('&') ? text.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!) : text;
}

/**
 * Why a live run cannot honour these faults, or undefined when it can. An
 * Odoo call selector needs the request body and an HTTP method selector the
 * request line, and in live mode the faults of the network kinds (latency,
 * bandwidth, timeout, reset, link-down, response-lost) are Toxiproxy's, which
 * sees bytes on a connection, not requests. The sender applies the others
 * (delay, reorder, drop, http-error, duplicate, forge) and reads the request,
 * so those may name an Odoo call or a method.
 */
export function liveSelectorProblem(faults: readonly FaultSpec[], networkKinds: ReadonlySet<string>): string | undefined {
  const refused = faults.filter((f) => isLinkFault(f) && (f.link.odoo !== undefined || f.link.httpMethod !== undefined) && networkKinds.has(f.kind));
  if (refused.length === 0) return undefined;
  const kinds = [...new Set(refused.map((f) => f.kind))].join('/');
  return (
    `${refused.map(faultLabel).join(', ')}: live mode cannot aim a ${kinds} fault at one Odoo call (link.odoo) or one HTTP method (link.httpMethod): ` +
    `Toxiproxy applies that kind to a whole connection and cannot read which call or method a request is. ` +
    `Drop the selector (the fault then strikes every request on the link), use a kind the sender applies (delay, reorder, drop, http-error), or run in sim mode.`
  );
}

/** A short name for a fault in history and reports: `duplicate@payment->middleware/webhooks`. */
export function faultLabel(fault: FaultSpec): string {
  if (fault.id !== undefined) return fault.id;
  if (isLinkFault(fault)) return `${fault.kind}@${faultTarget(fault)}`;
  return `${fault.kind}@${fault.system}`;
}

/** `middleware->odoo`, `payment->middleware/webhooks/payment`, `middleware->odoo[sale.order.action_confirm]`. */
export function faultTarget(fault: FaultSpec): string {
  if (!isLinkFault(fault)) return fault.system;
  const { from = '*', to = '*', path = '', odoo, httpMethod } = fault.link;
  return `${from}->${to}${path}${httpMethod === undefined ? '' : `(${httpMethod})`}${odoo === undefined ? '' : `[${odoo.model ?? '*'}.${odoo.method ?? '*'}]`}`;
}
