import { describe, expect, it } from 'vitest';
import { caseIndices, parseShard } from './shard.ts';

describe('shards of a search', () => {
  it('partition the case indices: every index in exactly one shard', () => {
    const shards = [1, 2, 3].map((index) => caseIndices(10, { index, count: 3 }));
    expect(shards).toEqual([
      [0, 3, 6, 9],
      [1, 4, 7],
      [2, 5, 8],
    ]);
    expect(shards.flat().sort((a, b) => a - b)).toEqual(caseIndices(10));
  });

  it('reads I/N and refuses anything else with the expected form', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(undefined)).toBeUndefined();
    for (const bad of ['0/4', '5/4', '2', 'a/b', '1/0']) expect(() => parseShard(bad)).toThrow(/--shard must be I\/N/);
  });
});
