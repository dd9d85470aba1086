import { declaredExitCode, EXIT } from '../../core/exit-codes.ts';
import { isLinkFault, liveSelectorProblem } from '../../core/faults.ts';
import type { FaultSpec } from '../../core/faults.ts';
import { createTimedFetch } from '../../odoo/targets/timed-fetch.ts';
import { resolveOdooTarget } from '../../odoo/targets/index.ts';
import type { OdooConnection } from '../../odoo/targets/index.ts';
import { FaultNotExpressibleError, UnreachableError, UsageError } from '../../run/errors.ts';
import type { RunOptions } from '../../run/run-options.ts';
import { MIDDLEWARE_STARTS_BEFORE, systemsOf } from '../../run/systems.ts';
import { systemConfigs } from '../../scenario/system-configs.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import type { CleanupRegistry } from './processes/cleanup.ts';
import { findFreePort } from './http/free-port.ts';
import { createOdooRecorder } from './processes/odoo-recorder.ts';
import type { LiveSettings } from './live-settings.ts';
import { scaledConfig } from './live-settings.ts';
import type { LivePlacements, LiveSystemName, SystemPlacement } from './live-world.ts';
import { isNetworkFault, NETWORK_FAULT_KINDS } from './faults/live-links.ts';
import { systemsWithFaults } from './faults/system-faults.ts';
import { waitForHttp } from './http/wait-for-http.ts';

/**
 * The ports a middleware that already runs (`--middleware-url`) must call its
 * upstreams on: Faultline's proxies listen there, so faults reach its calls.
 */
export const URL_MODE_UPSTREAM_PORTS: Readonly<Record<string, number>> = {
  'middleware->odoo': 18069,
  'middleware->payment': 18070,
  'middleware->logistics': 18071,
};

export interface Placement {
  placements: LivePlacements;
  /** A real Odoo (already provisioned and bootstrapped by its target); undefined for the emulator. */
  odoo: OdooConnection | undefined;
  listenPorts: Readonly<Record<string, number>> | undefined;
}

export interface PlaceOptions {
  scenario: Scenario;
  options: RunOptions;
  settings: LiveSettings;
  faults: readonly FaultSpec[];
  cleanup: CleanupRegistry;
  progress: (text: string) => void;
}

/** System faults the recorder in front of a real Odoo produces: at its door, or as Odoo's own answer. */
const REAL_ODOO_FAULTS: ReadonlySet<string> = new Set(['outage', 'crash', 'serialization-failure']);

/** A real Odoo is reached through the recorder, so its calls reach the history as the emulator's do. */
function recordedOdoo(odoo: OdooConnection): SystemPlacement {
  return {
    kind: 'hosted',
    config: {},
    factory: (context) =>
      createOdooRecorder({ upstreamUrl: odoo.url, history: context.history, fetch: createTimedFetch(5 * 60_000), rng: context.rng.fork('odoo.faults') }),
  };
}

