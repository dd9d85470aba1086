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
  | { kind: 'delay'; ms: number }
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
  'latency', 'bandwidth', 'timeout', 'reset', 'link-down', 'http-error',
  'response-lost', 'duplicate', 'reorder', 'delay', 'drop', 'forge',
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
  if (schedule.kind === 'window') return [{ atMs: schedule.fromMs, on: true }, { atMs: schedule.toMs, on: false }];
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

export function matchesLink(selector: LinkSelector, from: string, to: string, path: string): boolean {
  return (
    (selector.from === undefined || selector.from === from) &&
    (selector.to === undefined || selector.to === to) &&
    (selector.path === undefined || path.startsWith(selector.path))
  );
}

/** A short name for a fault in history and reports: `duplicate@payment->middleware/webhooks`. */
export function faultLabel(fault: FaultSpec): string {
  if (fault.id !== undefined) return fault.id;
  if (isLinkFault(fault)) {
    const { from = '*', to = '*', path = '' } = fault.link;
    return `${fault.kind}@${from}->${to}${path}`;
  }
  return `${fault.kind}@${fault.system}`;
}

export function faultTarget(fault: FaultSpec): string {
  if (isLinkFault(fault)) return `${fault.link.from ?? '*'}->${fault.link.to ?? '*'}${fault.link.path ?? ''}`;
  return fault.system;
}
