/**
 * A tiny in-process network on a VirtualScheduler for middleware tests: routes
 * fetch by URL origin to System handlers, with latency, timeouts and a hook
 * to lose a response after the server has processed the request.
 */
import type { Cancel } from '../../harness/core/clock.ts';
import { NetworkError } from '../../harness/core/system.ts';
import type { System, SystemFetch } from '../../harness/core/system.ts';
import { drainMicrotasks, type VirtualScheduler } from '../../harness/core/scheduler.ts';

export interface Exchange {
  from: string;
  method: string;
  url: string;
  status?: number;
  outcome: 'ok' | 'lost' | 'refused' | 'timeout';
}

export class FakeNetwork {
  readonly scheduler: VirtualScheduler;
  readonly latencyMs: number;
  readonly exchanges: Exchange[] = [];
  readonly #systems = new Map<string, System | undefined>();
  /** Asked once the server has handled the request: return true to drop its response. */
  loseResponse: (request: Request, from: string) => boolean = () => false;
  /** Extra delay before a request reaches its server. */
  requestDelay: (request: Request, from: string) => number = () => 0;

  constructor(scheduler: VirtualScheduler, latencyMs = 1) {
    this.scheduler = scheduler;
    this.latencyMs = latencyMs;
  }

  /** Registers (or replaces, or takes down with undefined) the system behind an origin such as `http://odoo.sim`. */
  attach(origin: string, system: System | undefined): void {
    this.#systems.set(origin, system);
  }

  fetchFor(from: string): SystemFetch {
    return (input, init) => {
      const { timeoutMs = 30_000, ...rest } = init ?? {};
      const request = new Request(input, rest);
      const origin = new URL(request.url).origin;
      const exchange: Exchange = { from, method: request.method, url: request.url, outcome: 'ok' };
      this.exchanges.push(exchange);
      return new Promise<Response>((resolve, reject) => {
        let settled = false;
        const settle = (fn: () => void) => {
          if (settled) return;
          settled = true;
          cancelTimeout();
          fn();
        };
        const cancelTimeout: Cancel = this.scheduler.setTimer(timeoutMs, () =>
          settle(() => {
            exchange.outcome = exchange.outcome === 'lost' ? 'lost' : 'timeout';
            reject(new NetworkError('timeout', `no answer from ${request.url} within ${timeoutMs} ms`, true));
          }),
        );
        this.scheduler.setTimer(this.latencyMs + this.requestDelay(request, from), () => {
          const system = this.#systems.get(origin);
          if (system === undefined) {
            exchange.outcome = 'refused';
            settle(() => reject(new NetworkError('refused', `${origin} is not reachable`, false)));
            return;
          }
          system.handle(request).then(
            (response) => {
              exchange.status = response.status;
              if (this.loseResponse(request, from)) {
                exchange.outcome = 'lost';
                return;
              }
              this.scheduler.setTimer(this.latencyMs, () => settle(() => resolve(response)));
            },
            (error: unknown) => settle(() => reject(error)),
          );
        });
      });
    };
  }

  /** Runs virtual time until nothing but daemon timers is left (or `untilMs` is reached). */
  async run(untilMs = this.scheduler.now() + 24 * 3600_000): Promise<void> {
    await drainMicrotasks();
    while (this.scheduler.pendingWork > 0 && this.scheduler.runNextInstant(untilMs)) await drainMicrotasks();
  }

  /** Runs virtual time for `ms`, daemon timers included. */
  async advance(ms: number): Promise<void> {
    const until = this.scheduler.now() + ms;
    await drainMicrotasks();
    while (this.scheduler.runNextInstant(until)) await drainMicrotasks();
    this.scheduler.advanceTo(until);
  }
}
