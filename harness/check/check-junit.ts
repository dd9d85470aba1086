import type { CheckFile } from './check-file.ts';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The suite's name: which search, and which share of it. */
export function checkSuiteName(file: Pick<CheckFile, 'scenario' | 'middleware' | 'seed' | 'shard'>): string {
  const shard = file.shard !== null ? `, shard ${file.shard.index}/${file.shard.count}` : '';
  return `${file.scenario} [${file.middleware}, check seed ${file.seed}${shard}]`;
}

/**
 * JUnit for a check that kept no failing run (it passed, or a signal stopped
 * it before any case failed): one test, "generated cases", so a CI system
 * still shows the search, its size and its seed. A failing check writes the
 * minimal run's own JUnit (one test per invariant) instead.
 */
export function checkJunit(file: CheckFile): string {
  const error = file.verdict === 'interrupted' ? 1 : 0;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="faultline" tests="1" failures="0" errors="${error}">`,
    `  <testsuite name="${escapeXml(checkSuiteName(file))}" tests="1" failures="0" errors="${error}">`,
    '    <properties>',
    `      <property name="seed" value="${file.seed}"/>`,
    `      <property name="cases" value="${file.casesRun}"/>`,
    `      <property name="rerun" value="${escapeXml(file.rerun)}"/>`,
    '    </properties>',
  ];
  const open = `    <testcase classname="${escapeXml(`faultline.check.${file.scenario}.${file.middleware}`)}" name="generated cases"`;
  if (error === 0) lines.push(`${open}/>`);
  else
    lines.push(
      `${open}>`,
      `      <error message="interrupted by ${escapeXml(file.interrupted?.signal ?? 'a signal')} after ${file.casesRun} cases" type="Interrupted"/>`,
      '    </testcase>',
    );
  lines.push('  </testsuite>', '</testsuites>');
  return lines.join('\n') + '\n';
}

/** The `<testsuite>` elements of a JUnit document, whole, as written by Faultline. */
export function junitSuites(xml: string): string[] {
  return [...xml.matchAll(/^\s*<testsuite\b[\s\S]*?<\/testsuite>/gm)].map((m) => m[0].replace(/^\n+/, ''));
}

function countAttribute(suite: string, name: string): number {
  const head = /<testsuite\b[^>]*>/.exec(suite)?.[0] ?? '';
  return Number(new RegExp(`\\b${name}="(\\d+)"`).exec(head)?.[1] ?? 0);
}

/** One JUnit document from the suites of several, with the totals summed again. */
export function mergeJunitSuites(suites: readonly string[]): string {
  const sum = (name: string): number => suites.reduce((n, s) => n + countAttribute(s, name), 0);
  return (
    [
      '<?xml version="1.0" encoding="UTF-8"?>',
      `<testsuites name="faultline" tests="${sum('tests')}" failures="${sum('failures')}" errors="${sum('errors')}">`,
      ...suites.map((s) => s.trimEnd()),
      '</testsuites>',
    ].join('\n') + '\n'
  );
}
