/**
 * Property-based chaos inside a team's own test suite:
 *
 *   test('orders survive webhook chaos', () => assertScenario(myScenario, { runs: 200 }), 120_000);
 *
 * On failure it throws an error whose first line is the replay command, and
 * leaves the minimal case's replay.json where that command finds it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { renderReplayFile, replaySpecForCase } from './check/replay-file.ts';
import { formatCheckReport } from './check/report-text.ts';
import { checkFocus, checkScenario } from './check/search.ts';
import { resolveMiddleware } from './engine/resolve-middleware.ts';
import type { MiddlewareChoice, Scenario } from './scenario/scenario.ts';

export interface AssertScenarioOptions {
  /** Generated cases to try (default 100). */
  runs?: number;
  /** The design under test (default: the scenario's own, else resilient). */
  middleware?: MiddlewareChoice;
  /** fast-check's seed. Fixed by default so a suite is stable; pass another to explore further. */
  seed?: number;
  /** fast-check's path to a counterexample found before, with its seed: runs that case straight away. */
  path?: string;
  /** Most orders a case may place (default: the scenario's count). */
  maxOrders?: number;
  /** Most faults generated on top of the scenario's own (default 3; 0 varies only orders, seeds and the declared faults' strength). */
  extraFaults?: number;
  /** Kinds of fault the generator may add (default all: duplicate, response-lost, drop, timeout, ...). */
  faultKinds?: readonly string[];
  /** Most runs spent shrinking a failure (default 400). */
  maxShrinkRuns?: number;
  /** Only these invariants count as failures (default: every invariant the scenario checks). */
  invariants?: readonly string[];
  /** Where the minimal case's replay.json goes (default reports/out/<scenario>/check-<middleware>-seed<S>); false writes nothing. */
  out?: string | false;
  /** Folder relative paths start from (default the working directory). */
  cwd?: string;
}

export const DEFAULT_ASSERT_SEED = 1;

/** Thrown when a generated case breaks an invariant; `message` starts with the replay line. */
export class ScenarioCheckError extends Error {
  override name = 'ScenarioCheckError';
  readonly replay: string;
  constructor(replay: string, details: string) {
    super(`replay: ${replay}\n${details}`);
    this.replay = replay;
  }
}

function middlewareLabel(choice: MiddlewareChoice): string {
  return typeof choice === 'string' ? choice : choice.name;
}

/**
 * Runs generated variations of `scenario` (its faults kept, more generated
 * around them) in sim mode and resolves when every invariant held in every
 * case; rejects with the minimal failing case otherwise.
 */
export async function assertScenario(scenario: Scenario, options: AssertScenarioOptions = {}): Promise<void> {
  const cwd = options.cwd ?? process.cwd();
  const choice = options.middleware ?? scenario.middleware ?? 'resilient';
  const middleware = await resolveMiddleware(choice, cwd);
  const middlewareArg = middlewareLabel(choice);
  const seed = options.seed ?? DEFAULT_ASSERT_SEED;
  const report = await checkScenario(scenario, {
    middleware,
    middlewareArg,
    runs: options.runs ?? 100,
    seed,
    ...(options.path !== undefined && { path: options.path }),
    ...(options.maxOrders !== undefined && { maxOrders: options.maxOrders }),
    ...(options.extraFaults !== undefined && { maxExtraFaults: options.extraFaults }),
    ...(options.faultKinds !== undefined && { faultKinds: options.faultKinds }),
    ...(options.maxShrinkRuns !== undefined && { maxShrinkRuns: options.maxShrinkRuns }),
    ...(options.invariants !== undefined && { invariants: checkFocus(scenario, options.invariants) }),
  });
  const failure = report.failure;
  if (failure === undefined) return;

  // The path only leads back to the case with the same shape of generation.
  const shape = [
    ...(options.maxOrders !== undefined ? [`maxOrders: ${options.maxOrders}`] : []),
    ...(options.extraFaults !== undefined ? [`extraFaults: ${options.extraFaults}`] : []),
    ...(options.faultKinds !== undefined ? [`faultKinds: ${JSON.stringify(options.faultKinds)}`] : []),
  ];
  const rerun = `assertScenario(scenario, { seed: ${report.seed}, path: '${failure.path}'${shape.map((s) => `, ${s}`).join('')} })`;
  let replay = rerun;
  if (options.out !== false) {
    const dir = options.out !== undefined ? resolve(cwd, options.out) : join(cwd, 'reports', 'out', scenario.name, `check-${middleware.name}-seed${seed}`);
    const rel = relative(cwd, dir);
    const file = join(rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : dir, 'replay.json');
    const spec = replaySpecForCase(failure.scenario, middlewareArg, file);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'replay.json'), renderReplayFile(spec));
    replay = spec.command;
  }
  throw new ScenarioCheckError(replay, formatCheckReport(report, { rerun }));
}
