import type { CheckFile, CheckFileFailure } from './check-file.ts';
import { smallerFailure } from './check-file.ts';
import { UsageError } from '../run/errors.ts';

/** One runner's check.json and the folder it came from. */
export interface ShardResult {
  dir: string;
  file: CheckFile;
}

export interface MergedChecks {
  file: CheckFile;
  /** The folder whose failure the merge kept (its artefacts are the merged run's). */
  keptFrom?: string;
  /** Failures the merge did not keep: found by other runners, larger than the kept one. */
  otherFailures: Array<{ dir: string; failure: CheckFileFailure }>;
}

/**
 * Combines the check reports of the runners that shared one search: the same
 * scenario, middleware, seed and case count, each shard once and none
 * missing. Cases and coverage add up; the smallest failure stands. A missing
 * shard is an error, not a pass: its cases were never run.
 */
export function mergeChecks(results: readonly ShardResult[]): MergedChecks {
  if (results.length === 0) throw new UsageError('merge needs at least one folder written by faultline check');
  const first = results[0]!.file;
  for (const { dir, file } of results) {
    for (const key of ['scenario', 'middleware', 'seed', 'runs'] as const) {
      if (file[key] !== first[key]) {
        throw new UsageError(
          `${dir} is another search (${key} ${JSON.stringify(file[key])}, not ${JSON.stringify(first[key])}); merge only the shards of one check`,
        );
      }
    }
  }
  const count = first.shard?.count ?? 1;
  const seen = new Map<number, string>();
  for (const { dir, file } of results) {
    if ((file.shard?.count ?? 1) !== count)
      throw new UsageError(`${dir} was shard ${file.shard?.index ?? 1}/${file.shard?.count ?? 1}, the others of ${count}; merge only the shards of one check`);
    const index = file.shard?.index ?? 1;
    const earlier = seen.get(index);
    if (earlier !== undefined) throw new UsageError(`${dir} and ${earlier} are both shard ${index}/${count}; pass each shard once`);
    seen.set(index, dir);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0)
    throw new UsageError(
      `shard${missing.length === 1 ? '' : 's'} ${missing.map((i) => `${i}/${count}`).join(', ')} missing: their cases never ran; pass every runner's folder`,
    );

  const coverage = new Map<string, number>();
  for (const { file } of results) for (const [pair, cases] of file.coverage) coverage.set(pair, (coverage.get(pair) ?? 0) + cases);
  const failing = results.filter((r) => r.file.failure !== null) as Array<ShardResult & { file: CheckFile & { failure: CheckFileFailure } }>;
  let kept = failing[0];
  for (const candidate of failing.slice(1)) if (smallerFailure(candidate.file.failure, kept!.file.failure)) kept = candidate;
  const interrupted = results.some((r) => r.file.verdict === 'interrupted');
  const ordered = [...results].sort((a, b) => (a.file.shard?.index ?? 1) - (b.file.shard?.index ?? 1));
  const file: CheckFile = {
    format: first.format,
    scenario: first.scenario,
    middleware: first.middleware,
    seed: first.seed,
    runs: first.runs,
    shard: null,
    casesRun: results.reduce((n, r) => n + r.file.casesRun, 0),
    verdict: kept !== undefined ? 'fail' : interrupted ? 'interrupted' : 'pass',
    coverage: [...coverage].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    failure: kept?.file.failure ?? null,
    rerun: kept?.file.rerun ?? first.rerun.replace(/ --shard \d+\/\d+/, ''),
    mergedFrom: ordered.map((r) => r.dir),
    ...(kept !== undefined && { failureFrom: kept.dir }),
  };
  return {
    file,
    ...(kept !== undefined && { keptFrom: kept.dir }),
    otherFailures: failing.filter((r) => r !== kept).map((r) => ({ dir: r.dir, failure: r.file.failure })),
  };
}
