import { relative, resolve } from 'node:path';
import { rebuildReports } from '../../../reports/html/write-report.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { parseCommandArgs } from '../args.ts';

/**
 * Rebuilds report.html and summary.md from a folder's stored artefacts, so a
 * run from an older version, a CI artefact or a merged check gets today's report
 * without running again.
 */
export async function reportCommand(argv: readonly string[]): Promise<number> {
  const { positionals } = parseCommandArgs('report', argv, {});
  if (positionals.length !== 1)
    throw new UsageError('report needs one folder: a run folder (it holds summary.json) or a folder of runs, e.g. "faultline report reports/out"');
  const written = await rebuildReports(resolve(positionals[0]!));
  const shown = (path: string): string => {
    const rel = relative(process.cwd(), path);
    return rel.startsWith('..') ? path : rel;
  };
  process.stdout.write(`report: ${shown(written[0]!)}\n`);
  if (written.length > 1) process.stdout.write(`  and ${written.length - 1} run reports below it\n`);
  return EXIT.pass;
}
