import type { Env } from '../../orm/env.ts';
import { serializationFailure, ValidationError } from '../../orm/errors.ts';
import { MSG } from './messages.ts';

/**
 * Races between concurrent business calls, as a real Odoo 17 showed them
 * (real-odoo17-concurrency.md). The emulator runs a call at its commit point,
 * on whatever the calls that committed before it left; PostgreSQL would have
 * given it the snapshot from when it started. So each business method first
 * asks: did another call commit one of my documents after I started? If that
 * call also inserted the follower (or the first payment number) I was about to
 * insert, I fault at once with the unique violation; otherwise I fail with a
 * serialization failure, which the capacity model retries after Odoo's random
 * pause, and the re-run meets the winner's state.
 *
 * Only active when the capacity model tells the env when the attempt started
 * (`env.startedAt`); otherwise every call is sequential and nothing is tracked.
 */

const commits = new WeakMap<Env['db'], Map<string, number>>();

/** A race needs both calls in flight; Odoo's retries give up within ~30 s, so older commits can be forgotten. */
const HORIZON_MS = 120_000;
const SWEEP_EVERY = 10_000;
let marksSinceSweep = 0;

/** Entries are kept in commit order (virtual time only grows), so the sweep stops at the first recent one. */
function sweep(map: Map<string, number>, now: number): void {
  for (const [key, at] of map) {
    if (at >= now - HORIZON_MS) return;
    map.delete(key);
  }
}

function committedAfter(env: Env, key: string, since: number): boolean {
  const at = commits.get(env.db)?.get(key);
  return at !== undefined && at > since;
}

/** True when another call committed `key` after this attempt started, so this call's snapshot does not hold it. */
export function changedSinceStart(env: Env, key: string): boolean {
  return env.startedAt !== undefined && committedAfter(env, key, env.startedAt);
}

/** Records that `keys` change when the current call commits. */
export function markOnCommit(env: Env, keys: readonly string[]): void {
  if (env.startedAt === undefined || keys.length === 0) return;
  const now = env.now();
  let map = commits.get(env.db);
  if (map === undefined) commits.set(env.db, (map = new Map()));
  const target = map;
  env.tx.onCommit(() => {
    for (const key of keys) {
      // Re-inserted, so the Map stays in commit order.
      target.delete(key);
      target.set(key, now);
    }
    marksSinceSweep += keys.length;
    if (marksSinceSweep >= SWEEP_EVERY) {
      marksSinceSweep = 0;
      sweep(target, now);
    }
  });
}

/**
 * Faults like the loser of a race: `uniqueKeys` committed by another call since
 * this attempt started → unique violation (code 2, not retried); `keys` → a
 * serialization failure (retried by the capacity model).
 */
export function guardConcurrent(env: Env, keys: readonly string[], uniqueKeys: ReadonlyArray<{ key: string; message: string }> = []): void {
  const since = env.startedAt;
  if (since === undefined) return;
  for (const unique of uniqueKeys) {
    if (committedAfter(env, unique.key, since)) throw new ValidationError(MSG.uniqueViolation(unique.message));
  }
  if (keys.some((key) => committedAfter(env, key, since))) throw serializationFailure();
}

export const followKey = (model: string, id: number, partner: number | false): string => `follow:${model}:${id}:${String(partner)}`;
