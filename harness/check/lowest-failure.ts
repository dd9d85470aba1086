import type { CaseTrial } from './case-trial.ts';
import type { TrialRunner } from './worker-pool.ts';

export interface SearchOutcome {
  /** The failing case with the lowest index, whatever order the cases finished in. */
  failure?: CaseTrial;
  /** Every case that counts: all of them on a pass, those up to the failure's index otherwise; by index. */
  trials: CaseTrial[];
}

/**
 * Runs `indices` in order on `runner`'s slots and settles the failing case
 * with the lowest index. Cases finish out of order across workers, so a
 * failure at index f ends the search only once every index below f has
 * finished too; cases above f are not started, and any already running are
 * left out of the outcome. The outcome is the one a single worker would
 * reach, so `--workers` changes the speed and never the answer.
 */
export async function findLowestFailure(
  indices: readonly number[],
  runner: TrialRunner,
  onTrial: (trial: CaseTrial) => void,
  stopped: () => boolean = () => false,
): Promise<SearchOutcome> {
  let next = 0;
  let lowest: CaseTrial | undefined;
  const done: CaseTrial[] = [];
  const lane = async (): Promise<void> => {
    while (!stopped() && next < indices.length) {
      const index = indices[next]!;
      if (lowest !== undefined && index > lowest.index) return;
      next++;
      const trial = await runner.run(index);
      done.push(trial);
      onTrial(trial);
      if (trial.failing.length > 0 && (lowest === undefined || trial.index < lowest.index)) lowest = trial;
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(runner.slots, indices.length)) }, lane));
  const limit = lowest?.index ?? Number.POSITIVE_INFINITY;
  const trials = done.filter((t) => t.index <= limit).sort((a, b) => a.index - b.index);
  return { ...(lowest !== undefined && { failure: lowest }), trials };
}
