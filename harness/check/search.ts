import fc from 'fast-check';
import { builtInInvariants } from '../invariants/index.ts';
import { UsageError } from '../run/errors.ts';
import type { ResolvedMiddleware } from '../run/run-options.ts';
import type { RunResult } from '../run/result.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { GENERATED_FAULT_KINDS, shrinkAgainArbitrary } from './arbitraries.ts';
import type { CheckCase } from './case.ts';
import { scenarioForCase } from './case.ts';
import type { CaseSpace } from './case-space.ts';
import { CasePlan, exploreCaseSpace } from './case-space.ts';
import type { CaseTrial } from './case-trial.ts';
import { failingInvariants, tryCase } from './case-trial.ts';
import { CoverageTally } from './coverage.ts';
import { findLowestFailure } from './lowest-failure.ts';
import { runCase } from './run-case.ts';
import type { Shard } from './shard.ts';
import { caseIndices } from './shard.ts';
import type { WorkerSource } from './worker-pool.ts';
import { localRunner, sharedRunner, workerRunner } from './worker-pool.ts';

export { runCase } from './run-case.ts';

export interface CheckOptions {
  middleware: ResolvedMiddleware;
  /** How the user named the middleware, for replay lines (and for worker threads to resolve it again). */
  middlewareArg: string;
  /** Generated cases to try before declaring the scenario safe (default 100); with a shard, the whole search's count. */
  runs?: number;
  /** fast-check's seed for generation; fast-check picks one when absent and the report gives it. */
  seed?: number;
  /** fast-check's path to one counterexample: with the same seed, runs that case straight away. */
  path?: string;
  /** Most orders a case may place (default: the scenario's count). */
  maxOrders?: number;
  /** Keep the scenario's own faults in every case (default true). */
  keepFaults?: boolean;
  maxExtraFaults?: number;
  /** Kinds of fault the generator may add (default: all it knows). */
  faultKinds?: readonly string[];
  /** Most runs spent shrinking a failure (default 400); beyond it the smallest case so far stands. */
  maxShrinkRuns?: number;
  /** Only these invariants count as failures (default: every invariant the scenario checks). */
  invariants?: readonly string[];
  /** Cases run at once (default 1): this thread and `workers - 1` worker threads, which need `source`. Shrinking runs in this thread. */
  workers?: number;
  /** How worker threads load the scenario; without it the search stays in this thread. */
  source?: Omit<WorkerSource, 'middleware'>;
  /** This runner's share of the case indices (default: all of them). */
  shard?: Shard;
  onProgress?: (progress: CheckProgress) => void;
  /** Each smaller failure as it is found (the first failing case, then every successful shrink): what an interrupt keeps. */
  onFailureSoFar?: (best: FailureSoFar) => void;
  /** Polled between cases: true ends the search and shrinking early (an interrupt). */
  stopped?: () => boolean;
}

export interface CheckProgress {
  phase: 'search' | 'shrink';
  /** Generated cases run so far (search), or runs spent shrinking. */
  runs: number;
  /** Orders in the case just run. */
  orders: number;
  /** Orders in the smallest failing case so far. */
  smallestOrders?: number;
}

export interface FailureSoFar {
  phase: 'search' | 'shrink';
  index: number;
  case: CheckCase;
  result: RunResult;
  invariants: string[];
  /** Cases of the search finished so far, and runs spent shrinking. */
  casesRun: number;
  shrinkRuns: number;
}

export interface CheckFailure {
  /** The generated case's index (fast-check's run number): the lowest failing one of the search. */
  index: number;
  /** The minimal case fast-check shrank the failure to. */
  case: CheckCase;
  /** The scenario that case runs, as a JSON value. */
  scenario: Scenario;
  /** The run of the minimal case. */
  result: RunResult;
  /** The invariant that failed first, which shrinking kept failing (the minimal run may fail others too). */
  invariants: string[];
  /** fast-check's path to the minimal case (with the report's seed). */
  path: string;
  /** Shrinking steps that made the case smaller. */
  shrinks: number;
  /** Runs spent shrinking, kept or not. */
  shrinkRuns: number;
  /** Orders in the first failing case, before shrinking. */
  firstOrders: number;
}

export interface CheckReport {
  scenario: string;
  middleware: string;
  seed: number;
  /** Generated cases that count: up to and including the failing one, or all of this shard's. */
  runs: number;
  /** The shard this search covered, when it was one of several. */
  shard?: Shard;
  /** Operation × fault pairs the counted cases exercised, with how many cases met each, sorted by pair. */
  coverage: Array<[string, number]>;
  /** The fast-check path given with `path`: only the case at its end ran, and no coverage was counted. */
  replayedPath?: string;
  failure?: CheckFailure;
}

/** Checks a focus list against what the scenario can judge, naming the known ones when a name is wrong. */
export function checkFocus(base: Scenario, names: readonly string[]): string[] {
  const known = [...builtInInvariants.map((i) => i.name), ...(base.invariants ?? []).flatMap((i) => (typeof i === 'string' ? [] : [i.name]))];
  for (const name of names) {
    if (!known.includes(name)) throw new UsageError(`unknown invariant "${name}"; known: ${known.join(', ')}`);
  }
  return [...names];
}

