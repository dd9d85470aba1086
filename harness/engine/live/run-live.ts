import type { History } from '../../core/history.ts';
import { shippedInvariantNames } from '../../invariants/index.ts';
import { createOdooClient } from '../../odoo/client.ts';
import { UnreachableError } from '../../run/errors.ts';
import type { RunResult } from '../../run/result.ts';
import type { RunOptions } from '../../run/run-options.ts';
import { FAULTLINE_ODOO_DB, INTEGRATION_USER } from '../../contracts/identities.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { ScenarioError, scenarioProblems } from '../../scenario/validate.ts';
import { withCleanup } from './processes/cleanup.ts';
import { scheduleNetworkFaults } from './faults/fault-schedule.ts';
import type { NetworkFaultSchedule } from './faults/fault-schedule.ts';
import { createWallHistory } from './http/live-context.ts';
import { placeSystems } from './live-placement.ts';
import { liveSettings, onLiveTime } from './live-settings.ts';
import { liveStatsOf } from './load/live-stats.ts';
import { createLiveWorld } from './live-world.ts';
import type { LiveWorld } from './live-world.ts';
import { scheduledNetworkFaults } from './faults/live-links.ts';
import { startSystemProcess } from './processes/processes.ts';
import { waitForQuiet } from './quiescence.ts';
import { scheduleSystemFaults } from './faults/system-faults.ts';
import type { SystemFaultSchedule } from './faults/system-faults.ts';
import { startToxiproxy, ToxiproxyMissingError } from './faults/toxiproxy.ts';
import type { ToxiproxyServer } from './faults/toxiproxy.ts';
import { monotonicMs, wallClock } from '../../core/wall-clock.ts';
import { readLedger } from '../../run/ledgers.ts';
import { LOAD_SYSTEMS, loadFinished } from '../../run/load-systems.ts';
import type { LedgerSystem } from '../../run/observe-and-judge.ts';
import { runPhases } from '../../run/run-phases.ts';

/** Systems whose webhooks the run waits for. */
const WEBHOOK_SENDERS = ['payment', 'logistics', 'crm'] as const;

/** Shipment states after which a parcel has nothing left to do. */
const FINAL_SHIPMENT_STATES = new Set(['delivered', 'returned', 'cancelled']);

/**
 * One run in live mode: every system a real HTTP server on loopback (or a
 * user's process, or a real Odoo), every link through its own Toxiproxy
 * proxy, the scenario on real time with business delays scaled, then the same
 * invariants over the same kind of history as sim mode.
 */
