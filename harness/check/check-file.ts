import { UsageError } from '../run/errors.ts';
import type { CheckCase } from './case.ts';
import type { Shard } from './shard.ts';

export const CHECK_FORMAT = 'faultline-check/1';
/** The file every check writes into its output folder, pass or fail: what `merge` reads. */
export const CHECK_FILE = 'check.json';

/** The failure a check kept, in a form that survives a file: the run's own artefacts sit beside it. */
export interface CheckFileFailure {
  /** The generated case's index: the lowest failing one of this runner's search. */
  index: number;
  orders: number;
  faults: number;
  invariants: string[];
  case: CheckCase;
  /** fast-check's path to the case, with the seed; empty for a failure an interrupt kept before shrinking finished. */
  path: string;
  shrinks: number;
  shrinkRuns: number;
  firstOrders: number;
  /** The minimal case in words. */
  words: string;
  replay: string;
}

/** The machine-readable result of one `check` (or of `merge`, over several). */
export interface CheckFile {
  format: typeof CHECK_FORMAT;
  scenario: string;
  middleware: string;
  seed: number;
  /** Cases the whole search was asked for (all shards together). */
  runs: number;
  shard: Shard | null;
  /** Cases this file counts: up to and including the failing one, or all of them. */
  casesRun: number;
  verdict: 'pass' | 'fail' | 'interrupted';
  /** Set when a signal stopped the check: where it was. */
  interrupted?: { signal: string; phase: 'search' | 'shrink'; shrinkRuns: number };
  coverage: Array<[string, number]>;
  failure: CheckFileFailure | null;
  rerun: string;
  /** For a merged file: the folders it was merged from, and the one whose failure it kept. */
  mergedFrom?: string[];
  failureFrom?: string;
}

export function renderCheckFile(file: CheckFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}

/** Reads a check.json, saying which file and what is wrong with a bad one. */
export function parseCheckFile(text: string, where: string): CheckFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${where} is not JSON (${(error as Error).message}); pass folders that faultline check wrote`);
  }
  const file = value as Partial<CheckFile>;
  if (typeof value !== 'object' || value === null || file.format !== CHECK_FORMAT) {
    throw new UsageError(`${where} is not a Faultline check report (expected "format": "${CHECK_FORMAT}")`);
  }
  if (
    typeof file.scenario !== 'string' ||
    typeof file.middleware !== 'string' ||
    !Number.isSafeInteger(file.seed) ||
    !Number.isSafeInteger(file.casesRun) ||
    !Array.isArray(file.coverage)
  ) {
    throw new UsageError(`${where} is damaged: it needs scenario, middleware, seed, casesRun and coverage`);
  }
  return file as CheckFile;
}

/**
 * Which of two failures a merge keeps: the smaller case (fewer orders, then
 * fewer faults), then the lower index, so the choice does not depend on the
 * order the folders are given in.
 */
export function smallerFailure(a: CheckFileFailure, b: CheckFileFailure): boolean {
  if (a.orders !== b.orders) return a.orders < b.orders;
  if (a.faults !== b.faults) return a.faults < b.faults;
  return a.index < b.index;
}
