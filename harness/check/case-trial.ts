import fc from 'fast-check';
import type { RunResult } from '../run/result.ts';
import type { CheckCase } from './case.ts';
import { exercisedPairs } from './coverage.ts';

/** What running one generated case by its index found: plain data, so a worker thread can send it back. */
export interface CaseTrial {
  index: number;
  case: CheckCase;
  /** The invariants it broke (within the focus), in the scenario's order; empty when it held. */
  failing: string[];
  /** Operation × fault pairs the run exercised (`coverage.ts`). */
  coverage: string[];
  /** The whole run, kept only for a failing case: the best failure so far must survive an interrupt. */
  result?: RunResult;
}

export function failingInvariants(result: RunResult, focus: readonly string[] | undefined): string[] {
  return result.invariants.filter((v) => v.verdict === 'fail' && (focus === undefined || focus.includes(v.name))).map((v) => v.name);
}

/**
 * Runs generated case number `index` of the search with `seed`. fast-check
 * derives case i from the seed and i alone (its path "i" jumps straight to
 * it), so a case is the same whichever worker or CI runner runs it, and
 * `--seed S --path i` reaches it again. No shrinking here: the search first
 * settles which failing case has the lowest index.
 */
export async function tryCase(
  arbitrary: fc.Arbitrary<CheckCase>,
  seed: number,
  index: number,
  run: (checkCase: CheckCase) => Promise<RunResult>,
  focus: readonly string[] | undefined,
): Promise<CaseTrial> {
  let trial: CaseTrial | undefined;
  let fatal: unknown;
  await fc.check(
    fc.asyncProperty(arbitrary, async (checkCase) => {
      try {
        const result = await run(checkCase);
        const failing = failingInvariants(result, focus);
        trial = { index, case: checkCase, failing, coverage: exercisedPairs(result.history), ...(failing.length > 0 && { result }) };
      } catch (error) {
        fatal = error;
      }
      return true;
    }),
    { seed, path: String(index), numRuns: 1 },
  );
  if (fatal !== undefined) throw fatal;
  if (trial === undefined) throw new Error(`fast-check generated no case for index ${index} of seed ${seed}`);
  return trial;
}
