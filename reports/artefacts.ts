import { createWriteStream } from 'node:fs';
import { access, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { dirname, join } from 'node:path';
import { UsageError } from '../harness/run/errors.ts';
import type { RunResult } from '../harness/run/result.ts';
import { renderJunit } from './junit.ts';
import { renderReplay, renderSummary } from './summary.ts';

/** The folder a run writes to when `--out` is not given. */
export function defaultOutDir(root: string, result: Pick<RunResult, 'scenario' | 'middleware' | 'seed'>): string {
  // A middleware named by a path or URL must not turn into nested folders.
  const safe = (name: string): string => name.replace(/^\.\//, '').replace(/[^\w.-]+/g, '_');
  return join(root, 'reports', 'out', safe(result.scenario), `${safe(result.middleware)}-seed${result.seed}`);
}

/** Fails early, with the fix, when the output folder cannot be written. */
export async function ensureWritable(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    throw new UsageError(`cannot write run artefacts to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass --out with a writable folder`);
  }
}

/**
 * Writes summary.json, junit.xml, history.jsonl, replay.json and
 * observations.json (ledgers and Odoo's final state, for re-checking later). They go to a
 * sibling folder first and are renamed into place, so a crash never leaves a
 * half-written run that looks complete.
 */
export async function writeRunArtefacts(result: RunResult, dir: string): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await writeHistory(result, join(partial, 'history.jsonl'));
  await writeFile(join(partial, 'summary.json'), renderSummary(result));
  await writeFile(join(partial, 'junit.xml'), renderJunit([result]));
  await writeFile(join(partial, 'replay.json'), renderReplay(result));
  await writeFile(join(partial, 'observations.json'), JSON.stringify(result.observations) + '\n');
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
}

async function writeHistory(result: RunResult, file: string): Promise<void> {
  const stream = createWriteStream(file);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('finish', resolve);
    stream.on('error', reject);
  });
  // Batched writes: one JSON line per event, flushed in chunks of about 256 KB.
  let chunk = '';
  for (const event of result.history) {
    chunk += JSON.stringify(event) + '\n';
    if (chunk.length > 262_144) {
      if (!stream.write(chunk)) await new Promise<void>((resolve) => stream.once('drain', () => resolve()));
      chunk = '';
    }
  }
  stream.end(chunk);
  await done;
}