export async function runLive(written: Scenario, options: RunOptions): Promise<RunResult> {
  const problems = scenarioProblems(written, shippedInvariantNames);
  if (problems.length > 0) throw new ScenarioError(written.name, problems);
  const startedAt = monotonicMs();
  const runStartMs = wallClock.now();
  const seed = options.seed ?? written.seed ?? 1;
  const settings = liveSettings(written, options.live);
  const scenario = onLiveTime(written, settings.timeScale);
  const deadlineMs = runStartMs + settings.timeoutMs;
  const faults = scenario.faults ?? [];
  const history = createWallHistory();
  const progress = (text: string): void => options.onProgress?.(text);

  return withCleanup(async (cleanup) => {
    const toxiproxy = options.live?.proxies === false ? undefined : await connectToxiproxy();
    if (toxiproxy !== undefined) cleanup.add('toxiproxy', () => toxiproxy.stop(), { onExit: () => toxiproxy.killNow() });

    const placement = await placeSystems({ scenario, options, settings, faults, cleanup, progress });
    const world = await createLiveWorld({
      seed,
      faults,
      placements: placement.placements,
      history,
      cleanup,
      ...(toxiproxy !== undefined && { toxiproxy }),
      timeScale: settings.timeScale,
      ...(options.live?.proxies === false && { proxies: false }),
      ...(placement.listenPorts !== undefined && { listenPorts: placement.listenPorts }),
    });
    await world.build();

    const odoo = placement.odoo ?? { url: world.directUrls.odoo!, db: FAULTLINE_ODOO_DB, login: 'admin', password: 'admin' };
    const admin = createOdooClient({ ...odoo, fetch: world.harness.fetch, timeoutMs: 60_000 });
    let startMs = 0;
    let endMs = 0;
    let network: NetworkFaultSchedule | undefined;
    let systemFaults: SystemFaultSchedule | undefined;
    let stopAll = async (): Promise<void> => undefined;
    return runPhases(written, options, seed, startedAt, {
      mode: 'live',
      scenario,
      admin,
      bootstrapsOdoo: placement.odoo === undefined,
      bounds: { convergenceBoundMs: settings.convergenceBoundMs, budgetMs: settings.timeoutMs },
      drive: (promise) => promise,
      async start() {
        await startMiddlewareOutside(world, placement, options, cleanup);
        startMs = wallClock.now();
        const horizonMs = Math.max(0, deadlineMs - startMs);
        const scheduled = scheduleNetworkFaults({ links: world.proxies, faults: scheduledNetworkFaults(faults, world.planned, horizonMs), history });
        network = scheduled;
        cleanup.add('network fault schedule', () => scheduled.stop());
        const switched = scheduleSystemFaults({
          faults,
          hosts: world.hosts,
          skew: world.skew,
          restartable: world.restartable,
          history,
          clock: wallClock,
          horizonMs,
        });
        systemFaults = switched;
        cleanup.add('system fault schedule', () => switched.stop());
        stopAll = cleanup.add('systems', () => stopSystems(world));
        await world.start(startMs);
      },
      async untilQuiet() {
        const quiet = await waitForQuiet({
          loadDone: () => LOAD_SYSTEMS.every((name) => loadFinished(world.system(name))),
          busy: busyProbe(world, history),
          settleMs: settings.settleMs,
          deadlineMs,
          clock: wallClock,
          onProgress: (text) => progress(`${Math.round((wallClock.now() - startMs) / 1000)} s, ${history.length} events, ${text}`),
        });
        endMs = wallClock.now();
        // Nothing may move while the ledgers and Odoo are read.
        await stopAll();
        await network?.stop();
        systemFaults?.stop();
        return quiet;
      },
      endOfRun: () => ({
        ledger: <T>(name: LedgerSystem) =>
          world.directUrls[name] === undefined ? Promise.resolve(undefined) : readLedger<T>(world.harness, world.directUrls[name]),
        analytics: world.hosts.has('analytics') ? world.system('analytics') : undefined,
        odoo: admin,
        hasCrm: world.directUrls.crm !== undefined,
      }),
      // The servers, proxies and processes close with the run's cleanup.
      stop: async () => undefined,
      history: () => history,
      stats(observed) {
        // A live run's history is short (its wall time bounds it): build it once for the counts and charts.
        const events = history.toArray();
        const faultErrors = [...(network?.errors ?? []), ...(systemFaults?.errors ?? []), ...[...world.hosts.values()].flatMap((h) => h.errors)].map(
          (e) => e.message,
        );
        const placed = observed.ledgers.capture?.orders.length ?? 0;
        const faultOn = events.filter((e) => e.kind === 'fault' && e.state === 'on').length;
        return {
          messages: events.filter((e) => e.kind === 'deliver').length,
          faultsInjected: faultOn + world.faultEffects,
          virtualMs: endMs - startMs,
          live: liveStatsOf({
            history: events,
            timeScale: settings.timeScale,
            // About twenty buckets over the run, whole seconds.
            intervalMs: Math.max(1_000, Math.ceil((endMs - startMs) / 20 / 1_000) * 1_000),
            droppedArrivals: Math.max(0, scenario.orders.count - placed),
            targetRatePerSec: Number(placement.placements.capture.kind === 'hosted' ? (placement.placements.capture.config.ratePerSecond ?? 20) : 0),
            faultErrors,
          }),
        };
      },
    });
  });
}

