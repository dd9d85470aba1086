import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isLinkFault } from '../../core/faults.ts';
import type { FaultSpec, LinkFaultSpec } from '../../core/faults.ts';
import type { History } from '../../core/history.ts';
import { createRng } from '../../core/rng.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../../core/system.ts';
import type { System, SystemContext, SystemFactory, SystemFetch } from '../../core/system.ts';
import type { CleanupRegistry } from './processes/cleanup.ts';
import { createLiveContext } from './http/live-context.ts';
import type { LiveSystemContext } from './http/live-context.ts';
import { createLiveFetch } from './http/live-fetch.ts';
import { isNetworkFault, planLinks } from './faults/live-links.ts';
import type { PlannedLink } from './faults/live-links.ts';
import { createSenderFetch } from './faults/sender-faults.ts';
import type { SenderRoute } from './faults/sender-faults.ts';
import { createIncarnation, hostSystem } from './processes/system-host.ts';
import type { Incarnation, SystemHost } from './processes/system-host.ts';
import { createLinkProxies } from './faults/toxiproxy.ts';
import type { LinkProxy, ToxiproxyServer } from './faults/toxiproxy.ts';
import { wallClock } from '../../core/wall-clock.ts';
import { START_ORDER } from '../../run/systems.ts';

export type LiveSystemName = (typeof START_ORDER)[number];
/** Systems a run has only when its scenario opts into them. */
export type OptInSystemName = 'crm' | 'analytics';

/** Where each system of a run is: every built-in one, and the opt-in ones the scenario has. */
export type LivePlacements = Readonly<Record<Exclude<LiveSystemName, OptInSystemName>, SystemPlacement>> &
  Readonly<Partial<Record<OptInSystemName, SystemPlacement>>>;

/** A system Faultline runs in this process, or one elsewhere that it only reaches by URL. */
export type SystemPlacement =
  | { kind: 'hosted'; factory: SystemFactory; config: Readonly<Record<string, unknown>>; recreateOnRestart?: boolean }
  | { kind: 'external'; url: string }
  /** A process Faultline starts once the proxies exist; it will listen on `port`. */
  | { kind: 'process'; port: number };

export interface LiveWorldOptions {
  seed: number;
  faults: readonly FaultSpec[];
  placements: LivePlacements;
  history: History;
  cleanup: CleanupRegistry;
  /** Needed unless `proxies` is false. */
  toxiproxy?: ToxiproxyServer;
  timeScale: number;
  /** Fixed proxy ports for links a user's already-running middleware calls. */
  listenPorts?: Readonly<Record<string, number>>;
  fetchTimeoutMs?: number;
  /** false: no proxies, systems call each other directly (to measure what the proxies cost). */
  proxies?: boolean;
}

export interface Restartable {
  /** Ends the running incarnation at the crash: its timers stop and its fetch refuses, as a killed process's would. */
  readonly kill: () => void;
  /** Builds and starts the next incarnation from the durable store. */
  readonly rebuild: () => Promise<System>;
}

export interface LiveWorld {
  readonly hosts: ReadonlyMap<string, SystemHost>;
  /** Where each system really listens (the harness reads ledgers and Odoo there, without faults). */
  readonly directUrls: Readonly<Record<string, string>>;
  /** The proxy URLs one system calls, e.g. the middleware's `{odoo, payment, logistics}`. */
  urlsFor(from: string): Record<string, string>;
  readonly proxies: readonly LinkProxy[];
  readonly planned: readonly PlannedLink[];
  readonly skew: Map<string, number>;
  /** The systems that restart from their durable store after a crash (the middleware). */
  readonly restartable: ReadonlyMap<string, Restartable>;
  /** A context for a party that is not a system (the harness): direct URLs, no faults. */
  readonly harness: LiveSystemContext;
  /** Builds the hosted systems and attaches them to their servers. */
  build(): Promise<void>;
  /** Starts the hosted systems in START_ORDER; fault schedules count from `startMs`. */
  start(startMs: number): Promise<void>;
  /** The hosted system now serving `name`. */
  system(name: string): System | undefined;
  /**
   * Stops a hosted system as its process would end: the incarnation first
   * (its timers cancelled, its calls fenced), then the system's own `stop`.
   * The incarnation owns the timers, so a system need not track its own.
   */
  stopSystem(name: string): Promise<void>;
  /** Messages a sender-side fault acted on. */
  readonly faultEffects: number;
  /**
   * Calls the hosted systems made that have not been answered yet, those of
   * crashed incarnations included: a call held in Toxiproxy or by a sender's
   * fault is at no server yet, and the run is not over while it can land.
   */
  readonly callsInFlight: number;
  /** Per system, the timers its running incarnation still owes work to (retries, re-checks; not periodic daemons). */
  pendingWork(): ReadonlyMap<string, number>;
}

