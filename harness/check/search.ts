import fc from 'fast-check';
import { builtInInvariants } from '../invariants/index.ts';
import { UsageError } from '../run/errors.ts';
import type { ResolvedMiddleware } from '../run/middleware.ts';
import type { RunResult } from '../run/result.ts';
import { runScenario } from '../run/run-scenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { GENERATED_FAULT_KINDS, caseArbitrary, shrinkAgainArbitrary } from './arbitraries.ts';
import type { CheckCase } from './case.ts';
import { scenarioForCase } from './case.ts';

export interface CheckOptions {
  middleware: ResolvedMiddleware;
  /** How the user named the middleware, for replay lines. */
  middlewareArg: string;
  /** Generated cases to try before declaring the scenario safe (default 100). */
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
  onProgress?: (progress: CheckProgress) => void;
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

export interface CheckFailure {
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
  /** Generated cases run until the first failure (or all of them). */
  runs: number;
  failure?: CheckFailure;
}

function failingInvariants(result: RunResult, focus: readonly string[] | undefined): string[] {
  return result.invariants.filter((v) => v.verdict === 'fail' && (focus === undefined || focus.includes(v.name))).map((v) => v.name);
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

/** Runs one case in sim mode. Custom invariants of the base still run here, though a replay file cannot carry them. */
export async function runCase(base: Scenario, checkCase: CheckCase, middleware: ResolvedMiddleware, middlewareArg: string): Promise<RunResult> {
  const scenario = scenarioForCase(base, checkCase);
  const hasCustom = (base.invariants ?? []).some((i) => typeof i !== 'string');
  return runScenario(hasCustom ? { ...scenario, invariants: base.invariants! } : scenario, {
    mode: 'sim',
    odoo: 'emulated',
    seed: checkCase.seed,
    middleware,
    middlewareArg,
  });
}

/**
 * Property-based chaos: runs generated variations of `base` until an
 * invariant fails, then lets fast-check shrink the case to the smallest one
 * that still fails the same way. Shrinking holds on to the first failing
 * invariant (in the scenario's order), so a case does not slip into a
 * different bug that happens to be cheaper to reach.
 */
export async function checkScenario(base: Scenario, options: CheckOptions): Promise<CheckReport> {
  const maxOrders = Math.max(1, options.maxOrders ?? base.orders.count);
  const maxShrinkRuns = options.maxShrinkRuns ?? 400;
  const arbitrary = caseArbitrary(base, {
    maxOrders,
    ...(options.keepFaults !== undefined && { keepFaults: options.keepFaults }),
    ...(options.maxExtraFaults !== undefined && { maxExtraFaults: options.maxExtraFaults }),
    ...(options.faultKinds !== undefined && { faultKinds: checkFaultKinds(options.faultKinds) }),
  });
  let target: string | undefined;
  let runs = 0;
  let shrinkRuns = 0;
  let firstOrders = 0;
  let smallest: { checkCase: CheckCase; result: RunResult } | undefined;
  let fatal: { checkCase: CheckCase; error: unknown } | undefined;

  const judge = async (checkCase: CheckCase): Promise<boolean> => {
    if (fatal !== undefined) return true;
    const shrinking = target !== undefined;
    // Past the budget every candidate "passes" without running, so fast-check ends with the smallest so far.
    if (shrinking && shrinkRuns >= maxShrinkRuns) return true;
    if (shrinking) shrinkRuns++;
    else runs++;
    let result: RunResult;
    try {
      result = await runCase(base, checkCase, options.middleware, options.middlewareArg);
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
    }
    options.onProgress?.({
      phase: shrinking ? 'shrink' : 'search',
      runs: shrinking ? shrinkRuns : runs,
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

  const details = await fc.check(fc.asyncProperty(arbitrary, judge), {
    numRuns: options.runs ?? 100,
    ...(options.seed !== undefined && { seed: options.seed }),
    ...(options.path !== undefined && { path: options.path }),
  });
  throwIfFatal();
  const report: CheckReport = { scenario: base.name, middleware: options.middlewareArg, seed: details.seed, runs };
  if (!details.failed || details.counterexample === null) return report;
  let [minimal] = details.counterexample;
  let shrinks = details.numShrinks;
  // Fresh rounds from the minimal case until one changes nothing: deterministic, so --path still leads here.
  for (let round = 0; round < 8 && shrinkRuns < maxShrinkRuns; round++) {
    const again = await fc.check(fc.asyncProperty(shrinkAgainArbitrary(minimal), judge), { numRuns: 1, seed: 0 });
    throwIfFatal();
    const next = again.counterexample?.[0];
    if (next === undefined || JSON.stringify(next) === JSON.stringify(minimal)) break;
    minimal = next;
    shrinks += again.numShrinks;
  }
  const result =
    smallest !== undefined && JSON.stringify(smallest.checkCase) === JSON.stringify(minimal)
      ? smallest.result
      : await runCase(base, minimal, options.middleware, options.middlewareArg);
  return {
    ...report,
    failure: {
      case: minimal,
      scenario: scenarioForCase(base, minimal),
      result,
      invariants: target !== undefined ? [target] : failingInvariants(result, options.invariants).slice(0, 1),
      path: details.counterexamplePath ?? '',
      shrinks,
      shrinkRuns,
      firstOrders: firstOrders || minimal.overrides.orders.count,
    },
  };
}
