import { createWriteStream } from 'node:fs';
import { access, chmod, mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { UnreachableError, UsageError } from '../harness/run/errors.ts';
import type { RunResult } from '../harness/run/result.ts';
import { writeRunReport, runSummaryOf } from './html/write-report.ts';
import { renderJunit } from './junit.ts';
import { renderReplay, renderSummary } from './summary.ts';
import type { ReplaySource } from './summary.ts';

/**
 * The file that marks a folder as Faultline's own. Only a folder that holds
 * it (or is empty, or is an older run folder: nothing but artefacts) is ever
 * replaced; any other folder stays untouched, so `--out .` cannot delete a
 * project.
 */
export const OUTPUT_MARKER = '.faultline-output';

/** What a run folder holds; a folder of only these is a run from before the marker existed. */
const ARTEFACTS = ['summary.json', 'junit.xml', 'history.jsonl', 'replay.json', 'observations.json', 'report.html', 'summary.md'] as const;

/** Storage failures: the disk, not the user's command, is at fault. */
const DISK_ERRORS = new Set(['ENOSPC', 'EIO', 'EDQUOT', 'EROFS', 'EACCES', 'EPERM', 'EFBIG', 'EMFILE', 'ENFILE']);

/** The artefacts could not be written (full disk, I/O error): exit code 3, with what was kept. */
export class ArtefactWriteError extends UnreachableError {
  override name = 'ArtefactWriteError';
}

/** The folder a run writes to when `--out` is not given. */
export function defaultOutDir(root: string, result: Pick<RunResult, 'scenario' | 'middleware' | 'seed'>): string {
  // A middleware named by a path or URL must not turn into nested folders.
  const safe = (name: string): string => name.replace(/^\.\//, '').replace(/[^\w.-]+/g, '_');
  return join(root, 'reports', 'out', safe(result.scenario), `${safe(result.middleware)}-seed${result.seed}`);
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}

/**
 * mkdir -p, one level at a time. Node's own recursive mkdir spins forever on
 * a path it cannot create inside /proc; creating each missing level fails at
 * once with the real error.
 */
async function makeFolder(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let current = resolve(dir); ; current = dirname(current)) {
    try {
      if (!(await stat(current)).isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(current) === current) throw error;
      missing.push(current);
    }
  }
  for (const folder of missing.reverse()) {
    try {
      await mkdir(folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/** Whether Faultline may replace `dir`: absent, empty, marked as its output, or an unmarked older run folder. */
async function isOwnOrEmpty(dir: string): Promise<boolean> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  if (entries.length === 0 || entries.includes(OUTPUT_MARKER)) return true;
  return entries.includes('summary.json') && entries.every((name) => (ARTEFACTS as readonly string[]).includes(name));
}

function notOurs(dir: string): UsageError {
  return new UsageError(
    `${dir} already holds files Faultline did not write, so it will not write run artefacts there (they would replace the folder); ` +
      `pass --out with a new or empty folder, or one a previous run wrote (it holds ${OUTPUT_MARKER})`,
  );
}

/**
 * Fails early, with the fix, when the output folder cannot be written or holds
 * someone else's files; otherwise creates it and marks it as Faultline's.
 */
export async function ensureWritable(dir: string): Promise<void> {
  try {
    if (!(await isOwnOrEmpty(dir))) throw notOurs(dir);
    await makeFolder(dir);
    await access(dir, constants.W_OK);
    await writeFile(join(dir, OUTPUT_MARKER), markerText());
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`cannot write run artefacts to ${dir} (${codeOf(error)}); pass --out with a writable folder`);
  }
}

function markerText(): string {
  return 'This folder was written by Faultline; a later run may replace it. Put nothing else here.\n';
}

/**
 * Writes summary.json, junit.xml, history.jsonl, replay.json,
 * observations.json (ledgers and Odoo's final state, for re-checking later),
 * report.html and summary.md (for people and CI job summaries). They go to a
 * fresh sibling folder first and are renamed into place, so a crash or a full
 * disk never leaves a half-written run that looks complete, and `dir` is only
 * replaced when it is Faultline's own. A storage failure throws
 * ArtefactWriteError saying what was kept.
 */
export async function writeRunArtefacts(result: RunResult, dir: string, source?: ReplaySource): Promise<void> {
  if (!(await isOwnOrEmpty(dir))) throw notOurs(dir);
  let partial: string | undefined;
  let step = 'creating the folder';
  try {
    await makeFolder(dirname(dir));
    // A fresh name: never an existing folder of the user's.
    partial = await mkdtemp(join(dirname(dir), `.${basename(dir)}.partial-`));
    // mkdtemp makes it private (0700); a run folder is as readable as any folder mkdir makes.
    await chmod(partial, 0o777 & ~process.umask());
    await writeFile(join(partial, OUTPUT_MARKER), markerText());
    step = 'writing history.jsonl';
    await writeHistory(result, join(partial, 'history.jsonl'));
    step = 'writing summary.json';
    await writeFile(join(partial, 'summary.json'), renderSummary(result));
    step = 'writing junit.xml';
    await writeFile(join(partial, 'junit.xml'), renderJunit([result]));
    step = 'writing replay.json';
    await writeFile(join(partial, 'replay.json'), renderReplay(result, source));
    step = 'writing observations.json';
    await writeFile(join(partial, 'observations.json'), JSON.stringify(result.observations) + '\n');
    step = 'writing report.html';
    await writeRunReport(partial, runSummaryOf(result), result.history);
    step = 'replacing the earlier run';
    await rm(dir, { recursive: true, force: true });
    step = 'moving the run into place';
    await rename(partial, dir);
  } catch (error) {
    if (partial !== undefined) await rm(partial, { recursive: true, force: true }).catch(() => undefined);
    const code = codeOf(error);
    if (!DISK_ERRORS.has(code)) throw error;
    throw new ArtefactWriteError(
      `could not write the run artefacts to ${dir}: ${code} while ${step}. ` +
        `Kept: ${kept(step, dir)}; the partial copy was removed. ` +
        `The run's verdict was ${result.verdict}; free some space (or fix the disk) and replay it: ${result.replay.command}`,
    );
  }
}

function kept(step: string, dir: string): string {
  if (step === 'moving the run into place') return 'nothing (the earlier run there was already removed)';
  if (step === 'replacing the earlier run') return `what is left of the earlier run in ${dir}`;
  return `${dir} as it was before this run`;
}

/** history.jsonl, one JSON line per event, in chunks of about 256 KB with back-pressure and errors handled. */
async function writeHistory(result: RunResult, file: string): Promise<void> {
  function* chunks(): Generator<string> {
    let chunk = '';
    for (const event of result.history) {
      chunk += JSON.stringify(event) + '\n';
      if (chunk.length > 262_144) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  await pipeline(Readable.from(chunks()), createWriteStream(file));
}