async function connectToxiproxy(): Promise<ToxiproxyServer> {
  try {
    return await startToxiproxy();
  } catch (error) {
    if (error instanceof ToxiproxyMissingError) throw new UnreachableError(error.message);
    throw new UnreachableError(`Toxiproxy did not start: ${(error as Error).message}`);
  }
}

/** A user's middleware given as a command starts once its upstream proxies exist (it is told their URLs). */
async function startMiddlewareOutside(
  world: LiveWorld,
  placement: Awaited<ReturnType<typeof placeSystems>>,
  options: RunOptions,
  cleanup: Parameters<Parameters<typeof withCleanup>[0]>[0],
): Promise<void> {
  const where = placement.placements.middleware;
  if (where.kind === 'process') {
    const [command, ...args] = splitCommand(options.live?.middlewareCommand ?? '');
    const urls = world.urlsFor('middleware');
    await startSystemProcess({
      name: 'middleware',
      command: command!,
      args,
      urls,
      port: where.port,
      cleanup,
      env: {
        FAULTLINE_ODOO_DB: placement.odoo?.db ?? FAULTLINE_ODOO_DB,
        FAULTLINE_ODOO_LOGIN: INTEGRATION_USER.login,
        FAULTLINE_ODOO_PASSWORD: INTEGRATION_USER.password,
      },
    }).catch((error: Error) => {
      throw new UnreachableError(error.message);
    });
  }
}

/** `node server.js --port 1` → words; double or single quotes group words. */
export function splitCommand(command: string): string[] {
  const words = [...command.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]!);
  return words;
}

/**
 * Why the live world is not quiet yet, from what the hosted systems can tell.
 * A look that finds new history since the previous one is busy too: between
 * one call's answer and the next call a system is at work that no counter sees.
 */
function busyProbe(world: LiveWorld, history: History): () => string | undefined {
  let seenEvents = -1;
  return () => {
    const events = history.length;
    const active = events !== seenEvents;
    seenEvents = events;
    return busyWith(world) ?? (active ? 'the systems to go quiet' : undefined);
  };
}

function busyWith(world: LiveWorld): string | undefined {
  let inFlight = 0;
  for (const host of world.hosts.values()) {
    if (!host.up) return `${host.name} to restart`;
    // As in sim, where the callers' retries keep the run going: what they owe a system that is down is still to do.
    if (host.outage !== null) return `${host.name} to come back from its outage`;
    inFlight += host.inFlight;
  }
  if (inFlight > 0) return `${inFlight} requests in flight`;
  if (world.callsInFlight > 0) return `${world.callsInFlight} calls on their way`;
  let webhooks = 0;
  for (const name of WEBHOOK_SENDERS) {
    const system = world.system(name) as { pendingWebhooks?: () => number } | undefined;
    webhooks += system?.pendingWebhooks?.() ?? 0;
  }
  if (webhooks > 0) return `${webhooks} webhooks pending`;
  // As sim's scheduler does: a retry or a re-check a system has scheduled is work still to do.
  for (const [name, timers] of world.pendingWork()) if (timers > 0) return `${name}'s ${timers} scheduled ${timers === 1 ? 'task' : 'tasks'}`;
  const logistics = world.system('logistics') as { ledger?: () => { shipments: Array<{ status: string }> } } | undefined;
  const moving = logistics?.ledger?.().shipments.filter((s) => !FINAL_SHIPMENT_STATES.has(s.status)).length ?? 0;
  if (moving > 0) return `${moving} parcels on their way`;
  return undefined;
}

async function stopSystems(world: LiveWorld): Promise<void> {
  for (const name of ['crm', 'capture', 'middleware', 'logistics', 'payment', 'analytics', 'odoo']) await world.stopSystem(name);
}
