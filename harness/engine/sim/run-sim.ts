import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monotonicMs } from '../../core/wall-clock.ts';
import { DEFAULT_SIM_EPOCH_MS } from '../../core/clock.ts';
import { shippedInvariantNames } from '../../invariants/index.ts';
import { createOdooClient } from '../../odoo/client.ts';
import { DEFAULT_BUDGET } from '../../scenario/scenario.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { ScenarioError, scenarioProblems } from '../../scenario/validate.ts';
import { SimWorld } from './world.ts';
import type { SystemSpec } from './world.ts';
import type { RunResult } from '../../run/result.ts';
import type { RunOptions } from '../../run/run-options.ts';
import { FAULTLINE_ODOO_DB } from '../../contracts/identities.ts';
import { systemConfigs } from '../../scenario/system-configs.ts';
import { readLedger } from '../../run/ledgers.ts';
import { LOAD_SYSTEMS, loadFinished } from '../../run/load-systems.ts';
import { MIDDLEWARE_STARTS_BEFORE, systemsOf } from '../../run/systems.ts';
import type { LedgerSystem } from '../../run/observe-and-judge.ts';
import { runPhases } from '../../run/run-phases.ts';
import type { System } from '../../core/system.ts';

/** The run's systems in start order: the simulators from the registry, the middleware under test before the load that calls it. */
function simSystems(scenario: Scenario, configs: ReturnType<typeof systemConfigs>, middleware: SystemSpec): SystemSpec[] {
  return systemsOf(scenario).flatMap((system) => [
    ...(system.name === MIDDLEWARE_STARTS_BEFORE ? [middleware] : []),
    { name: system.name, factory: system.factory(configs[system.name]), config: configs[system.name] },
  ]);
}

/**
 * One run in sim mode: every system in this process on virtual time, all
 * randomness from the seed. The same scenario and seed give the same history,
 * byte for byte.
 */
export async function runSim(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  const problems = scenarioProblems(scenario, shippedInvariantNames);
  if (problems.length > 0) throw new ScenarioError(scenario.name, problems);
  const startedAt = monotonicMs();
  const seed = options.seed ?? scenario.seed ?? 1;
  const budget = { ...DEFAULT_BUDGET, ...scenario.budget };
  const configs = systemConfigs(scenario);
  // The middleware's durable store lives outside the process's memory so a crash fault can test recovery.
  const dataDir = mkdtempSync(join(tmpdir(), 'faultline-sim-'));
  const world = new SimWorld({
    seed,
    epochMs: DEFAULT_SIM_EPOCH_MS,
    faults: scenario.faults ?? [],
    horizonMs: budget.maxVirtualMs,
    systems: simSystems(scenario, configs, {
      name: 'middleware',
      factory: options.middleware.factory,
      config: configs.middleware,
      recreateOnRestart: true,
      dataDir,
    }),
  });
  try {
    await world.init();
    const harness = world.contextFor('harness');
    const admin = createOdooClient({
      url: world.urls.odoo!,
      db: FAULTLINE_ODOO_DB,
      login: 'admin',
      password: 'admin',
      fetch: harness.fetch,
      timeoutMs: 60_000,
    });
    const loadSystems = (): System[] => LOAD_SYSTEMS.filter((name) => world.urls[name] !== undefined).map((name) => world.system(name));
    return await runPhases(scenario, options, seed, startedAt, {
      mode: 'sim',
      scenario,
      admin,
      bootstrapsOdoo: true,
      bounds: { convergenceBoundMs: budget.convergenceBoundMs, budgetMs: budget.maxVirtualMs },
      drive: (promise) => world.drive(promise),
      start: () => world.start(),
      untilQuiet() {
        const load = loadSystems();
        return world.runUntilQuiet({
          loadDone: () => load.every(loadFinished),
          settleMs: budget.settleMs,
          maxVirtualMs: budget.maxVirtualMs,
          ...(options.onProgress !== undefined && {
            onProgress: (virtualMs: number) => options.onProgress!(`${Math.round(virtualMs / 1000)} s virtual, ${world.history.length} events`),
          }),
        });
      },
      endOfRun: () => ({
        ledger: <T>(name: LedgerSystem) => (world.urls[name] === undefined ? Promise.resolve(undefined) : readLedger<T>(harness, world.urls[name])),
        analytics: world.urls.analytics === undefined ? undefined : world.system('analytics'),
        odoo: admin,
        hasCrm: world.urls.crm !== undefined,
      }),
      stop: () => world.stop(),
      history: () => world.history.seal(),
      stats: () => ({
        messages: world.network.messages,
        faultsInjected: world.faultsInjected + world.network.faultEffects,
        virtualMs: world.scheduler.now() - world.startMs,
      }),
    });
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
