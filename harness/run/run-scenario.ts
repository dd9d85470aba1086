import type { Scenario } from '../scenario/scenario.ts';
import type { ResolvedMiddleware } from './middleware.ts';
import type { ReplaySpec, RunResult } from './result.ts';
import { UsageError } from './errors.ts';

export type OdooTargetKind = 'emulated' | 'container' | 'compose' | 'external';

export interface OdooTargetOptions {
  url?: string | undefined;
  db?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
  allowDestructive?: boolean;
}

/** Live mode's own settings (the CLI's --time-scale, --live-timeout, --middleware-url, --middleware-command). */
export interface LiveRunOptions {
  /** Multiplies the simulators' business delays (3PL steps, gateway back-offs) and the settle window; default 1/120. */
  timeScale?: number;
  /** Hard bound on the whole live run's real time, in ms. */
  timeoutMs?: number;
  /** A user's middleware already running at this URL (it must call the upstreams Faultline prints). */
  middlewareUrl?: string;
  /** A user's middleware Faultline starts (PORT, FAULTLINE_*_URL) and stops. */
  middlewareCommand?: string;
  /** false: systems call each other directly, without Toxiproxy (benchmarks measure the proxies' cost this way). */
  proxies?: boolean;
}

export interface RunOptions {
  seed?: number;
  mode: 'sim' | 'live';
  odoo: OdooTargetKind;
  odooOptions?: OdooTargetOptions;
  middleware: ResolvedMiddleware;
  /** How the user named the middleware (for the replay line). */
  middlewareArg: string;
  /** How the user named the scenario, when it is a file (for the replay line). */
  scenarioArg?: string;
  onProgress?: (text: string) => void;
  live?: LiveRunOptions;
}

/** The one command that runs this again. */
export function replayFor(scenario: Scenario, seed: number, options: RunOptions): ReplaySpec {
  const parts = ['npx faultline run', options.scenarioArg ?? scenario.name, '--middleware', options.middlewareArg, '--seed', String(seed)];
  if (options.mode !== 'sim') parts.push('--mode', options.mode);
  if (options.odoo !== 'emulated') parts.push('--odoo', options.odoo);
  return {
    command: parts.join(' '),
    scenario: options.scenarioArg ?? scenario.name,
    seed,
    mode: options.mode,
    middleware: options.middlewareArg,
    odoo: options.odoo,
  };
}

export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  if (options.mode === 'sim') {
    if (options.odoo !== 'emulated') throw new UsageError(`--odoo ${options.odoo} needs --mode live`);
    const { runSim } = await import('./sim-run.ts');
    return runSim(scenario, options);
  }
  const { runLive } = await import('../live/run-live.ts');
  return runLive(scenario, options);
}
