import type { Clock } from '../../core/clock.ts';
import { forgedBody, isActive, isLinkFault, matchesLink, faultLabel } from '../../core/faults.ts';
import type { FaultSpec, LinkFaultSpec } from '../../core/faults.ts';
import { planMessage } from '../../core/message-plan.ts';
import type { HistoryWriter, Outcome } from '../../core/history.ts';
import type { Rng } from '../../core/rng.ts';
import { DEFAULT_CALL_TIMEOUT_MS, HEADERS, NetworkError } from '../../core/system.ts';
import type { System, SystemFetch, SystemRequestInit } from '../../core/system.ts';

const HARNESS = 'harness';

/** Default one-way latency of a healthy in-process link. */
const BASE_LATENCY_MS = 1;

/** What the network needs to know about a destination. */
interface Endpoint {
  name: string;
  system: System | undefined;
  /** Requests accepted but not answered yet; failed when the system crashes. */
  inFlight: Set<() => void>;
}

/**
 * The in-process network of a simulated run: routes `fetch` calls between
 * systems on virtual time and applies link and system faults on the way.
 * Every send, delivery, answer and loss goes into the history.
 */
export class SimNetwork {
  readonly #clock: Clock;
  readonly #rng: Rng;
  readonly #history: HistoryWriter;
  #startMs: number;
  readonly #byOrigin = new Map<string, Endpoint>();
  readonly #byName = new Map<string, Endpoint>();
  #faults: FaultSpec[] = [];
  readonly #down = new Set<string>();
  readonly #outage = new Map<string, number>();
  /** Messages the network delivered, copies included. */
  messages = 0;
  faultEffects = 0;

  constructor(clock: Clock, rng: Rng, history: HistoryWriter) {
    this.#clock = clock;
    this.#rng = rng;
    this.#history = history;
    this.#startMs = clock.now();
  }

  static originFor(name: string): string {
    return `http://${name}.sim`;
  }

  register(name: string): string {
    const origin = SimNetwork.originFor(name);
    const endpoint: Endpoint = { name, system: undefined, inFlight: new Set() };
    this.#byOrigin.set(origin, endpoint);
    this.#byName.set(name, endpoint);
    return origin;
  }

  attach(name: string, system: System | undefined): void {
    const endpoint = this.#byName.get(name);
    if (endpoint === undefined) throw new Error(`no system named "${name}" is registered on the network`);
    endpoint.system = system;
  }

  /** Link faults from now on; their schedules count from `originMs`. */
  setFaults(faults: readonly FaultSpec[], originMs: number): void {
    this.#faults = faults.filter(isLinkFault);
    this.#startMs = originMs;
  }

  /** A crashed system refuses connections and loses the requests it was handling. */
  setDown(name: string, down: boolean): void {
    if (down) {
      this.#down.add(name);
      const endpoint = this.#byName.get(name);
      if (endpoint !== undefined) {
        for (const lose of [...endpoint.inFlight]) lose();
        endpoint.inFlight.clear();
      }
    } else {
      this.#down.delete(name);
    }
  }

  setOutage(name: string, status: number | null): void {
    if (status === null) this.#outage.delete(name);
    else this.#outage.set(name, status);
  }

