import type { Cancel, Clock } from '../../../core/clock.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import type { System } from '../../../core/system.ts';
import { serveSystem } from './serve-system.ts';

export { createIncarnation } from '../../../core/incarnation.ts';
export type { Incarnation } from '../../../core/incarnation.ts';
import type { ServedSystem } from './serve-system.ts';

/**
 * A system served over HTTP with the system faults sim mode applies at its
 * door: an outage answers every request with a status, a crash closes the
 * server (open connections and the requests on them are dropped) and opens it
 * again on the same port later.
 */
export interface SystemHost {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Requests being handled right now. */
  readonly inFlight: number;
  readonly system: System | undefined;
  readonly up: boolean;
  /** The status an outage answers with right now, or null when there is none. */
  readonly outage: number | null;
  attach(system: System | undefined): void;
  setOutage(status: number | null): void;
  /** `rebuild` (a process that restarts from its durable store) replaces the system; without it the object is kept. */
  crash(restartAfterMs: number, rebuild?: () => Promise<System>): void;
  /** Restart problems (the port taken meanwhile, a factory that threw). */
  readonly errors: readonly Error[];
  close(): Promise<void>;
}

export interface HostOptions {
  name: string;
  history: HistoryWriter;
  /** Real time: when the crashed system comes back. */
  clock: Clock;
}

export async function hostSystem(options: HostOptions): Promise<SystemHost> {
  const { name, history, clock } = options;
  let current: System | undefined;
  let outage: number | null = null;
  let inFlight = 0;
  let up = true;
  let closed = false;
  const errors: Error[] = [];
  const pendingRestarts = new Set<Cancel>();

  const front: System = {
    async handle(request) {
      if (outage !== null) return new Response(`${name} unavailable`, { status: outage });
      const system = current;
      if (system === undefined) {
        return Response.json({ error: `${name} is not running yet (starting or restarting)` }, { status: 503, headers: { 'retry-after': '1' } });
      }
      inFlight++;
      try {
        return await system.handle(request);
      } finally {
        inFlight--;
      }
    },
  };

  let served: ServedSystem = await serveSystem(front);
  const port = served.port;

  return {
    name,
    url: served.url,
    port,
    get inFlight() {
      return inFlight;
    },
    get system() {
      return current;
    },
    get up() {
      return up;
    },
    get outage() {
      return outage;
    },
    errors,
    attach(system) {
      current = system;
    },
    setOutage(status) {
      outage = status;
    },
    crash(restartAfterMs, rebuild) {
      if (!up || closed) return;
      up = false;
      history.append({ kind: 'crash', system: name });
      if (rebuild !== undefined) current = undefined;
      const closing = served.close();
      const cancel = clock.setTimer(restartAfterMs, () => {
        pendingRestarts.delete(cancel);
        void (async () => {
          try {
            await closing;
            if (rebuild !== undefined) current = await rebuild();
            if (closed) return;
            served = await serveSystem(front, { port });
            up = true;
            history.append({ kind: 'restart', system: name });
          } catch (error) {
            errors.push(new Error(`${name} did not come back after its crash: ${(error as Error).message}`, { cause: error }));
          }
        })();
      });
      pendingRestarts.add(cancel);
    },
    async close() {
      closed = true;
      for (const cancel of pendingRestarts) cancel();
      pendingRestarts.clear();
      await served.close();
    },
  };
}
