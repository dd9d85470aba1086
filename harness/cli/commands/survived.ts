import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The design whose generated-case figures `demo` reports, and the folders its behaviour comes from. */
const DESIGN_DIRS = ['middleware/resilient', 'middleware/shared'];

/**
 * A hash of the resilient middleware's sources (tests left out): figures
 * measured on other sources describe another design. Undefined where the
 * sources are not there (an installed package ships compiled code only).
 */
export function resilientFingerprint(root: string): string | undefined {
  const hash = createHash('sha256');
  try {
    for (const dir of DESIGN_DIRS) {
      for (const name of readdirSync(join(root, dir))
        .filter((n) => n.endsWith('.ts') && !n.endsWith('.test.ts'))
        .sort()) {
        hash.update(`${dir}/${name}\u0000`).update(readFileSync(join(root, dir, name)));
      }
    }
  } catch {
    return undefined;
  }
  return hash.digest('hex').slice(0, 16);
}

interface Recorded {
  command?: string;
  runsPerScenario?: number;
  /** The sources of the last run; a scenario's own fingerprint, when it has one, says what it ran on. */
  fingerprint?: string;
  measuredAt?: string;
  scenarios?: Record<string, { cases: number; verdict: string; fingerprint?: string }>;
}

/**
 * The line under the demo table saying how many generated cases the
 * resilient design survived: read from the last `npm run bench --
 * resilient-check` (bench/results.json), never assumed. Only figures measured
 * on the sources that run now count; the line says which scenarios were
 * measured on other sources, which failed or were not measured, and, where
 * nothing was measured, how to measure it.
 */
export function survivedLine(root: string, scenarios: readonly string[]): string {
  const howTo = 'faultline check SCENARIO --middleware resilient --runs 1000 measures them';
  let recorded: Recorded | undefined;
  try {
    recorded = (JSON.parse(readFileSync(join(root, 'bench', 'results.json'), 'utf8')) as { resilientCheck?: Recorded }).resilientCheck;
  } catch {
    recorded = undefined;
  }
  const figures = recorded?.scenarios ?? {};
  const measured = scenarios.filter((name) => figures[name] !== undefined);
  if (recorded === undefined || measured.length === 0) return `Generated cases survived by resilient: none recorded here; ${howTo}.`;

  const current = resilientFingerprint(root);
  const isCurrent = (name: string) => current !== undefined && (figures[name]!.fingerprint ?? recorded.fingerprint) === current;
  const now = measured.filter(isCurrent);
  const earlier = measured.filter((name) => !isCurrent(name));
  const held = now.filter((name) => figures[name]!.verdict === 'pass');
  const cases = held.reduce((sum, name) => sum + figures[name]!.cases, 0);
  const failed = now.filter((name) => figures[name]!.verdict !== 'pass').map((name) => `${name} (${figures[name]!.verdict})`);
  const missing = scenarios.filter((name) => figures[name] === undefined);
  const when = recorded.measuredAt !== undefined ? ` on ${recorded.measuredAt.slice(0, 10)}` : '';
  const each = recorded.runsPerScenario !== undefined ? ` (${recorded.runsPerScenario.toLocaleString('en-US')} each)` : '';
  const parts = [
    now.length === 0
      ? 'Generated cases survived by resilient (faultline check, seed 1): none measured on these sources of middleware/resilient.'
      : `Generated cases survived by resilient (faultline check, seed 1): ${cases.toLocaleString('en-US')} held every invariant, in ${held.length} of ${scenarios.length} scenarios${each}; measured${when} with these sources of middleware/resilient.`,
  ];
  if (failed.length > 0) parts.push(`Broke: ${failed.join('; ')}.`);
  if (earlier.length > 0)
    parts.push(`Measured with an earlier version of middleware/resilient only (re-measure: npm run bench -- resilient-check): ${earlier.join(', ')}.`);
  if (missing.length > 0) parts.push(`Not measured: ${missing.join(', ')}.`);
  return parts.join(' ');
}