  /**
   * The `fetch` a system named `from` gets in its context. Once `alive` says
   * its incarnation died, a call neither goes out nor comes back, as
   * `Incarnation.fence` says; done here, not by wrapping the promise, so a
   * living caller hears its answer in the same microtask turn as before.
   */
  fetchFor(from: string, alive: () => boolean = () => true): SystemFetch {
    return (input, init) => (alive() ? this.#send(from, input, init, alive) : new Promise<Response>(() => undefined));
  }

  /** `body` is read only by a fault aimed at one Odoo call (`link.odoo`), `httpMethod` by one aimed at a method. */
  #activeLinkFaults(from: string, to: string, path: string, body: unknown, httpMethod: string): LinkFaultSpec[] {
    // The harness's own reads (bootstrap, ledgers, Odoo's final state) are observation, not traffic under test.
    if (this.#faults.length === 0 || from === HARNESS) return [];
    const since = this.#clock.now() - this.#startMs;
    const active: LinkFaultSpec[] = [];
    for (const fault of this.#faults) {
      if (isLinkFault(fault) && matchesLink(fault.link, from, to, path, body, httpMethod) && isActive(fault.schedule, since)) active.push(fault);
    }
    return active;
  }

  #send(from: string, input: string | URL | Request, init: SystemRequestInit | undefined, alive: () => boolean): Promise<Response> {
    const request = input instanceof Request ? input : new Request(input, init);
    const url = new URL(request.url);
    const endpoint = this.#byOrigin.get(url.origin);
    const history = this.#history;
    const req = history.nextRequestId();
    const corr = request.headers.get(HEADERS.correlationId) ?? undefined;
    const attemptHeader = request.headers.get(HEADERS.attempt);
    const attempt = attemptHeader === null ? undefined : Number(attemptHeader);
    const to = endpoint?.name ?? url.host;
    history.append({
      kind: 'send',
      req,
      from,
      to,
      method: request.method,
      path: url.pathname,
      ...(corr !== undefined && { corr }),
      ...(attempt !== undefined && { attempt }),
    });
    const timeoutMs = init?.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;

    return new Promise<Response>((answer, refuse) => {
      // A caller that died meanwhile never hears: the wire still records what happened.
      const resolve = (response: Response): void => {
        if (alive()) answer(response);
      };
      const reject = (error: Error): void => {
        if (alive()) refuse(error);
      };
      let settled = false;
      // Sent and not lost: a timeout that fires before it lands cannot say it will not be processed, for it will be.
      let onTheWay = false;
      const finish = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        cancelTimeout();
        outcome();
      };
      const fail = (code: 'refused' | 'reset', reason: string): void =>
        finish(() => {
          history.append({ kind: 'error', req, outcome: 'fail', reason });
          reject(new NetworkError(code, `${request.method} ${request.url}: ${reason}`, false));
        });
      const cancelTimeout = this.#clock.setTimer(timeoutMs, () =>
        finish(() => {
          const outcome: Outcome = onTheWay ? 'unknown' : 'fail';
          history.append({ kind: 'timeout', req, outcome, reason: `no answer within ${timeoutMs} ms` });
          reject(new NetworkError('timeout', `${request.method} ${request.url}: no answer within ${timeoutMs} ms`, onTheWay));
        }),
      );

      if (endpoint === undefined) {
        this.#clock.setTimer(0, () => fail('refused', `no system at ${url.origin}`));
        return;
      }
      const faults = this.#activeLinkFaults(from, endpoint.name, url.pathname, init?.body, request.method);
      const plan = planMessage(faults, this.#rng, { bytes: () => estimateBytes(request), baseDelayMs: BASE_LATENCY_MS });
      const { delayMs: latency, returnDelayMs: returnLatency, lost, answerLost: responseLost, httpError, copies, gapMs: copyGapMs, forged, delayedBy } = plan;
      let failure = plan.failure;

      if (this.#down.has(endpoint.name)) failure ??= { code: 'refused', reason: `${endpoint.name} is down` };
      if (failure !== undefined) {
        const { code, reason } = failure;
        this.faultEffects++;
        this.#clock.setTimer(BASE_LATENCY_MS, () => fail(code, reason));
        return;
      }
      if (lost !== undefined) {
        this.faultEffects++;
        history.append({ kind: 'drop', req, fault: lost });
        return;
      }
      if (delayedBy !== undefined) {
        this.faultEffects++;
        history.append({ kind: 'delay', req, fault: delayedBy, ms: Math.round(plan.heldMs) });
      }
      if (httpError !== undefined) {
        const { status, fault } = httpError;
        this.faultEffects++;
        this.#clock.setTimer(latency + returnLatency, () =>
          finish(() => {
            history.append({ kind: 'response', req, status, outcome: 'fail' });
            resolve(new Response(`injected ${status} (${fault})`, { status }));
          }),
        );
        return;
      }

      const deliver = (copy: Request, isCopy: boolean): void => {
        if (this.#down.has(endpoint.name)) {
          if (!isCopy) fail('refused', `${endpoint.name} is down`);
          return;
        }
        this.messages++;
        history.append({ kind: 'deliver', req });
        const outageStatus = this.#outage.get(endpoint.name);
        if (outageStatus !== undefined || endpoint.system === undefined) {
          const status = outageStatus ?? 503;
          this.#clock.setTimer(returnLatency, () =>
            finish(() => {
              history.append({ kind: 'response', req, status, outcome: 'fail' });
              resolve(new Response(`${endpoint.name} unavailable`, { status }));
            }),
          );
          return;
        }
        let alive = true;
        const loseOnCrash = (): void => {
          alive = false;
        };
        endpoint.inFlight.add(loseOnCrash);
        invoke(endpoint.system, copy).then((response) => {
          endpoint.inFlight.delete(loseOnCrash);
          if (!alive || isCopy) return;
          if (responseLost !== undefined) {
            this.faultEffects++;
            history.append({ kind: 'drop', req, fault: responseLost });
            return;
          }
          this.#clock.setTimer(returnLatency, () =>
            finish(() => {
              history.append({ kind: 'response', req, status: response.status, outcome: response.status < 400 ? 'ok' : 'fail' });
              resolve(response);
            }),
          );
        });
      };

      if (copies === 0 && forged === undefined) {
        onTheWay = true;
        this.#clock.setTimer(latency, () => deliver(request, false));
        return;
      }
      // Duplicates and forgeries need the body more than once: buffer it, then send independent copies.
      this.faultEffects++;
      onTheWay = true;
      void request.arrayBuffer().then((body) => {
        const make = (bytes: ArrayBuffer | string = body): Request =>
          new Request(request.url, {
            method: request.method,
            headers: request.headers,
            body: typeof bytes === 'string' || bytes.byteLength > 0 ? bytes : null,
          });
        const lie = forged === undefined ? undefined : forgedBody(new TextDecoder().decode(body), forged.set);
        if (forged !== undefined && lie !== undefined) {
          // Scheduled first, so at the same instant the forgery lands before the real request.
          const label = faultLabel(forged);
          this.#clock.setTimer(latency, () => {
            history.append({ kind: 'duplicate', req, fault: label });
            deliver(make(lie), true);
          });
        }
        this.#clock.setTimer(latency, () => deliver(make(), false));
        for (let i = 1; i <= copies; i++) {
          this.#clock.setTimer(latency + i * Math.max(copyGapMs, 0.001), () => {
            history.append({ kind: 'duplicate', req, fault: 'duplicate' });
            deliver(make(), true);
          });
        }
      });
    });
  }
}

/** Runs a handler and turns a throw into a 500, as an HTTP server would. */
async function invoke(system: System, request: Request): Promise<Response> {
  try {
    return await system.handle(request);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return new Response(JSON.stringify({ error: `unhandled error in handler: ${message}` }), {
      status: 500,
      headers: { 'content-type': 'application/json' },
    });
  }
}

function estimateBytes(request: Request): number {
  const length = request.headers.get('content-length');
  return length === null ? 1024 : Number(length) || 1024;
}
