import type { HistoryEvents } from '../core/history.ts';
import { INTEGRATION_USER } from '../contracts/identities.ts';
import { monotonicMs } from '../core/wall-clock.ts';
import { bootstrapOdoo } from '../odoo/bootstrap.ts';
import type { OdooClient } from '../odoo/client.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { CATALOGUE } from '../world/catalogue.ts';
import { judgeRun, observeWorld } from './observe-and-judge.ts';
import type { EndOfRunView, Observed } from './observe-and-judge.ts';
import { overallVerdict } from './result.ts';
import type { RunResult, RunStats } from './result.ts';
import { replayFor } from './run-options.ts';
import type { RunOptions } from './run-options.ts';

/** How a run ended: quiet, or out of budget while something was still busy. */
export interface RunEnd {
  quiescent: boolean;
  /** What was still busy when the budget ran out, when the transport can tell. */
  busyWith?: string;
}

/**
 * One run's world as the phases see it, in either transport: built already,
 * its systems not yet started. Sim and live differ in how each phase is done
 * (virtual time driven by the harness, or real time waited for), never in
 * which phases there are or in what order they run.
 */
export interface RunWorld {
  readonly mode: RunResult['mode'];
  /** The scenario as this transport runs it (live mode puts business time on its scale). */
  readonly scenario: Scenario;
  /** The admin's client of the run's Odoo, on the harness's own connection. */
  readonly admin: OdooClient;
  /** Whether Faultline loads the catalogue into this Odoo (it does not into a real one given to it). */
  readonly bootstrapsOdoo: boolean;
  /** Bounds the invariants judge by, in this transport's time. */
  readonly bounds: { convergenceBoundMs: number; budgetMs: number };
  /** Waits for `promise` inside the world: sim mode drives virtual time until it settles. */
  drive<T>(promise: Promise<T>): Promise<T>;
  /** Switches the faults on their schedules and starts the systems, the load among them. */
  start(): Promise<void>;
  /** Waits until the load is done and nothing is left to do, or the budget is spent; then nothing new starts. */
  untilQuiet(): Promise<RunEnd>;
  /** How the end of the run reads the ledgers and Odoo. */
  endOfRun(): EndOfRunView;
  /** Stops the systems once everything is read. */
  stop(): Promise<void>;
  history(): HistoryEvents;
  /** This transport's figures for the result; `observed` holds the ledgers read at the end. */
  stats(observed: Observed): Omit<RunStats, 'orders' | 'wallMs' | 'historyEvents' | 'quiescent'>;
}

/**
 * The phases of every run, once for both transports: load Odoo's catalogue,
 * start, wait for quiet, read every ledger and Odoo's final state, stop,
 * judge. `written` is the scenario as given, for the replay line; `startedAt`
 * the monotonic time the run began, so the wall time counts the world's
 * building too.
 */
export async function runPhases(written: Scenario, options: RunOptions, seed: number, startedAt: number, world: RunWorld): Promise<RunResult> {
  if (world.bootstrapsOdoo) {
    options.onProgress?.('bootstrapping Odoo');
    await world.drive(bootstrapOdoo(world.admin, { catalogue: CATALOGUE }));
  }
  options.onProgress?.('running');
  await world.start();
  const end = await world.untilQuiet();
  options.onProgress?.('reading ledgers and Odoo');
  const observed = await world.drive(observeWorld(world.endOfRun()));
  await world.stop();

  const invariantOptions = {
    convergenceBoundMs: world.bounds.convergenceBoundMs,
    middlewareLogin: INTEGRATION_USER.login,
    runEnd: { quiescent: end.quiescent, budgetMs: world.bounds.budgetMs, ...(end.busyWith !== undefined && { busyWith: end.busyWith }) },
  };
  const history = world.history();
  const { observations, verdicts } = judgeRun(world.scenario, history, observed, invariantOptions);
  return {
    scenario: options.scenarioArg ?? world.scenario.name,
    seed,
    mode: world.mode,
    middleware: options.middlewareArg,
    odoo: options.odoo,
    verdict: overallVerdict(verdicts),
    invariants: verdicts,
    stats: {
      orders: observed.ledgers.capture?.orders.length ?? 0,
      ...world.stats(observed),
      wallMs: Math.round(monotonicMs() - startedAt),
      historyEvents: history.length,
      quiescent: end.quiescent,
    },
    history,
    observations,
    replay: replayFor(written, seed, options),
  };
}
