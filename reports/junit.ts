import type { RunResult } from '../harness/run/result.ts';

function escapeXml(text: string): string {
  return (
    text
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      // XML 1.0 forbids most control characters even when escaped.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
  );
}

/**
 * JUnit XML, one test case per scenario × invariant, so CI systems show each
 * broken business rule as its own failed test with the evidence attached.
 */
export function renderJunit(results: readonly RunResult[]): string {
  const lines: string[] = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const total = results.reduce((n, r) => n + r.invariants.length, 0);
  const failures = results.reduce((n, r) => n + r.invariants.filter((v) => v.verdict === 'fail').length, 0);
  const errors = results.reduce((n, r) => n + r.invariants.filter((v) => v.verdict === 'unknown').length, 0);
  lines.push(`<testsuites name="faultline" tests="${total}" failures="${failures}" errors="${errors}">`);
  for (const result of results) {
    const suite = `${result.scenario} [${result.middleware}, seed ${result.seed}, ${result.mode}]`;
    const suiteFailures = result.invariants.filter((v) => v.verdict === 'fail').length;
    const suiteErrors = result.invariants.filter((v) => v.verdict === 'unknown').length;
    lines.push(
      `  <testsuite name="${escapeXml(suite)}" tests="${result.invariants.length}" failures="${suiteFailures}" errors="${suiteErrors}" time="${(result.stats.wallMs / 1000).toFixed(3)}">`,
    );
    lines.push('    <properties>');
    lines.push(`      <property name="replay" value="${escapeXml(result.replay.command)}"/>`);
    lines.push(`      <property name="seed" value="${result.seed}"/>`);
    lines.push('    </properties>');
    for (const invariant of result.invariants) {
      const open = `    <testcase classname="${escapeXml(`faultline.${result.scenario}.${result.middleware}`)}" name="${escapeXml(invariant.name)}"`;
      if (invariant.verdict === 'pass') {
        lines.push(`${open}/>`);
        continue;
      }
      const tag = invariant.verdict === 'fail' ? 'failure' : 'error';
      const evidence = [
        invariant.summary,
        ...invariant.examples.map(
          (e) =>
            `- ${e.orderRef !== undefined ? `${e.orderRef}: ` : ''}${e.message}${e.events !== undefined && e.events.length > 0 ? ` (history #${e.events.join(', #')})` : ''}`,
        ),
        `replay: ${result.replay.command}`,
      ].join('\n');
      lines.push(`${open}>`);
      lines.push(
        `      <${tag} message="${escapeXml(`${invariant.violations} violation(s): ${invariant.summary}`)}" type="${invariant.verdict === 'fail' ? 'InvariantViolated' : 'InvariantUnknown'}">${escapeXml(evidence)}</${tag}>`,
      );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return lines.join('\n') + '\n';
}