/** Checks a selection of generated fault kinds, naming the known ones when a kind is wrong. */
export function checkFaultKinds(kinds: readonly string[]): string[] {
  for (const kind of kinds) {
    if (!(GENERATED_FAULT_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`the generator does not place "${kind}" faults; it places ${GENERATED_FAULT_KINDS.join(', ')}`);
    }
  }
  return [...kinds];
}

function caseSpace(base: Scenario, options: CheckOptions): CaseSpace {
  return {
    maxOrders: Math.max(1, options.maxOrders ?? base.orders.count),
    ...(options.keepFaults !== undefined && { keepFaults: options.keepFaults }),
    ...(options.maxExtraFaults !== undefined && { maxExtraFaults: options.maxExtraFaults }),
    ...(options.faultKinds !== undefined && { faultKinds: checkFaultKinds(options.faultKinds) }),
  };
}

/** fast-check's seed when none is given: drawn the way fast-check draws its own, and reported so the search repeats. */
function freshSeed(): number {
  return Math.floor(Math.random() * 0x7fffffff);
}

/**
 * Property-based chaos: runs generated variations of `base` until an
 * invariant fails, then lets fast-check shrink the case to the smallest one
 * that still fails the same way. Case i is fast-check's run i of the seed, so
 * the search may run on several worker threads or CI runners and still reach
 * the same lowest failing case, shrunk the same way (shrinking is sequential
 * and deterministic). Shrinking holds on to the first failing invariant (in
 * the scenario's order), so a case does not slip into a different bug that
 * happens to be cheaper to reach.
 */
export async function checkScenario(base: Scenario, options: CheckOptions): Promise<CheckReport> {
  const seed = options.seed ?? freshSeed();
  const indices = options.path === undefined ? caseIndices(options.runs ?? 100, options.shard) : [];
  const lanes = Math.max(1, Math.min(options.workers ?? 1, indices.length));
  const exploring = exploreCaseSpace(base, caseSpace(base, options), options.middleware, options.middlewareArg);
  // This thread is one of the lanes; the others are threads that load the scenario and middleware while it explores.
  const threads =
    lanes > 1 && options.source !== undefined
      ? workerRunner(
          lanes - 1,
          { source: { ...options.source, middleware: options.middlewareArg }, seed, ...(options.invariants !== undefined && { focus: options.invariants }) },
          exploring,
        )
      : undefined;
  let space: CaseSpace;
  try {
    space = await exploring;
  } catch (error) {
    await threads?.close();
    throw error;
  }
  const plan = new CasePlan(base, space, seed);
  const stopped = options.stopped ?? (() => false);
  const run = (checkCase: CheckCase): Promise<RunResult> => runCase(base, checkCase, options.middleware, options.middlewareArg);
  const report: CheckReport = {
    scenario: base.name,
    middleware: options.middlewareArg,
    seed,
    runs: 0,
    ...(options.shard !== undefined && options.shard.count > 1 && { shard: options.shard }),
    coverage: [],
  };

  let found: CaseTrial | undefined;
  let startPath: string;
  if (options.path !== undefined) {
    startPath = options.path;
    report.runs = Number(options.path.split(':')[0]) + 1;
    report.replayedPath = options.path;
  } else {
    const local = localRunner((index) => tryCase(plan.arbitrary(index), seed, index, run, options.invariants));
    const runner = threads === undefined ? local : sharedRunner([local, threads]);
    let finished = 0;
    let outcome: Awaited<ReturnType<typeof findLowestFailure>>;
    try {
      outcome = await findLowestFailure(
        indices,
        runner,
        (trial) => {
          finished++;
          options.onProgress?.({ phase: 'search', runs: finished, orders: trial.case.overrides.orders.count });
          if (trial.result !== undefined) {
            options.onFailureSoFar?.({
              phase: 'search',
              index: trial.index,
              case: trial.case,
              result: trial.result,
              invariants: trial.failing.slice(0, 1),
              casesRun: finished,
              shrinkRuns: 0,
            });
          }
        },
        stopped,
      );
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw Object.assign(new Error(`a generated case could not run: ${reason}`), { cause: error });
    } finally {
      await runner.close();
    }
    const tally = new CoverageTally();
    for (const trial of outcome.trials) tally.add(trial.coverage);
    report.runs = outcome.trials.length;
    report.coverage = tally.entries();
    if (outcome.failure === undefined || stopped()) return report;
    found = outcome.failure;
    startPath = String(found.index);
  }
  const failure = await shrink(base, options, plan, seed, startPath, found, report.runs, run, stopped);
  return failure === undefined ? report : { ...report, failure };
}

/**
 * Shrinks the failing case at `path` (its index, or a path to a smaller case
 * found before), holding on to the first invariant it broke. Runs in this
 * thread: each step depends on the last, and the same steps give the same case.
 */
