import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resilientFingerprint, survivedLine } from './survived.ts';

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'faultline-survived-'));
  for (const dir of ['middleware/resilient', 'middleware/shared', 'bench']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'middleware/resilient/index.ts'), 'export const design = 1;\n');
  writeFileSync(join(root, 'middleware/shared/http.ts'), 'export const shared = 1;\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function record(figures: Record<string, { cases: number; verdict: string; fingerprint?: string }>, fingerprint = resilientFingerprint(root)): void {
  const resilientCheck = { runsPerScenario: 1000, fingerprint, measuredAt: '2026-12-06T06:00:00.000Z', scenarios: figures };
  writeFileSync(join(root, 'bench/results.json'), JSON.stringify({ resilientCheck }));
}

describe('the line under the demo table', () => {
  it('states the generated cases the resilient design held, measured on the sources that run', () => {
    record({ 'happy-path': { cases: 1000, verdict: 'pass' }, 'capture-retry-storm': { cases: 1000, verdict: 'pass' } });
    expect(survivedLine(root, ['happy-path', 'capture-retry-storm'])).toBe(
      'Generated cases survived by resilient (faultline check, seed 1): 2,000 held every invariant, in 2 of 2 scenarios (1,000 each); measured on 2026-12-06 with these sources of middleware/resilient.',
    );
  });

  it('does not count figures measured on other sources, and names their scenarios', () => {
    const old = resilientFingerprint(root);
    writeFileSync(join(root, 'middleware/resilient/index.ts'), 'export const design = 2;\n');
    record({ 'happy-path': { cases: 1000, verdict: 'pass' }, 'capture-retry-storm': { cases: 1000, verdict: 'pass', fingerprint: old! } });
    const line = survivedLine(root, ['happy-path', 'capture-retry-storm']);
    expect(line).toContain('1,000 held every invariant, in 1 of 2 scenarios');
    expect(line).toContain(
      'Measured with an earlier version of middleware/resilient only (re-measure: npm run bench -- resilient-check): capture-retry-storm.',
    );
  });

  it('counts only the scenarios that held, and names the ones that broke or were not measured', () => {
    record({ 'happy-path': { cases: 1000, verdict: 'pass' }, 'capture-retry-storm': { cases: 840, verdict: 'fail at case 840: converges' } });
    const line = survivedLine(root, ['happy-path', 'capture-retry-storm', 'rounding-drift']);
    expect(line).toContain('1,000 held every invariant, in 1 of 3 scenarios');
    expect(line).toContain('Broke: capture-retry-storm (fail at case 840: converges).');
    expect(line).toContain('Not measured: rounding-drift.');
  });

  it('claims no number when every figure was measured on other sources', () => {
    record({ 'happy-path': { cases: 1000, verdict: 'pass' } }, 'another-version');
    expect(survivedLine(root, ['happy-path'])).toBe(
      'Generated cases survived by resilient (faultline check, seed 1): none measured on these sources of middleware/resilient. ' +
        'Measured with an earlier version of middleware/resilient only (re-measure: npm run bench -- resilient-check): happy-path.',
    );
  });

  it('claims nothing where nothing was measured', () => {
    expect(survivedLine(root, ['happy-path'])).toBe(
      'Generated cases survived by resilient: none recorded here; faultline check SCENARIO --middleware resilient --runs 1000 measures them.',
    );
  });
});
