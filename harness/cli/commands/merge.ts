import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ensureWritable } from '../../../reports/artefacts.ts';
import { rebuildRunReport } from '../../../reports/html/write-report.ts';
import { CHECK_FILE, parseCheckFile, renderCheckFile } from '../../check/check-file.ts';
import { junitSuites, mergeJunitSuites } from '../../check/check-junit.ts';
import { mergeChecks } from '../../check/merge-checks.ts';
import type { ShardResult } from '../../check/merge-checks.ts';
import { coverageLines } from '../../check/report-text.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { parseCommandArgs } from '../args.ts';

/** The minimal run's artefacts, as `check` wrote them beside its check.json. */
const RUN_ARTEFACTS = ['summary.json', 'history.jsonl', 'observations.json'] as const;

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

async function readShard(dir: string): Promise<ShardResult> {
  const path = join(dir, CHECK_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new UsageError(
      `${dir} holds no ${CHECK_FILE} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); pass the --out folders of faultline check runs`,
    );
  }
  return { dir, file: parseCheckFile(text, path) };
}

async function readJunit(dir: string): Promise<string[]> {
  try {
    return junitSuites(await readFile(join(dir, 'junit.xml'), 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/**
 * `faultline merge DIR…`: the check reports of the CI runners that shared one
 * search (`check --shard I/N`) as one report, JUnit and replayable failure —
 * the smallest any runner found.
 */
export async function mergeCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandArgs('merge', argv, { out: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('merge needs the folders the check runners wrote: faultline merge DIR… [--out DIR]');
  const dirs = positionals.map((p) => resolve(cwd, p));
  const shards = await Promise.all(dirs.map(readShard));
  const merged = mergeChecks(shards.map((s) => ({ ...s, dir: shown(s.dir, cwd) })));
  const file = merged.file;
  const safe = (name: string): string => name.replace(/^\.\//, '').replace(/[^\w.-]+/g, '_');
  const outArg = values.out as string | undefined;
  const outDir =
    outArg !== undefined ? resolve(cwd, outArg) : join(cwd, 'reports', 'out', safe(file.scenario), `check-${safe(file.middleware)}-seed${file.seed}-merged`);
  if (dirs.includes(outDir)) throw new UsageError(`--out ${shown(outDir, cwd)} is one of the folders being merged; write the merge somewhere else`);
  await ensureWritable(outDir);

  const keptDir = merged.keptFrom !== undefined ? dirs[shards.findIndex((s) => shown(s.dir, cwd) === merged.keptFrom)]! : undefined;
  let replayLine: string | undefined;
  if (keptDir !== undefined) {
    for (const name of RUN_ARTEFACTS) await copyFile(join(keptDir, name), join(outDir, name));
    // The replay file names itself in its command: point it at the merged copy.
    const replay = JSON.parse(await readFile(join(keptDir, 'replay.json'), 'utf8')) as { command: string };
    replayLine = `npx faultline replay ${shown(join(outDir, 'replay.json'), cwd)}`;
    await writeFile(join(outDir, 'replay.json'), JSON.stringify({ ...replay, command: replayLine }, null, 2) + '\n');
  }
  // Every runner's suites, except the failures the merge did not keep: one failure to look at, the smallest.
  const suites: string[] = [];
  for (const [i, shard] of shards.entries()) {
    if (shard.file.failure !== null && dirs[i] !== keptDir) continue;
    suites.push(...(await readJunit(dirs[i]!)));
  }
  await writeFile(join(outDir, 'junit.xml'), mergeJunitSuites(suites));
  await writeFile(join(outDir, CHECK_FILE), renderCheckFile(file));
  // The kept failure's report, drawn again beside the merged search.
  if (keptDir !== undefined) await rebuildRunReport(outDir);

  const head = `${file.scenario} [${file.middleware}, fast-check seed ${file.seed}] merged from ${shards.length} runner${shards.length === 1 ? '' : 's'}: ${file.casesRun} case${file.casesRun === 1 ? '' : 's'}`;
  const lines: string[] = [];
  if (file.failure !== null) {
    const f = file.failure;
    lines.push(
      `✗ ${head} — FAILED, smallest failure from ${merged.keptFrom}: case ${f.index}, ${f.invariants.join(', ')} failing`,
      `  minimal case: ${f.words}`,
    );
    for (const other of merged.otherFailures)
      lines.push(`  also failed in ${other.dir}: case ${other.failure.index}, ${other.failure.orders} orders (larger; not kept)`);
  } else if (file.verdict === 'interrupted') {
    lines.push(`! ${head} — INCOMPLETE: a runner was interrupted before its cases ran (${merged.file.mergedFrom?.join(', ')})`);
  } else {
    lines.push(`✓ ${head} held every invariant`);
  }
  lines.push(`  coverage: ${file.coverage.length} operation × fault pairs exercised (cases per pair):`, ...coverageLines(file.coverage).map((l) => `    ${l}`));
  lines.push(`  rerun: ${file.rerun}`, `  artefacts: ${shown(outDir, cwd)}`);
  if (replayLine !== undefined) lines.push(`  replay: ${replayLine}`);
  process.stdout.write(lines.join('\n') + '\n');
  return file.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}