async function shrink(
  base: Scenario,
  options: CheckOptions,
  plan: CasePlan,
  seed: number,
  path: string,
  found: CaseTrial | undefined,
  casesRun: number,
  run: (checkCase: CheckCase) => Promise<RunResult>,
  stopped: () => boolean,
): Promise<CheckFailure | undefined> {
  const maxShrinkRuns = options.maxShrinkRuns ?? 400;
  const index = Number(path.split(':')[0]);
  const arbitrary = plan.arbitrary(index);
  let target = found?.failing[0];
  let shrinkRuns = 0;
  let firstOrders = found?.case.overrides.orders.count ?? 0;
  let smallest: { checkCase: CheckCase; result: RunResult } | undefined =
    found?.result !== undefined ? { checkCase: found.case, result: found.result } : undefined;
  let fatal: { checkCase: CheckCase; error: unknown } | undefined;
  const known = found !== undefined ? JSON.stringify(found.case) : undefined;
  // A recorded path (a shrink, not just a case index) is followed exactly, round by round, and no further:
  // the same case comes back whatever the shrink budget.
  const segments = path.split('/');
  const replaying = path.includes(':') || segments.length > 1;

  const judge = async (checkCase: CheckCase): Promise<boolean> => {
    if (fatal !== undefined || stopped()) return true;
    // The search already ran the case the path starts from.
    if (known !== undefined && smallest !== undefined && JSON.stringify(checkCase) === known && smallest.checkCase === found!.case) return false;
    // Past the budget every candidate "passes" without running, so fast-check ends with the smallest so far.
    if (target !== undefined && shrinkRuns >= maxShrinkRuns && !replaying) return true;
    if (target !== undefined) shrinkRuns++;
    let result: RunResult;
    try {
      result = await run(checkCase);
    } catch (error) {
      fatal = { checkCase, error };
      return true;
    }
    const failing = failingInvariants(result, options.invariants);
    const fails = target === undefined ? failing.length > 0 : failing.includes(target);
    if (fails) {
      if (target === undefined) {
        target = failing[0]!;
        firstOrders = checkCase.overrides.orders.count;
      }
      smallest = { checkCase, result };
      options.onFailureSoFar?.({ phase: 'shrink', index, case: checkCase, result, invariants: [target], casesRun, shrinkRuns });
    }
    options.onProgress?.({
      phase: 'shrink',
      runs: shrinkRuns,
      orders: checkCase.overrides.orders.count,
      ...(smallest !== undefined && { smallestOrders: smallest.checkCase.overrides.orders.count }),
    });
    return !fails;
  };
  const throwIfFatal = (): void => {
    if (fatal === undefined) return;
    const { checkCase, error } = fatal;
    const reason = error instanceof Error ? error.message : String(error);
    throw Object.assign(new Error(`a generated case could not run: ${reason}\ncase: ${JSON.stringify(checkCase)}`), { cause: error });
  };

  let steps = Number.POSITIVE_INFINITY;
  const follow = async (checkCase: CheckCase): Promise<boolean> => (steps-- > 0 ? judge(checkCase) : true);
  const along = (segment: string): void => {
    // fast-check walks a path without running the cases on it and runs only its end: one run per round.
    steps = replaying && segment !== '' ? 1 : Number.POSITIVE_INFINITY;
  };

  along(segments[0]!);
  const details = await fc.check(fc.asyncProperty(arbitrary, follow), { seed, path: segments[0]!, numRuns: 1 });
  throwIfFatal();
  if (!details.failed || details.counterexample === null) return undefined;
  let [minimal] = details.counterexample;
  let shrinks = details.numShrinks;
  const taken = [details.counterexamplePath ?? segments[0]!];
  if (replaying) {
    for (const segment of segments.slice(1)) {
      along(segment);
      const again = await fc.check(fc.asyncProperty(shrinkAgainArbitrary(minimal), follow), { numRuns: 1, seed: 0, path: segment });
      throwIfFatal();
      minimal = again.counterexample?.[0] ?? minimal;
      shrinks += again.numShrinks;
      taken.push(segment);
    }
  } else {
    // Fresh rounds from the minimal case until one changes nothing; each round's path joins the reported one.
    for (let round = 0; round < 8 && shrinkRuns < maxShrinkRuns && !stopped(); round++) {
      const again = await fc.check(fc.asyncProperty(shrinkAgainArbitrary(minimal), judge), { numRuns: 1, seed: 0 });
      throwIfFatal();
      const next = again.counterexample?.[0];
      if (next === undefined || JSON.stringify(next) === JSON.stringify(minimal)) break;
      minimal = next;
      shrinks += again.numShrinks;
      taken.push(again.counterexamplePath ?? '0');
    }
  }
  const result = smallest !== undefined && JSON.stringify(smallest.checkCase) === JSON.stringify(minimal) ? smallest.result : await run(minimal);
  return {
    index,
    case: minimal,
    scenario: scenarioForCase(base, minimal),
    result,
    invariants: target !== undefined ? [target] : failingInvariants(result, options.invariants).slice(0, 1),
    path: taken.join('/'),
    shrinks,
    shrinkRuns,
    firstOrders: firstOrders || minimal.overrides.orders.count,
  };
}
