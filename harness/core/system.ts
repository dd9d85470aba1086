import type { Clock } from './clock.ts';
import type { SystemFault } from './faults.ts';
import type { HistoryWriter } from './history.ts';
import type { Rng } from './rng.ts';
import { EXIT, type ExitCoded } from './exit-codes.ts';

/** Names of the parties in an integration. Users may add their own. */
export type SystemName = 'odoo' | 'capture' | 'payment' | 'logistics' | 'middleware' | 'harness' | (string & {});

/** `fetch` as systems see it: the standard signature plus a timeout every call must have. */
export type SystemFetch = (input: string | URL | Request, init?: SystemRequestInit) => Promise<Response>;

export interface SystemRequestInit extends RequestInit {
  /**
   * How long the caller waits for an answer. Every network call has one; the
   * network applies `DEFAULT_CALL_TIMEOUT_MS` when omitted. On expiry the
   * promise rejects with a `NetworkError` whose `code` is `'timeout'`.
   */
  timeoutMs?: number;
}

/**
 * How long a call that names no timeout waits for an answer, in both modes: a
 * network wait is not business time, so live mode does not scale it.
 */
export const DEFAULT_CALL_TIMEOUT_MS = 30_000;

/**
 * What a system receives from the run: time, randomness, the network and the
 * history. In sim mode all of it is virtual and seeded; in live mode it is real.
 */
export interface SystemContext {
  readonly name: SystemName;
  readonly mode: 'sim' | 'live';
  readonly clock: Clock;
  readonly rng: Rng;
  readonly fetch: SystemFetch;
  readonly history: HistoryWriter;
  /** Base URLs of the other systems, e.g. `urls.odoo` (no trailing slash). */
  readonly urls: Readonly<Record<string, string>>;
  /** The system's own settings from the scenario (knobs). */
  readonly config: Readonly<Record<string, unknown>>;
  /** A folder the system may keep durable state in (survives crash and restart). */
  readonly dataDir?: string;
  /**
   * Registers what the operating system would release if this process were
   * killed (open database files): the run releases it when a crash ends this
   * incarnation. Without it, a search that crashes a system a thousand times
   * in one process runs out of file handles.
   */
  readonly onKill?: (release: () => void) => void;
}

/** A party in the integration: request handlers over standard Request/Response, plus state. */
export interface System {
  handle(request: Request): Promise<Response>;
  /** Called once the whole world is wired, before load starts. */
  start?(): void | Promise<void>;
  /**
   * Called when the run ends, after the system's incarnation was killed: the
   * engine cancels every timer set through `context.clock`, so `stop` only
   * settles what the system itself holds (a ledger's summary, a store).
   */
  stop?(): void | Promise<void>;
  /**
   * Faults only the system itself can produce (Odoo's serialization failures).
   * Called with the fault when it switches on and with `null` when it switches off.
   * Returns false when the system does not know the fault.
   */
  setFault?(kind: SystemFault['kind'], fault: SystemFault | null): boolean;
}

export type SystemFactory = (context: SystemContext) => System | Promise<System>;

/** Header names shared by every system, so the network can trace requests. */
export const HEADERS = {
  correlationId: 'x-correlation-id',
  attempt: 'x-attempt',
  idempotencyKey: 'idempotency-key',
  principal: 'x-faultline-principal',
} as const;

/** The path where every simulator serves its ledger (read by invariants, over HTTP). */
export const LEDGER_PATH = '/_faultline/ledger';

/** Why a request got no answer. */
export type NetworkErrorCode = 'timeout' | 'refused' | 'reset' | 'aborted';

export class NetworkError extends Error implements ExitCoded {
  readonly exitCode = EXIT.unreachable;
  readonly code: NetworkErrorCode;
  /** True when the server may have processed the request (the case that makes duplicates). */
  readonly maybeProcessed: boolean;
  constructor(code: NetworkErrorCode, message: string, maybeProcessed: boolean) {
    super(message);
    this.name = 'NetworkError';
    this.code = code;
    this.maybeProcessed = maybeProcessed;
  }
}
