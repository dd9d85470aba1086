import { buildHistoryIndex } from './history-index.ts';
import type { Invariant, InvariantInput, Verdict } from './types.ts';

/**
 * Judges a run: indexes the history once, then asks each invariant. An
 * invariant that throws is reported as `unknown` with the error, so one broken
 * custom check does not hide the verdicts of the others.
 */
export function checkInvariants(invariants: readonly Invariant[], input: InvariantInput): Verdict[] {
  const index = buildHistoryIndex(input.history);
  return invariants.map((invariant) => {
    try {
      const verdict = invariant.check(input, index);
      return { ...verdict, name: invariant.name };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return { name: invariant.name, verdict: 'unknown', violations: 0, examples: [], summary: `the check threw: ${message}` };
    }
  });
}
