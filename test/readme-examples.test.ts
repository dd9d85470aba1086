import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');

/** The first fenced block after `heading` that is not a shell command block. */
function blockAfter(text: string): string[] {
  const start = readme.indexOf(text);
  expect(start, `README no longer says "${text}"`).toBeGreaterThan(-1);
  const open = readme.indexOf('```\n', start);
  const close = readme.indexOf('\n```', open + 4);
  return readme.slice(open + 4, close).split('\n');
}

function faultline(cwd: string, ...args: string[]): string {
  return spawnSync(process.execPath, [join(root, 'bin/faultline.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, CI: 'true' } }).stdout;
}

/** Wall-clock figures differ from machine to machine; everything else is deterministic. */
const wall = (line: string): string => line.replace(/\d+(\.\d+)? (ms|s) wall/, 'N wall');

describe('README examples', { timeout: 240_000 }, () => {
  it('shows the table npm start prints today', () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-readme-demo-'));
    faultline(root, 'demo', '--out', out);
    const printed = readFileSync(join(out, 'comparison.txt'), 'utf8').split('\n');
    const shown = blockAfter('prints which invariants each design broke:');
    expect(shown).toEqual(printed.slice(0, shown.length));
  });

  it('shows lines the failing run prints today, in order (… marks lines left out)', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'faultline-readme-run-'));
    const printed = faultline(cwd, 'run', 'capture-retry-storm', '--middleware', 'naive', '--seed', '7').split('\n').map(wall);
    const shown = blockAfter('npx faultline run capture-retry-storm --middleware naive --seed 7\n```')
      .filter((line) => line.trim() !== '…')
      .map(wall);
    let at = 0;
    for (const line of shown) {
      const found = printed.indexOf(line, at);
      expect(found, `README line not printed (in this order): ${line}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
  });
});
