import type { CheckFile } from '../../harness/check/check-file.ts';
import { plural } from '../../harness/cli/format.ts';
import { markdown } from './escape.ts';
import { MARK } from './page.ts';
import type { RunSummary } from './page.ts';

/** Findings per failing invariant in the summary: a CI page is skimmed, the report has the rest. */
const WORST_PER_INVARIANT = 3;

/** A fence no backtick run inside the text can close. */
function codeBlock(text: string, lang = 'sh'): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** The failing invariants, most violations first, each with its first findings. */
function worstViolations(summary: RunSummary): string[] {
  const failing = summary.invariants.filter((v) => v.verdict !== 'pass').sort((a, b) => b.violations - a.violations);
  return failing.flatMap((v) =>
    v.examples.slice(0, WORST_PER_INVARIANT).map((e) => {
      const events = e.events !== undefined && e.events.length > 0 ? ` (history #${e.events.slice(0, 6).join(', #')})` : '';
      return `- **${markdown(v.name)}**: ${e.orderRef !== undefined ? `${markdown(e.orderRef)}: ` : ''}${markdown(e.message)}${events}`;
    }),
  );
}

/**
 * summary.md for one run: fit for `$GITHUB_STEP_SUMMARY` and GitLab's job
 * summary, so a CI page says what broke, where, and the line that replays it.
 */
export function renderRunSummaryMarkdown(summary: RunSummary, reportPath = 'report.html', check?: CheckFile): string {
  const lines = [
    `### ${MARK[summary.verdict]} ${markdown(summary.scenario)}: ${summary.verdict.toUpperCase()}`,
    '',
    `${markdown(summary.middleware)} · seed ${summary.seed} · ${summary.mode} · Odoo ${markdown(summary.odoo)} · ${summary.stats.orders} orders, ${summary.stats.messages} messages, ${summary.stats.faultsInjected} faults`,
    '',
    '| | invariant | finding |',
    '| --- | --- | --- |',
    ...summary.invariants.map((v) => `| ${MARK[v.verdict]} | ${markdown(v.name)} | ${v.verdict === 'pass' ? '' : markdown(v.summary)} |`),
  ];
  const worst = worstViolations(summary);
  if (worst.length > 0) lines.push('', '**Worst violations**', '', ...worst);
  const f = check?.failure;
  if (check !== undefined && f !== undefined && f !== null) {
    lines.push(
      '',
      `Found by \`check\` in ${plural(check.casesRun, 'generated case')}, shrunk ${plural(f.shrinks, 'time')} to ${plural(f.orders, 'order')} and ${plural(f.faults, 'fault')}: ${markdown(f.words)}`,
      '',
      codeBlock(check.rerun),
    );
  }
  if (summary.verdict !== 'pass') lines.push('', 'Replay it exactly:', '', codeBlock(summary.replay));
  lines.push('', `Timelines and evidence: \`${reportPath.replace(/`/g, "'")}\``);
  return lines.join('\n') + '\n';
}

export interface SuiteEntry {
  scenario: string;
  design: string;
  /** The run folder, relative to the suite's folder. */
  dir: string;
  summary: RunSummary;
}

/** summary.md for a suite or a comparison: one row per scenario, one column per design, then every replay line. */
export function renderSuiteSummaryMarkdown(entries: readonly SuiteEntry[], designs: readonly string[], note?: string): string {
  const scenarios = [...new Set(entries.map((e) => e.scenario))];
  const failed = entries.filter((e) => e.summary.verdict !== 'pass');
  const lines = [
    `### ${failed.length === 0 ? '✓' : '✗'} Faultline: ${entries.length} runs, ${failed.length} failing`,
    '',
    `| scenario | ${designs.map(markdown).join(' | ')} |`,
    `| --- | ${designs.map(() => '---').join(' | ')} |`,
  ];
  for (const scenario of scenarios) {
    const cells = designs.map((design) => {
      const entry = entries.find((e) => e.scenario === scenario && e.design === design);
      if (entry === undefined) return '-';
      const broken = entry.summary.invariants.filter((v) => v.verdict !== 'pass').map((v) => markdown(v.name));
      return broken.length === 0 ? '✓ pass' : `✗ ${broken.join(', ')}`;
    });
    lines.push(`| ${markdown(scenario)} | ${cells.join(' | ')} |`);
  }
  if (note !== undefined) lines.push('', markdown(note));
  if (failed.length > 0) lines.push('', 'Replay any failure:', '', codeBlock(failed.map((e) => e.summary.replay).join('\n')));
  lines.push('', 'Per-run timelines: `report.html` beside this file, linking each run’s own.');
  return lines.join('\n') + '\n';
}