/**
 * Serves the hosted systems, puts one Toxiproxy proxy on every link (and on
 * every path a network fault names), and gives each system a context whose
 * URLs are the proxies it calls and whose fetch applies the senders' faults.
 */
export async function createLiveWorld(options: LiveWorldOptions): Promise<LiveWorld> {
  const { history, cleanup, placements } = options;
  const hosts = new Map<string, SystemHost>();
  const directUrls: Record<string, string> = {};
  for (const name of START_ORDER) {
    const placement = placements[name];
    if (placement === undefined) continue;
    if (placement.kind === 'hosted') {
      const host = await hostSystem({ name, history, clock: wallClock });
      cleanup.add(`${name} server`, () => host.close());
      hosts.set(name, host);
      directUrls[name] = host.url;
    } else if (placement.kind === 'external') {
      directUrls[name] = placement.url.replace(/\/+$/, '');
    } else {
      directUrls[name] = `http://127.0.0.1:${placement.port}`;
    }
  }

  const optIn = new Set(START_ORDER.filter((name) => placements[name] !== undefined));
  const planned = options.proxies === false ? [] : planLinks(options.faults, optIn);
  if (planned.length > 0 && options.toxiproxy === undefined) throw new Error('createLiveWorld: the links need a Toxiproxy server');
  const proxies =
    planned.length === 0
      ? []
      : await createLinkProxies(
          options.toxiproxy!,
          planned.map((link) => ({
            name: link.name,
            upstreamUrl: directUrls[link.to]!,
            ...(link.path === undefined && options.listenPorts?.[link.name] !== undefined && { listenPort: options.listenPorts[link.name]! }),
          })),
        );
  const proxyUrl = new Map(proxies.map((proxy) => [proxy.name, proxy.url]));
  const routesFor = (from: string): SenderRoute[] =>
    planned
      .filter((link) => link.from === from && link.path === undefined)
      .map((link) => ({
        to: link.to,
        base: proxyUrl.get(link.name)!,
        paths: planned.filter((p) => p.from === from && p.to === link.to && p.path !== undefined).map((p) => ({ path: p.path!, base: proxyUrl.get(p.name)! })),
      }));
  const urlsFor = (from: string): Record<string, string> => {
    const urls: Record<string, string> = { ...directUrls };
    delete urls[from];
    for (const route of routesFor(from)) urls[route.to] = route.base;
    return urls;
  };

  const messageFaults = options.faults.filter((f): f is LinkFaultSpec => isLinkFault(f) && !isNetworkFault(f));
  const skew = new Map<string, number>();
  const restartable = new Map<string, Restartable>();
  let startMs = Number.POSITIVE_INFINITY;
  let faultEffects = 0;
  let callsInFlight = 0;
  const incarnations = new Map<string, Incarnation>();

  const harness = createLiveContext({ name: 'harness', seed: options.seed, urls: directUrls, history, fetchTimeoutMs: 60_000 });
  cleanup.add('harness connections', () => harness.close());

  /** One incarnation's context: its own clock, its own connection pool, the senders' faults. */
  const contextFor = (name: string, config: Readonly<Record<string, unknown>>, incarnation: Incarnation, dataDir: string | undefined): SystemContext => {
    const urls = urlsFor(name);
    const routes = routesFor(name);
    const aliases = routes.flatMap((route) => route.paths.map((p) => ({ name: route.to, base: p.base })));
    const live = createLiveFetch({ from: name, urls, history, clock: wallClock, defaultTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, aliases });
    const quiet = createLiveFetch({
      from: name,
      urls,
      history: { append: () => 0, nextRequestId: () => 0 },
      clock: wallClock,
      defaultTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    });
    cleanup.add(`${name} connections`, () => {
      live.close();
      quiet.close();
    });
    return {
      name,
      mode: 'live',
      history,
      urls: Object.freeze(urls),
      config: Object.freeze({ ...config }),
      clock: incarnation.clock,
      // The same stream as in sim mode, so both modes place the same orders for the same seed.
      rng: createRng(options.seed).fork(`system:${name}`),
      // Fenced outside the count: a dead incarnation's call still ends for quiescence, while its caller never resumes.
      fetch: incarnation.fence(
        countCalls(
          createSenderFetch({
            from: name,
            live,
            quiet: quiet.fetch,
            routes,
            faults: messageFaults,
            rng: createRng(options.seed).fork(`network:${name}`),
            history,
            clock: wallClock,
            startMs: () => startMs,
            timeScale: options.timeScale,
            defaultTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
            alive: incarnation.alive,
            onEffect: () => faultEffects++,
          }),
        ),
      ),
      ...(dataDir !== undefined && { dataDir }),
      onKill: (release) => incarnation.onKill(release),
    };
  };

  const countCalls =
    (fetch: SystemFetch): SystemFetch =>
    async (input, init) => {
      callsInFlight++;
      try {
        return await fetch(input, init);
      } finally {
        callsInFlight--;
      }
    };

  const incarnate = async (name: string): Promise<System> => {
    const placement = placements[name as LiveSystemName];
    if (placement?.kind !== 'hosted') throw new Error(`${name} is not hosted by Faultline`);
    incarnations.get(name)?.kill();
    const incarnation = createIncarnation(wallClock, () => skew.get(name) ?? 0);
    incarnations.set(name, incarnation);
    const system = await placement.factory(contextFor(name, placement.config, incarnation, dataDirs.get(name)));
    return system;
  };

  const dataDirs = new Map<string, string>();
  for (const name of START_ORDER) {
    const placement = placements[name];
    if (placement?.kind !== 'hosted' || placement.recreateOnRestart !== true) continue;
    // The durable store lives outside the system's memory so a crash tests recovery.
    const dir = mkdtempSync(join(tmpdir(), `faultline-live-${name}-`));
    dataDirs.set(name, dir);
    cleanup.add(`${name} data dir`, () => rmSync(dir, { recursive: true, force: true }));
    restartable.set(name, {
      kill: () => incarnations.get(name)?.kill(),
      rebuild: async () => {
        const system = await incarnate(name);
        await system.start?.();
        return system;
      },
    });
  }
  cleanup.add('system timers', () => {
    for (const incarnation of incarnations.values()) incarnation.kill();
  });

  return {
    hosts,
    directUrls,
    urlsFor,
    proxies,
    planned,
    skew,
    restartable,
    harness,
    async build() {
      for (const [name, host] of hosts) host.attach(await incarnate(name));
    },
    async start(at) {
      startMs = at;
      for (const name of START_ORDER) {
        const system = hosts.get(name)?.system;
        if (system?.start !== undefined) await system.start();
      }
    },
    system: (name) => hosts.get(name)?.system,
    async stopSystem(name) {
      incarnations.get(name)?.kill();
      await hosts.get(name)?.system?.stop?.();
    },
    get faultEffects() {
      return faultEffects;
    },
    get callsInFlight() {
      return callsInFlight;
    },
    pendingWork: () =>
      new Map([...incarnations].filter(([, incarnation]) => incarnation.alive()).map(([name, incarnation]) => [name, incarnation.pendingWork()])),
  };
}
