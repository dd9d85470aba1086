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
