import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Kept beside check.json: each smaller failing case the search and the shrinking went through, so the report can show the way down. */
export const SHRINK_STEPS_FILE = 'shrink-steps.json';

export interface ShrinkStep {
  phase: 'search' | 'shrink';
  /** Runs spent shrinking when this case was found (0 for the search's own failure). */
  shrinkRuns: number;
  orders: number;
  faults: number;
  invariants: string[];
  /** The case in words, as check prints it. */
  words: string;
}

export async function writeShrinkSteps(dir: string, steps: readonly ShrinkStep[]): Promise<void> {
  await writeFile(join(dir, SHRINK_STEPS_FILE), JSON.stringify({ format: 'faultline-shrink-steps/1', steps }, null, 2) + '\n');
}

/** The steps a folder keeps; none for a folder from before the file existed, or a damaged one (the report then shows check.json's counts). */
export async function readShrinkSteps(dir: string): Promise<ShrinkStep[]> {
  const file = join(dir, SHRINK_STEPS_FILE);
  if (!existsSync(file)) return [];
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as { steps?: unknown };
    return Array.isArray(value.steps) ? (value.steps as ShrinkStep[]) : [];
  } catch {
    return [];
  }
}
