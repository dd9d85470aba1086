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

/**
 * Coverage as one line per operation: the faults it met and in how many cases,
 * so a person sees at a glance which steps the search never disturbed.
 */
export function coverageLines(coverage: ReadonlyArray<readonly [string, number]>): string[] {
  const byOperation = new Map<string, string[]>();
  for (const [pair, cases] of coverage) {
    const [operation, fault] = pair.includes(' × ') ? (pair.split(' × ') as [string, string]) : [pair, ''];
    byOperation.set(operation, [...(byOperation.get(operation) ?? []), fault === '' ? `${cases}` : `${fault} ${cases}`]);
  }
  return [...byOperation].map(([operation, faults]) => `${operation}: ${faults.join(', ')}`);
}

/** What a person reads after `check`: the verdict, the minimal case in words, the coverage, and how to get it back. */
export function formatCheckReport(report: CheckReport, lines: CheckLines = {}): string {
  const shard = report.shard !== undefined ? `, shard ${report.shard.index}/${report.shard.count}` : '';
  const head = `${report.scenario} [${report.middleware}, fast-check seed ${report.seed}${shard}]`;
  // A replay runs the case at its path only: a coverage table would claim the search's cases, which never ran.
  const coverage =
    report.replayedPath !== undefined
      ? []
      : [
          `  coverage: ${report.coverage.length} operation × fault pair${report.coverage.length === 1 ? '' : 's'} exercised (cases per pair):`,
          ...coverageLines(report.coverage).map((line) => `    ${line}`),
        ];
  const failure = report.failure;
  if (failure === undefined && report.replayedPath !== undefined) {
    return `✓ ${head} PASSED: the case at path "${report.replayedPath}" held every invariant`;
  }
  if (failure === undefined) {
    return [`✓ ${head} PASSED: ${report.runs} generated case${report.runs === 1 ? '' : 's'} held every invariant`, ...coverage].join('\n');
  }
  const orders = failure.case.overrides.orders.count;
  const out = [
    `✗ ${head} FAILED on generated case ${report.runs} (index ${failure.index})`,
    `  first failure: ${failure.firstOrders} order${failure.firstOrders === 1 ? '' : 's'}; shrunk in ${failure.shrinks} step${failure.shrinks === 1 ? '' : 's'} (${failure.shrinkRuns} runs) to ${orders} order${orders === 1 ? '' : 's'}, keeping ${failure.invariants.join(', ')} failing`,
    `  minimal case: ${describeCase(failure.scenario)} (run seed ${failure.case.seed})`,
    ...describeFailure(failure.result).map((line) => `  ${line}`),
    `  fast-check: seed ${report.seed}, path "${failure.path}"`,
    ...coverage,
  ];
  if (lines.rerun !== undefined) out.push(`  rerun: ${lines.rerun}`);
  if (lines.outDir !== undefined) out.push(`  artefacts: ${lines.outDir}`);
  if (lines.regression !== undefined) out.push(`  regression: ${lines.regression}`);
  if (lines.replay !== undefined) out.push(`  replay: ${lines.replay}`);
  return out.join('\n');
}
