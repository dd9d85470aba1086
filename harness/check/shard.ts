import { UsageError } from '../run/errors.ts';

/** One of `count` CI runners sharing a search: `index` counts from 1, as people number runners. */
export interface Shard {
  index: number;
  count: number;
}

/** `--shard 2/4` → `{ index: 2, count: 4 }`, saying what is wrong with anything else. */
export function parseShard(text: string | undefined): Shard | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (match === null || count < 1 || index < 1 || index > count) {
    throw new UsageError(`--shard must be I/N with 1 ≤ I ≤ N (this runner's number and the number of runners), got "${text}"`);
  }
  return { index, count };
}

/**
 * The case indices one shard runs out of `runs`: every N-th, starting at its
 * own. Interleaving (not blocks) keeps each shard's cases spread over the whole
 * range, so early indices — where fast-check's generation is most biased
 * toward small cases — are shared by every runner, and the union of all shards
 * is exactly the cases one unsharded search runs.
 */
export function caseIndices(runs: number, shard: Shard = { index: 1, count: 1 }): number[] {
  const indices: number[] = [];
  for (let i = shard.index - 1; i < runs; i += shard.count) indices.push(i);
  return indices;
}
