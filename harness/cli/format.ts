import type { RunResult } from '../run/result.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** What a person reads after a run: the verdict per invariant, evidence for failures, and the replay line. */
export function formatRunResult(result: RunResult, outDir: string | undefined): string {
  const s = result.stats;
  const lines = [
    `${MARK[result.verdict]} ${result.scenario} [${result.middleware}, seed ${result.seed}, ${result.mode}, odoo ${result.odoo}] ${result.verdict.toUpperCase()}` +
      `  (${s.orders} orders, ${s.messages} messages, ${s.faultsInjected} faults, ${formatDuration(s.virtualMs)} ${result.mode === 'sim' ? 'virtual' : 'run'}, ${formatDuration(s.wallMs)} wall${s.quiescent ? '' : ', budget reached before quiet'})`,
  ];
  for (const invariant of result.invariants) {
    lines.push(`  ${MARK[invariant.verdict]} ${invariant.name}${invariant.verdict === 'pass' ? '' : `: ${invariant.summary}`}`);
    if (invariant.verdict === 'pass') continue;
    for (const example of invariant.examples) {
      const events = example.events !== undefined && example.events.length > 0 ? ` [history #${example.events.slice(0, 6).join(', #')}]` : '';
      lines.push(`      ${example.orderRef !== undefined ? `${example.orderRef}: ` : ''}${example.message}${events}`);
    }
    if (invariant.violations > invariant.examples.length) lines.push(`      … and ${invariant.violations - invariant.examples.length} more`);
  }
  if (outDir !== undefined) lines.push(`  artefacts: ${outDir}`);
  if (result.verdict !== 'pass') lines.push(`  replay: ${result.replay.command}`);
  return lines.join('\n');
}