/** Decides where each system runs: in this process, in a child process, at a URL, or a real Odoo target. */
export async function placeSystems(input: PlaceOptions): Promise<Placement> {
  const { scenario, options, settings } = input;
  const live = options.live ?? {};
  if (live.middlewareUrl !== undefined && live.middlewareCommand !== undefined) {
    throw new UsageError('give either --middleware-url or --middleware-command, not both');
  }
  const faulted = systemsWithFaults(input.faults);
  const external = live.middlewareUrl !== undefined || live.middlewareCommand !== undefined;
  if (external && faulted.has('middleware')) {
    throw new UsageError(
      `scenario ${scenario.name} puts a system fault on the middleware; live mode can apply it only to a middleware it runs in-process (--middleware naive|resilient|PATH)`,
    );
  }
  if (options.odoo !== 'emulated') {
    const inexpressible = input.faults.filter((f) => !isLinkFault(f) && f.system === 'odoo' && !REAL_ODOO_FAULTS.has(f.kind));
    if (inexpressible.length > 0) {
      throw new FaultNotExpressibleError(
        `scenario ${scenario.name} puts ${inexpressible.map((f) => f.kind).join(', ')} on Odoo, which Faultline cannot do to a real Odoo (--odoo ${options.odoo}); ` +
          `it can put ${[...REAL_ODOO_FAULTS].join(', ')} in front of one. Run it with --odoo emulated.`,
      );
    }
  }
  const selectorProblem = liveSelectorProblem(input.faults, NETWORK_FAULT_KINDS);
  if (selectorProblem !== undefined) throw new FaultNotExpressibleError(`scenario ${scenario.name}: ${selectorProblem}`);
  if (live.middlewareUrl !== undefined && URL.parse(live.middlewareUrl)?.protocol !== 'http:') {
    throw new UsageError(`--middleware-url must be an http URL such as http://127.0.0.1:8080, got ${JSON.stringify(live.middlewareUrl)}`);
  }
  if (live.middlewareCommand !== undefined && live.middlewareCommand.trim() === '')
    throw new UsageError('--middleware-command needs a command, e.g. "node server.js"');

  if (live.proxies === false && input.faults.some(isNetworkFault)) {
    throw new UsageError(`scenario ${scenario.name} has network faults; they need the Toxiproxy proxies (proxies: false is for benchmarks of fault-free runs)`);
  }
  if (live.middlewareUrl !== undefined) {
    const url = live.middlewareUrl.replace(/\/+$/, '');
    await waitForHttp(`${url}/health`, { timeoutMs: 10_000 }).catch((error: Error) => {
      throw new UnreachableError(`the middleware at ${url} does not answer GET /health: ${error.message}`);
    });
  }
  const configs = systemConfigs(scenario);
  let odoo: OdooConnection | undefined;
  if (options.odoo !== 'emulated') {
    input.progress(`starting Odoo (${options.odoo})`);
    const target = resolveOdooTarget(options.odoo, { ...options.odooOptions, log: input.progress });
    input.cleanup.add(`odoo ${options.odoo}`, () => target.stop(), { timeoutMs: 60_000 });
    try {
      odoo = await target.start();
    } catch (error) {
      // A refusal that is the user's to fix (exit 2) keeps its own words; anything else is Odoo being unusable.
      if (declaredExitCode(error) === EXIT.usage || error instanceof UnreachableError) throw error;
      throw new UnreachableError(`Odoo (${options.odoo}) cannot be used: ${(error as Error).message}`);
    }
  }

  const middleware: SystemPlacement =
    live.middlewareUrl !== undefined
      ? { kind: 'external', url: live.middlewareUrl }
      : live.middlewareCommand !== undefined
        ? { kind: 'process', port: await findFreePort() }
        : {
            kind: 'hosted',
            factory: options.middleware.factory,
            // Business-time cadences (a reconciliation job) scale like the simulators'; a scenario's own timeScale wins.
            config: { timeScale: settings.timeScale, ...configs.middleware, ...(odoo !== undefined && { odooDb: odoo.db }) },
            recreateOnRestart: true,
          };
  return {
    placements: Object.fromEntries(
      systemsOf(scenario).flatMap(
        (system): Array<[LiveSystemName, SystemPlacement]> => [
          ...(system.name === MIDDLEWARE_STARTS_BEFORE ? [['middleware', middleware] as [LiveSystemName, SystemPlacement]] : []),
          [
            system.name,
            system.name === 'odoo' && odoo !== undefined
              ? recordedOdoo(odoo)
              : {
                  kind: 'hosted',
                  factory: system.factory(configs[system.name]),
                  // Business-time cadences (3PL steps, gateway back-offs, the CRM's reps) follow the time scale.
                  config: system.businessTime ? scaledConfig(configs[system.name], settings.timeScale) : configs[system.name],
                },
          ],
        ],
      ),
    ) as Placement['placements'],
    odoo,
    listenPorts: live.middlewareUrl !== undefined ? URL_MODE_UPSTREAM_PORTS : undefined,
  };
}
