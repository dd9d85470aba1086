import type { Clock } from '../../core/clock.ts';
import { createIncarnation } from '../../core/incarnation.ts';
import type { Incarnation } from '../../core/incarnation.ts';
import { scheduleFaultSwitches } from '../../core/fault-switches.ts';
import type { FaultSwitches } from '../../core/fault-switches.ts';
import type { FaultSpec } from '../../core/faults.ts';
import { eventsOfKind, History } from '../../core/history.ts';
import { isOdooWrite } from '../../core/odoo-reads.ts';
import { createRng } from '../../core/rng.ts';
import type { Rng } from '../../core/rng.ts';
import { VirtualScheduler, drainMicrotasks, settleContinuations } from '../../core/scheduler.ts';
import type { System, SystemContext, SystemFactory, SystemFetch } from '../../core/system.ts';
import { SimNetwork } from './network.ts';

export interface SystemSpec {
  name: string;
  factory: SystemFactory;
  config?: Readonly<Record<string, unknown>>;
  /**
   * After a crash, build the system anew from its factory (a process that
   * restarts and recovers from its durable store). Systems whose state lives
   * in a database that outlives the process (Odoo) keep their object.
   */
  recreateOnRestart?: boolean;
  dataDir?: string;
}

export interface SimWorldOptions {
  seed: number;
  epochMs: number;
  systems: readonly SystemSpec[];
  faults?: readonly FaultSpec[];
  /** How far ahead fault edges are scheduled (periodic faults). */
  horizonMs?: number;
}

/** Instants between two real turns of the event loop, so a long run still lets signals and progress output through. */
const INSTANTS_PER_REAL_TURN = 1024;

/**
 * What runs between two virtual instants: the continuations the last one
 * started, and now and then a real turn of the event loop (it finds nothing
 * left to run, so where it falls changes nothing in the run).
 */
function betweenInstants(instants: number): Promise<void> {
  return instants % INSTANTS_PER_REAL_TURN === 0 ? drainMicrotasks() : settleContinuations();
}

interface Running {
  system: System;
  incarnation: Incarnation;
}

/**
 * Everything of one simulated run in one process: virtual time, one seeded
 * random source, the network and the systems. Systems only see their context.
 */
export class SimWorld {
  readonly scheduler: VirtualScheduler;
  readonly rng: Rng;
  readonly history: History;
  readonly network: SimNetwork;
  readonly urls: Record<string, string> = {};
  readonly startMs: number;
  #switches: FaultSwitches | undefined;
  readonly #specs = new Map<string, SystemSpec>();
  readonly #live = new Map<string, Running>();
  readonly #skew = new Map<string, number>();
  readonly #faults: readonly FaultSpec[];
  readonly #horizonMs: number;

  /** Fault edges switched on so far. */
  get faultsInjected(): number {
    return this.#switches?.switchedOn ?? 0;
  }

  constructor(options: SimWorldOptions) {
    this.scheduler = new VirtualScheduler(options.epochMs);
    this.startMs = options.epochMs;
    this.rng = createRng(options.seed);
    this.history = new History(() => this.scheduler.now());
    this.network = new SimNetwork(this.scheduler, this.rng.fork('network'), this.history);
    this.#faults = options.faults ?? [];
    this.#horizonMs = options.horizonMs ?? 24 * 3600_000;
    for (const spec of options.systems) {
      this.#specs.set(spec.name, spec);
      this.urls[spec.name] = this.network.register(spec.name);
    }
  }

