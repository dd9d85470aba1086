/**
 * A small in-process network on virtual time for the simulators' own tests
 * and benchmark (the engine's real sim network lives in harness/engine/sim/). It
 * routes `fetch` by URL origin to a System's handler after a virtual one-way
 * latency, and honours `init.timeoutMs` by rejecting with
 * `NetworkError('timeout', …, true)`. Given a history, it records send,
 * deliver, response and timeout events as the engine's network does.
 */
import { DEFAULT_SIM_EPOCH_MS } from '../../harness/core/clock.ts';
import { History, type HistoryWriter } from '../../harness/core/history.ts';
import { createRng, type Rng } from '../../harness/core/rng.ts';
import { VirtualScheduler, drainMicrotasks } from '../../harness/core/scheduler.ts';
import { HEADERS, NetworkError, type System, type SystemContext, type SystemFetch, } from '../../harness/core/system.ts';

export const DEFAULT_TEST_TIMEOUT_MS = 30_000;

export interface FakeNetworkOptions {
  /** One-way virtual latency per message, default 1 ms. */
  latencyMs?: number;
}

export interface FakeNetwork {
  register(origin: string, system: System): void;
  /** The `fetch` a system named `from` gets. */
  fetchFor(from: string): SystemFetch;
  /** Requests delivered to handlers so far. */
  readonly delivered: number;
}

export function createFakeNetwork(scheduler: VirtualScheduler, options: FakeNetworkOptions = {}, history?: HistoryWriter): FakeNetwork {
  const latency = options.latencyMs ?? 1;
  const systems = new Map<string, System>();
  let delivered = 0;

  const fetchFor = (from: string): SystemFetch => (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const request = input instanceof Request ? input : new Request(input, init);
      const url = new URL(request.url);
      const target = systems.get(url.origin);
      if (target === undefined) {
        reject(new NetworkError('refused', `${from}: nothing listens at ${url.origin}`, false));
        return;
      }
      const timeoutMs = init?.timeoutMs ?? DEFAULT_TEST_TIMEOUT_MS;
      const req = history?.nextRequestId() ?? 0;
      if (history !== undefined) {
        const corr = request.headers.get(HEADERS.correlationId);
        const attempt = request.headers.get(HEADERS.attempt);
        history.append({
          kind: 'send', req, from, to: url.host, method: request.method, path: url.pathname,
          ...(corr !== null ? { corr } : {}), ...(attempt !== null ? { attempt: Number(attempt) } : {}),
        });
      }
      let settled = false;
      const cancelTimeout = scheduler.setTimer(timeoutMs, () => {
        if (settled) return;
        settled = true;
        history?.append({ kind: 'timeout', req, outcome: 'unknown', reason: `no answer within ${timeoutMs} ms` });
        reject(new NetworkError('timeout', `${from}: ${request.method} ${request.url} got no answer within ${timeoutMs} ms`, true));
      });
      scheduler.setTimer(latency, () => {
        delivered++;
        history?.append({ kind: 'deliver', req });
        target.handle(request).then(
          (response) =>
            scheduler.setTimer(latency, () => {
              if (settled) return;
              settled = true;
              cancelTimeout();
              history?.append({ kind: 'response', req, status: response.status, outcome: response.status < 500 ? 'ok' : 'fail' });
              resolve(response);
            }),
          (error: unknown) =>
            scheduler.setTimer(latency, () => {
              if (settled) return;
              settled = true;
              cancelTimeout();
              history?.append({ kind: 'error', req, outcome: 'unknown', reason: `handler failed: ${(error as Error).message}` });
              reject(new NetworkError('reset', `${from}: ${request.url} failed: ${(error as Error).message}`, true));
            }),
        );
      });
    });

  return {
    register(origin, system) {
      systems.set(new URL(origin).origin, system);
    },
    fetchFor,
    get delivered() {
      return delivered;
    },
  };
}

/** Base URLs of the simulated world in tests. */
export const TEST_URLS = {
  capture: 'http://capture.test',
  payment: 'http://payment.test',
  logistics: 'http://logistics.test',
  middleware: 'http://middleware.test',
  odoo: 'http://odoo.test',
  crm: 'http://crm.test',
  analytics: 'http://analytics.test',
} as const;

export interface TestWorld {
  scheduler: VirtualScheduler;
  history: History;
  network: FakeNetwork;
  rng: Rng;
  /** Builds a system with a context from this world and registers it at `urls[name]`. */
  add<S extends System>(name: keyof typeof TEST_URLS, factory: (context: SystemContext) => S | Promise<S>, config?: Record<string, unknown>): Promise<S>;
  /** Runs virtual time until nothing but daemon timers is left, or `limitMs` after the epoch. */
  run(limitMs?: number): Promise<void>;
}

export function createTestWorld(seed: number, options: FakeNetworkOptions = {}): TestWorld {
  const scheduler = new VirtualScheduler(DEFAULT_SIM_EPOCH_MS);
  const history = new History(() => scheduler.now());
  const network = createFakeNetwork(scheduler, options, history);
  const rng = createRng(seed);
  const systems: System[] = [];
  let started = false;
  return {
    scheduler,
    history,
    network,
    rng,
    async add(name, factory, config = {}) {
      const context: SystemContext = {
        name,
        mode: 'sim',
        clock: scheduler,
        rng: rng.fork(name),
        fetch: network.fetchFor(name),
        history,
        urls: TEST_URLS,
        config,
      };
      const system = await factory(context);
      network.register(TEST_URLS[name], system);
      systems.push(system);
      return system;
    },
    async run(limitMs = 365 * 24 * 3_600_000) {
      if (!started) {
        started = true;
        for (const system of systems) await system.start?.();
      }
      const limit = DEFAULT_SIM_EPOCH_MS + limitMs;
      for (;;) {
        await drainMicrotasks();
        if (scheduler.pendingWork === 0) break;
        if (!scheduler.runNextInstant(limit)) break;
      }
      await drainMicrotasks();
    },
  };
}

/** A stand-in middleware for tests: answers with `respond`, counting and keeping what it got. */
export interface StubReceiver extends System {
  readonly received: { path: string; headers: Headers; body: string; at: number }[];
}

export function stubReceiver(
  clock: { now(): number },
  respond: (path: string, body: string, count: number) => number | Promise<number> = () => 200,
): StubReceiver {
  const received: StubReceiver['received'] = [];
  return {
    received,
    async handle(request) {
      const body = await request.text();
      const path = new URL(request.url).pathname;
      received.push({ path, headers: request.headers, body, at: clock.now() });
      const status = await respond(path, body, received.length);
      return new Response(status === 204 ? null : JSON.stringify({ ok: status < 300 }), { status });
    },
  };
}
