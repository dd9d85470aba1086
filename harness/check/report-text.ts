import { describeCase, describeFailure } from './describe.ts';
import type { CheckReport } from './search.ts';

export interface CheckLines {
  /** The command that runs the minimal case again (replay). */
  replay?: string;
  /** The command that repeats the search, or jumps straight to the minimal case with --path. */
  rerun?: string;
  /** Where the minimal run's artefacts went. */
  outDir?: string;
  /** A saved regression scenario. */
  regression?: string;
}

/** What a person reads after `check`: the verdict, the minimal case in words, and how to get it back. */
export function formatCheckReport(report: CheckReport, lines: CheckLines = {}): string {
  const head = `${report.scenario} [${report.middleware}, fast-check seed ${report.seed}]`;
  const failure = report.failure;
  if (failure === undefined) {
    return `✓ ${head} PASSED: ${report.runs} generated case${report.runs === 1 ? '' : 's'} held every invariant`;
  }
  const orders = failure.case.overrides.orders.count;
  const out = [
    `✗ ${head} FAILED on generated case ${report.runs}`,
    `  first failure: ${failure.firstOrders} order${failure.firstOrders === 1 ? '' : 's'}; shrunk in ${failure.shrinks} step${failure.shrinks === 1 ? '' : 's'} (${failure.shrinkRuns} runs) to ${orders} order${orders === 1 ? '' : 's'}, keeping ${failure.invariants.join(', ')} failing`,
    `  minimal case: ${describeCase(failure.scenario)} (run seed ${failure.case.seed})`,
    ...describeFailure(failure.result).map((line) => `  ${line}`),
    `  fast-check: seed ${report.seed}, path "${failure.path}"`,
  ];
  if (lines.rerun !== undefined) out.push(`  rerun: ${lines.rerun}`);
  if (lines.outDir !== undefined) out.push(`  artefacts: ${lines.outDir}`);
  if (lines.regression !== undefined) out.push(`  regression: ${lines.regression}`);
  if (lines.replay !== undefined) out.push(`  replay: ${lines.replay}`);
  return out.join('\n');
}
