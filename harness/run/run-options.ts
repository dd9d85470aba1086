import type { Scenario } from '../scenario/scenario.ts';
import type { SystemFactory } from '../core/system.ts';
import type { ReplaySpec } from './result.ts';

/** A middleware ready to run: how a run names it, and the factory that builds it. */
export interface ResolvedMiddleware {
  name: string;
  factory: SystemFactory;
}

export type OdooTargetKind = 'emulated' | 'container' | 'compose' | 'external';

export interface OdooTargetOptions {
  url?: string | undefined;
  db?: string | undefined;
  user?: string | undefined;
  password?: string | undefined;
  /** Odoo's master password: real targets copy a fresh database for every run with it. */
  masterPassword?: string | undefined;
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

/** Quotes a command-line word for a POSIX shell when it needs it. */
function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The one command that runs this again (never with a password in it). */
export function replayFor(scenario: Scenario, seed: number, options: RunOptions): ReplaySpec {
  const live = options.live ?? {};
  const parts = ['npx faultline run', shellWord(options.scenarioArg ?? scenario.name)];
  if (live.middlewareUrl !== undefined) parts.push('--middleware-url', shellWord(live.middlewareUrl));
  else if (live.middlewareCommand !== undefined) parts.push('--middleware-command', shellWord(live.middlewareCommand));
  else parts.push('--middleware', shellWord(options.middlewareArg));
  parts.push('--seed', String(seed));
  if (options.mode !== 'sim') parts.push('--mode', options.mode);
  if (options.odoo !== 'emulated') parts.push('--odoo', options.odoo);
  const odoo = options.odooOptions ?? {};
  if (odoo.url !== undefined) parts.push('--odoo-url', shellWord(odoo.url));
  if (odoo.db !== undefined) parts.push('--odoo-db', shellWord(odoo.db));
  if (odoo.user !== undefined) parts.push('--odoo-user', shellWord(odoo.user));
  if (live.timeScale !== undefined) parts.push('--time-scale', String(live.timeScale));
  if (live.timeoutMs !== undefined) parts.push('--live-timeout', `${live.timeoutMs}ms`);
  return {
    command: parts.join(' '),
    scenario: options.scenarioArg ?? scenario.name,
    seed,
    mode: options.mode,
    middleware: options.middlewareArg,
    odoo: options.odoo,
  };
}
