import type { LatencySummary, LiveStats, RunResult } from '../run/result.ts';
import type { Scenario } from '../scenario/scenario.ts';

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes}m ${Math.round((ms % 60_000) / 1000)}s`;
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

/** "1 order", "2 orders": counts a person reads. */
export function plural(count: number, noun: string, nouns = `${noun}s`): string {
  return `${count} ${count === 1 ? noun : nouns}`;
}

const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

/** What a person reads after a run: the verdict per invariant, evidence for failures, and the replay line. */
export function formatRunResult(result: RunResult, outDir: string | undefined): string {
  const s = result.stats;
  const lines = [
    `${MARK[result.verdict]} ${result.scenario} [${result.middleware}, seed ${result.seed}, ${result.mode}, odoo ${result.odoo}] ${result.verdict.toUpperCase()}` +
      `  (${plural(s.orders, 'order')}, ${plural(s.messages, 'message')}, ${plural(s.faultsInjected, 'fault')}, ${formatDuration(s.virtualMs)} ${result.mode === 'sim' ? 'virtual' : 'run'}, ${formatDuration(s.wallMs)} wall${s.quiescent ? '' : ', budget reached before quiet'})`,
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
  if (s.live !== undefined) lines.push(...formatLiveStats(s.live));
  if (outDir !== undefined) lines.push(`  artefacts: ${outDir}`, `  report: ${outDir}/report.html`);
  if (result.verdict !== 'pass') lines.push(`  replay: ${result.replay.command}`);
  return lines.join('\n');
}

function formatLatency(name: string, l: LatencySummary): string {
  if (l.count === 0) return `${name}: none`;
  return `${name} p50 ${formatDuration(l.p50)}, p95 ${formatDuration(l.p95)}, p99 ${formatDuration(l.p99)}, max ${formatDuration(l.max)} (${l.count})`;
}

/** Live runs' wall-clock figures: end-to-end latency, throughput over time, dropped arrivals. */
export function formatLiveStats(live: LiveStats): string[] {
  const perSecond = (count: number) => Math.round((count / live.intervalMs) * 1000 * 10) / 10;
  const timeline = live.throughput.map((b) => perSecond(b.inOdoo));
  const shown = timeline.length > 24 ? [...timeline.slice(0, 24), '…'] : timeline;
  const lines = [
    `  live (time scale 1/${Math.round(1 / live.timeScale)}): ${formatLatency('placed→Odoo', live.placedToOdooMs)}; ${formatLatency('placed→invoiced', live.placedToInvoicedMs)}`,
    `  throughput into Odoo per ${formatDuration(live.intervalMs)} (orders/s): ${shown.join(' ') || 'none'}; arrivals ${live.arrivalRate.measuredPerSec}/s of ${live.arrivalRate.targetPerSec}/s asked; dropped arrivals ${live.droppedArrivals}`,
  ];
  for (const error of live.faultErrors.slice(0, 3)) lines.push(`  fault switch failed: ${error}`);
  return lines;
}

/**
 * The scenario's `expect` for this design against what happened: met when
 * every expected failure shows (knock-on failures may join), or, when it
 * expects none, when nothing failed. `undefined` when it expects nothing of it.
 */
export function expectationLine(scenario: Scenario, result: RunResult, design: string): { line: string; met: boolean } | undefined {
  const expected = (scenario.expect as Record<string, { fails: readonly string[] } | undefined> | undefined)?.[design]?.fails;
  if (expected === undefined) return undefined;
  const broken = result.invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name);
  const met = expected.length === 0 ? broken.length === 0 : expected.every((name) => broken.includes(name));
  const what = expected.length === 0 ? `${design} to pass` : `${design} to fail ${expected.join(', ')}`;
  return { line: `  expected ${what}: ${met ? 'as expected' : `NOT as expected (${broken.length === 0 ? 'it passed' : `failed ${broken.join(', ')}`})`}`, met };
}
