/**
 * The test kit: a simulated world for tests and benchmarks, built on the sim
 * engine itself (harness/engine/sim: SimWorld and its network) rather than a
 * network of its own. Faults are the engine's `FaultSpec`s, switched on their
 * schedules from `start`; Odoo, when a test wants one, is the emulator
 * (simulators/odoo), bootstrapped over the wire before the faults begin, as a
 * run prepares it.
 */
import { DEFAULT_SIM_EPOCH_MS } from '../harness/core/clock.ts';
import type { FaultSpec } from '../harness/core/faults.ts';
import type { DomainEvent, HistoryEvent } from '../harness/core/history.ts';
import { FAULTLINE_ODOO_DB as ODOO_DB } from '../harness/contracts/identities.ts';
import type { System, SystemFactory, SystemFetch } from '../harness/core/system.ts';
import { SimWorld } from '../harness/engine/sim/world.ts';
import type { SystemSpec } from '../harness/engine/sim/world.ts';
import { bootstrapOdoo } from '../harness/odoo/bootstrap.ts';
import type { BootstrapResult } from '../harness/odoo/bootstrap.ts';
import { createOdooClient } from '../harness/odoo/client.ts';
import type { OdooClient } from '../harness/odoo/client.ts';
import { createOdooEmulator } from '../simulators/odoo/index.ts';
import type { AccessLogEntry, OdooEmulator, OdooEmulatorOptions } from '../simulators/odoo/index.ts';

/** A system of the world: its factory, or the engine's spec of it without the name. */
export type KitSystem = SystemFactory | Omit<SystemSpec, 'name'>;

export interface KitOptions {
  seed?: number;
  /** The systems, in start order (Odoo, when asked for, comes first). */
  systems?: Readonly<Record<string, KitSystem>>;
  /** Faults, scheduled from the moment the world starts (after Odoo's bootstrap). */
  faults?: readonly FaultSpec[];
  /** Adds the Odoo emulator as `odoo` and bootstraps it; the options go to the emulator. */
  odoo?: boolean | OdooEmulatorOptions;
  /** Bootstraps the emulator with the admin client (default true when there is an Odoo). */
  bootstrap?: boolean;
}

/** Half a year of virtual time: a bound no test is meant to reach. */
const FOREVER_MS = 183 * 24 * 3_600_000;

export class TestWorld {
  readonly sim: SimWorld;
  #emulator: OdooEmulator | undefined;
  #bootstrap: BootstrapResult | undefined;
  /** When `start` switched the faults on: their schedules count from here. */
  #startedAt = 0;

  private constructor(sim: SimWorld) {
    this.sim = sim;
  }

