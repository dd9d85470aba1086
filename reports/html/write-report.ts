import { existsSync } from 'node:fs';
import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { parseHistory } from '../../harness/core/history.ts';
import type { HistoryEvents } from '../../harness/core/history.ts';
import { CHECK_FILE, parseCheckFile } from '../../harness/check/check-file.ts';
import { UsageError } from '../../harness/run/errors.ts';
import type { RunResult } from '../../harness/run/result.ts';
import { renderSummary } from '../summary.ts';
import { renderRunReport } from './page.ts';
import { readShrinkSteps } from './shrink-steps.ts';
import type { RunSummary } from './page.ts';
import { renderSuiteReport } from './suite.ts';
import { renderRunSummaryMarkdown, renderSuiteSummaryMarkdown } from './summary-md.ts';
import type { SuiteEntry } from './summary-md.ts';

export const REPORT_FILE = 'report.html';
export const SUMMARY_MD_FILE = 'summary.md';

/** What summary.json holds, so a report written during a run and one rebuilt from the folder are the same bytes. */
export function runSummaryOf(result: RunResult): RunSummary {
  return JSON.parse(renderSummary(result)) as RunSummary;
}

/** Writes report.html and summary.md for one run into `dir`; returns the report's path. */
export async function writeRunReport(dir: string, summary: RunSummary, history: HistoryEvents): Promise<string> {
  const checkFile = join(dir, CHECK_FILE);
  const check = existsSync(checkFile) ? parseCheckFile(await readFile(checkFile, 'utf8'), checkFile) : undefined;
  const file = join(dir, REPORT_FILE);
  const steps = check !== undefined ? await readShrinkSteps(dir) : [];
  await writeFile(file, renderRunReport({ summary, history, check, steps }));
  await writeFile(join(dir, SUMMARY_MD_FILE), renderRunSummaryMarkdown(summary, REPORT_FILE, check));
  return file;
}

async function readSummary(dir: string): Promise<RunSummary> {
  const file = join(dir, 'summary.json');
  try {
    return JSON.parse(await readFile(file, 'utf8')) as RunSummary;
  } catch (error) {
    throw new UsageError(`${file} cannot be read (${(error as Error).message}); pass a folder a Faultline run wrote`);
  }
}

/** Rebuilds a run folder's report from its stored summary.json, history.jsonl and (for check) check.json. */
export async function rebuildRunReport(dir: string): Promise<string> {
  const summary = await readSummary(dir);
  const historyFile = join(dir, 'history.jsonl');
  const history = existsSync(historyFile) ? parseHistory(await readFile(historyFile, 'utf8')) : [];
  return writeRunReport(dir, summary, history);
}

/** A suite's run: its folder and what it found. */
export interface SuiteRun {
  dir: string;
  summary: RunSummary;
}

/** Writes the suite's report.html and summary.md into `base`, linking each run's folder below it. */
export async function writeSuiteReport(base: string, runs: readonly SuiteRun[], comparison?: string): Promise<string> {
  const entries: SuiteEntry[] = runs.map((run) => ({
    scenario: run.summary.scenario,
    design: run.summary.middleware,
    dir: relative(base, run.dir).split(sep).join('/'),
    summary: run.summary,
  }));
  const designs = [...new Set(entries.map((e) => e.design))];
  const file = join(base, REPORT_FILE);
  await writeFile(file, renderSuiteReport(entries, designs, comparison));
  // The comparison's own verdict line (did each design fail where its scenario expects?) is the suite's headline in CI.
  const expectation = comparison?.split('\n').find((line) => /^(Every|Some verdicts|No scenario)/.test(line));
  await writeFile(join(base, SUMMARY_MD_FILE), renderSuiteSummaryMarkdown(entries, designs, expectation));
  return file;
}

/** Run folders up to two levels below `base` (scenario/design-seedN), in name order. */
async function runFoldersBelow(base: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    const names = (await readdir(dir)).sort();
    for (const name of names) {
      const path = join(dir, name);
      if (name.startsWith('.') || !(await stat(path)).isDirectory()) continue;
      if (existsSync(join(path, 'summary.json'))) found.push(path);
      else if (depth < 2) await walk(path, depth + 1);
    }
  };
  await walk(base, 1);
  return found;
}

/**
 * `faultline report DIR`: a run folder gets its report rebuilt; a folder of
 * runs (a suite, a comparison, the demo) gets each run's report rebuilt and a
 * suite report linking them. Returns the report paths, the top one first.
 */
export async function rebuildReports(dir: string): Promise<string[]> {
  if (!existsSync(dir)) throw new UsageError(`${dir} does not exist; pass a run folder (it holds summary.json) or a folder of runs`);
  if (existsSync(join(dir, 'summary.json'))) return [await rebuildRunReport(dir)];
  const folders = await runFoldersBelow(dir);
  if (folders.length === 0) throw new UsageError(`${dir} holds no Faultline run (no summary.json in it or in the folders below it)`);
  const runs: SuiteRun[] = [];
  const written: string[] = [];
  for (const folder of folders) {
    written.push(await rebuildRunReport(folder));
    runs.push({ dir: folder, summary: await readSummary(folder) });
  }
  const comparisonFile = join(dir, 'comparison.txt');
  const comparison = existsSync(comparisonFile) ? await readFile(comparisonFile, 'utf8') : undefined;
  return [await writeSuiteReport(dir, runs, comparison), ...written];
}
