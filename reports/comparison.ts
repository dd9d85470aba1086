import type { RunResult } from '../harness/run/result.ts';

export interface ComparisonRow {
  scenario: string;
  results: Record<string, RunResult>;
  /** Per design, the invariants the scenario expects to fail; `undefined`: it expects nothing of that design. */
  expected: Record<string, readonly string[] | undefined>;
}

function failing(result: RunResult): string[] {
  return result.invariants.filter((v) => v.verdict !== 'pass').map((v) => (v.verdict === 'unknown' ? `${v.name}?` : v.name));
}

/**
 * The side-by-side table of `compare` (and `demo`): per scenario and design, the invariants
 * that broke. A cell is marked when an expected failure is missing, or when a
 * design expected to pass does not, so a regression in either design stands out.
 */
export function renderComparison(rows: readonly ComparisonRow[], designs: readonly string[], artefacts = 'reports/out'): { text: string; asExpected: boolean } {
  let asExpected = true;
  let judged = 0;
  const unjudged = new Set<string>();
  const cells = rows.map((row) => {
    const line = [row.scenario];
    for (const design of designs) {
      const result = row.results[design];
      if (result === undefined) {
        line.push('-');
        continue;
      }
      const broken = failing(result);
      const text = broken.length === 0 ? 'pass' : `FAIL ${broken.join(', ')}`;
      const expected = row.expected[design];
      if (expected === undefined) {
        unjudged.add(design);
        line.push(text);
        continue;
      }
      judged++;
      // A design meets the expectation when every expected failure shows (knock-on failures may join it),
      // and when nothing is expected to fail, nothing does.
      const matches = expected.length === 0 ? broken.length === 0 : expected.every((name) => broken.includes(name));
      if (!matches) asExpected = false;
      line.push(matches ? text : `${text}  ≠ expected ${expected.length === 0 ? 'pass' : expected.join(', ')}`);
    }
    return line;
  });
  const header = ['scenario', ...designs];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)));
  const format = (line: readonly string[]): string =>
    line
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const lines = [format(header), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(format)];
  const replays = rows.flatMap((row) =>
    designs.flatMap((d) => {
      const r = row.results[d];
      return r !== undefined && r.verdict !== 'pass' ? [`  ${r.replay.command}`] : [];
    }),
  );
  const verdict =
    judged === 0
      ? 'No scenario says what to expect of these designs (add "expect" to judge them).'
      : asExpected
        ? `Every ${unjudged.size > 0 ? 'judged ' : ''}design failed exactly where its scenario expects.`
        : 'Some verdicts differ from what the scenarios expect (marked ≠).';
  const shownOnly = unjudged.size > 0 && judged > 0 ? ` Shown, not judged (no scenario says what to expect of it): ${[...unjudged].join(', ')}.` : '';
  lines.push('', verdict + shownOnly);
  if (replays.length > 0) lines.push('Replay any failure with:', ...replays);
  lines.push(
    `Report: ${artefacts}/report.html (each run's timelines, linked). Artefacts (summary.json, junit.xml, history.jsonl, replay.json, comparison.txt) are in ${artefacts}/.`,
  );
  return { text: lines.join('\n') + '\n', asExpected };
}
