import type { Rng } from '../../harness/core/rng.ts';

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential back-off with "equal jitter": half the delay is fixed, half
 * random, so retries of many orders after one outage spread out instead of
 * returning together, yet none comes back almost at once.
 */
export function retryDelayMs(attempt: number, rng: Rng, policy: BackoffPolicy): number {
  const exponent = Math.max(0, attempt - 1);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** Math.min(exponent, 30));
  return Math.round(ceiling / 2 + rng.next() * (ceiling / 2));
}