  /** Builds every system, in the order given. */
  async init(): Promise<void> {
    for (const spec of this.#specs.values()) await this.#incarnate(spec);
  }

  /**
   * Switches the faults on their schedules, counted from now, then starts the
   * systems. Setup before this (the Odoo bootstrap) runs on a healthy world.
   */
  async start(): Promise<void> {
    this.network.setFaults(this.#faults, this.scheduler.now());
    this.#scheduleFaultEdges();
    for (const [name] of this.#specs) {
      const system = this.#live.get(name)?.system;
      if (system?.start !== undefined) await this.drive(Promise.resolve(system.start()));
    }
  }

  system(name: string): System {
    const incarnation = this.#live.get(name);
    if (incarnation === undefined) throw new Error(`system "${name}" is not running`);
    return incarnation.system;
  }

  /** A context for a party that is not a system, such as the harness reading results. */
  contextFor(name: string, config: Readonly<Record<string, unknown>> = {}): SystemContext {
    return this.#context(name, config, this.scheduler, this.network.fetchFor(name), undefined);
  }

  /**
   * Runs virtual time until `promise` settles. The harness uses it to wait for
   * its own calls (bootstrap, reading ledgers) inside the simulated world.
   */
  async drive<T>(promise: Promise<T>, maxVirtualMs = 24 * 3600_000): Promise<T> {
    let done = false;
    const settled = promise.finally(() => {
      done = true;
    });
    settled.catch(() => undefined);
    await drainMicrotasks();
    const limit = this.scheduler.now() + maxVirtualMs;
    let instants = 0;
    while (!done) {
      if (!this.scheduler.runNextInstant(limit)) {
        if (!done) throw new Error('the simulated world went quiet before the harness call finished (a call without a timeout?)');
        break;
      }
      await betweenInstants(++instants);
    }
    return settled;
  }

  /**
   * Runs until the world is quiet: the load has finished, no work is left but
   * daemon timers, and `settleMs` has passed since the last real activity, so
   * periodic jobs such as reconciliation get their turn after the last event
   * they might have to repair. Work a daemon starts in an otherwise idle world
   * (a reconciliation pass) does not extend the window, or a periodic job
   * would keep the run alive forever, unless it changes Odoo: a pass that
   * repairs an order (posts its invoice once it learnt of the delivery) is
   * real activity, and the jobs that follow Odoo (an analytics export) get
   * their turn after it too. Stops at `maxVirtualMs` regardless.
   */
  async runUntilQuiet(options: {
    loadDone: () => boolean;
    settleMs: number;
    maxVirtualMs: number;
    onProgress?: (virtualMs: number) => void;
  }): Promise<{ quiescent: boolean }> {
    const scheduler = this.scheduler;
    const hardLimit = this.startMs + options.maxVirtualMs;
    let loadDoneAt: number | undefined;
    let lastBusyAt = scheduler.now();
    let daemonBurst = false;
    let instants = 0;
    let seen = this.history.length;
    for (;;) {
      if (loadDoneAt === undefined && options.loadDone()) loadDoneAt = scheduler.now();
      if (scheduler.pendingWork === 0) {
        if (loadDoneAt !== undefined) {
          const settleEnd = Math.max(loadDoneAt, lastBusyAt) + options.settleMs;
          const next = scheduler.peekTime();
          if (next === undefined || next > settleEnd) {
            scheduler.advanceTo(Math.min(settleEnd, hardLimit));
            return { quiescent: true };
          }
        }
        // Only daemon timers are left: whatever the next one starts belongs to it.
        daemonBurst = true;
      }
      if (!scheduler.runNextInstant(hardLimit)) {
        const quiet = scheduler.pendingWork === 0;
        if (!quiet) scheduler.advanceTo(hardLimit);
        return { quiescent: quiet && loadDoneAt !== undefined };
      }
      await betweenInstants(++instants);
      if (!daemonBurst || this.#changedOdooSince(seen)) lastBusyAt = scheduler.now();
      seen = this.history.length;
      if (scheduler.pendingWork === 0) daemonBurst = false;
      if (options.onProgress !== undefined && instants % 4096 === 0) options.onProgress(scheduler.now() - this.startMs);
    }
  }

  /** Whether an Odoo call since event `from` changed data and was done. */
  #changedOdooSince(from: number): boolean {
    for (const event of eventsOfKind(this.history, ['odoo'], from)) if (event.outcome === 'ok' && isOdooWrite(event)) return true;
    return false;
  }

  async stop(): Promise<void> {
    for (const [name, running] of this.#live) {
      running.incarnation.kill();
      try {
        await running.system.stop?.();
      } catch (error) {
        throw new Error(`system "${name}" failed to stop: ${(error as Error).message}`);
      }
    }
  }

  async #incarnate(spec: SystemSpec): Promise<void> {
    const incarnation = createIncarnation(this.scheduler, () => this.#skew.get(spec.name) ?? 0);
    const context = {
      ...this.#context(spec.name, spec.config ?? {}, incarnation.clock, this.network.fetchFor(spec.name, incarnation.alive), spec.dataDir),
      onKill: (release: () => void) => incarnation.onKill(release),
    };
    const system = await spec.factory(context);
    this.#live.set(spec.name, { system, incarnation });
    this.network.attach(spec.name, system);
  }

  #context(name: string, config: Readonly<Record<string, unknown>>, clock: Clock, fetch: SystemFetch, dataDir: string | undefined): SystemContext {
    return {
      name,
      mode: 'sim',
      clock,
      rng: this.rng.fork(`system:${name}`),
      fetch,
      history: this.history,
      urls: this.urls,
      config,
      ...(dataDir !== undefined && { dataDir }),
    };
  }

  #scheduleFaultEdges(): void {
    this.#switches = scheduleFaultSwitches({
      faults: this.#faults,
      horizonMs: this.#horizonMs,
      clock: this.scheduler,
      history: this.history,
      actions: {
        crash: (name, restartAfterMs) => this.#crash(name, restartAfterMs),
        outage: (name, status) => this.network.setOutage(name, status),
        skew: (name, offsetMs) => {
          if (offsetMs === null) this.#skew.delete(name);
          else this.#skew.set(name, offsetMs);
        },
        delegate: (name, fault, on) => this.#live.get(name)?.system.setFault?.(fault.kind, on ? fault : null) ?? false,
      },
    });
  }

  #crash(name: string, restartAfterMs: number): void {
    const spec = this.#specs.get(name);
    const running = this.#live.get(name);
    if (spec === undefined || running === undefined) return;
    this.history.append({ kind: 'crash', system: name });
    this.network.setDown(name, true);
    if (spec.recreateOnRestart === true) {
      running.incarnation.kill();
      this.#live.delete(name);
      this.network.attach(name, undefined);
    }
    // Not a daemon: a crashed system coming back is work the run must wait for.
    this.scheduler.setTimer(restartAfterMs, () => {
      void (async () => {
        if (spec.recreateOnRestart === true) {
          await this.#incarnate(spec);
          await this.#live.get(name)?.system.start?.();
        }
        this.network.setDown(name, false);
        this.history.append({ kind: 'restart', system: name });
      })();
    });
  }
}