  /** Builds the world, bootstraps its Odoo and starts it: faults and systems' own work begin. */
  static async create(options: KitOptions = {}): Promise<TestWorld> {
    const specs: SystemSpec[] = [];
    let world: TestWorld | undefined;
    if (options.odoo !== undefined && options.odoo !== false) {
      const settings: OdooEmulatorOptions = { db: ODOO_DB, ...(options.odoo === true ? {} : options.odoo) };
      specs.push({
        name: 'odoo',
        factory: (context) => {
          const emulator = createOdooEmulator(context, settings);
          if (world !== undefined) world.#emulator = emulator;
          return emulator;
        },
      });
    }
    for (const [name, system] of Object.entries(options.systems ?? {})) {
      specs.push(typeof system === 'function' ? { name, factory: system } : { name, ...system });
    }
    const sim = new SimWorld({ seed: options.seed ?? 1, epochMs: DEFAULT_SIM_EPOCH_MS, systems: specs, faults: options.faults ?? [] });
    world = new TestWorld(sim);
    await sim.init();
    if (world.#emulator !== undefined && options.bootstrap !== false) world.#bootstrap = await sim.drive(bootstrapOdoo(world.odooClient()));
    world.#startedAt = sim.scheduler.now();
    await sim.start();
    return world;
  }

  /** The Odoo emulator of this world. */
  get odoo(): OdooEmulator {
    if (this.#emulator === undefined) throw new Error('this test world has no Odoo');
    return this.#emulator;
  }

  get bootstrap(): BootstrapResult {
    if (this.#bootstrap === undefined) throw new Error('this test world did not bootstrap an Odoo');
    return this.#bootstrap;
  }

  /** A client of the world's Odoo, by default as its admin, calling from the harness (which faults never touch). */
  odooClient(login = 'admin', password = 'admin', from = 'harness'): OdooClient {
    return createOdooClient({ url: this.sim.urls.odoo!, db: ODOO_DB, login, password, fetch: this.fetchFor(from), timeoutMs: 30_000 });
  }

  /** Reads Odoo's state in-process, as the admin. */
  read(model: string, domain: unknown[], fields: string[]): Record<string, unknown>[] {
    return this.odoo.execute(model, 'search_read', [domain], { fields, context: { active_test: false } }) as Record<string, unknown>[];
  }

  /** The model calls Odoo served since the world started (the bootstrap's excluded), logins aside. */
  odooCalls(): AccessLogEntry[] {
    return this.odoo.accessLog(ODOO_DB).filter((entry) => entry.at >= this.#startedAt && entry.method !== 'authenticate');
  }

  system<S extends System = System>(name: string): S {
    return this.sim.system(name) as S;
  }

  url(name: string): string {
    const url = this.sim.urls[name];
    if (url === undefined) throw new Error(`no system named "${name}" in this test world`);
    return url;
  }

  /** The `fetch` of a party named `from` (a system, or someone outside them such as the capture platform in a middleware test). */
  fetchFor(from: string): SystemFetch {
    return this.sim.network.fetchFor(from);
  }

  get now(): number {
    return this.sim.scheduler.now();
  }

  /** Virtual milliseconds since the world started: the clock the faults' schedules count on. */
  get elapsed(): number {
    return this.now - this.#startedAt;
  }

  /** Runs the world until `promise` settles; its answer, or the error it failed with. */
  async call(promise: Promise<Response>): Promise<Response | Error> {
    return this.sim.drive(promise).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  }

  /** Runs until nothing but daemon timers is left. */
  async run(maxVirtualMs = FOREVER_MS): Promise<void> {
    await this.sim.runUntilQuiet({ loadDone: () => true, settleMs: 0, maxVirtualMs: this.now - this.sim.startMs + maxVirtualMs });
  }

  /** Runs `ms` of virtual time, daemon timers included. */
  async advance(ms: number): Promise<void> {
    await this.sim.drive(new Promise<void>((resolve) => this.sim.scheduler.setTimer(ms, resolve)), ms + 1);
  }

  /** Every event so far, built afresh on each read. */
  get history(): readonly HistoryEvent[] {
    return this.sim.history.toArray();
  }

  /** Domain events named `name`, of the order `corr` when given. */
  events(name?: string, corr?: string): DomainEvent[] {
    return this.history.filter(
      (e): e is DomainEvent => e.kind === 'event' && (name === undefined || e.name === name) && (corr === undefined || e.corr === corr),
    );
  }

  /** Requests sent from `from` to `to` (and a path prefix), as the network recorded them. */
  sends(from: string, to: string, path = ''): Extract<HistoryEvent, { kind: 'send' }>[] {
    return this.history.filter(
      (e): e is Extract<HistoryEvent, { kind: 'send' }> => e.kind === 'send' && e.from === from && e.to === to && e.path.startsWith(path),
    );
  }

  /** Messages a fault of `kind` dropped (requests or answers), with the request each belonged to. */
  drops(fault: string): Extract<HistoryEvent, { kind: 'send' }>[] {
    const dropped = new Set(this.history.flatMap((e) => (e.kind === 'drop' && e.fault.startsWith(fault) ? [e.req] : [])));
    return this.history.filter((e): e is Extract<HistoryEvent, { kind: 'send' }> => e.kind === 'send' && dropped.has(e.req));
  }

  async stop(): Promise<void> {
    await this.sim.stop();
  }
}
