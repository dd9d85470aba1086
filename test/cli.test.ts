import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function faultline(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/faultline.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 240_000, env: { ...process.env, CI: 'true' } });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('faultline run', { timeout: 180_000 }, () => {
  it('exits 1 on a broken invariant, names the duplicated orders and prints a replay line that reproduces the history', () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
    const first = faultline('run', 'capture-retry-storm', '--middleware', 'naive', '--seed', '7', '--out', join(out, 'a'));
    expect(first.code).toBe(1);
    expect(first.stdout).toContain('✗ no-duplicate-orders');
    expect(first.stdout).toMatch(/CAP-\d{6}/);
    const replay = /replay: npx faultline (.*)/.exec(first.stdout)?.[1];
    expect(replay).toBe('run capture-retry-storm --middleware naive --seed 7');
    const again = faultline(...replay!.split(' '), '--out', join(out, 'b'));
    expect(again.code).toBe(1);
    expect(readFileSync(join(out, 'b', 'history.jsonl'), 'utf8')).toBe(readFileSync(join(out, 'a', 'history.jsonl'), 'utf8'));
    const summary = JSON.parse(readFileSync(join(out, 'a', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ scenario: 'capture-retry-storm', seed: 7, mode: 'sim', middleware: 'naive', verdict: 'fail' });
    expect(summary.stats.orders).toBe(60);
    expect(readFileSync(join(out, 'a', 'junit.xml'), 'utf8')).toContain('<failure');
    expect(JSON.parse(readFileSync(join(out, 'a', 'replay.json'), 'utf8')).command).toBe(`npx faultline ${replay}`);

    const recheck = faultline('recheck', join(out, 'a'), '--invariants', 'no-duplicate-orders');
    expect(recheck.code).toBe(1);
    expect(recheck.stdout).toContain('✗ no-duplicate-orders');
  });

  it('rejects a seed that is not an integer with exit 2 and the fix', () => {
    const run = faultline('run', 'happy-path', '--seed', 'abc');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--seed must be an integer, got "abc"');
  });

  it('rejects an unknown scenario with exit 2 and points to the list', () => {
    const run = faultline('run', 'no-such-scenario');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('faultline list');
  });

  it('reports every problem of an invalid scenario file at once, with paths', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-bad-'));
    const file = join(dir, 'bad.ts');
    writeFileSync(file, `export default { name: 'Bad Name', description: 'x', orders: { count: -1 }, faults: [{ link: { to: 'erp' }, kind: 'latency' }] };\n`);
    const run = faultline('run', file);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('name:');
    expect(run.stderr).toContain('orders.count:');
    expect(run.stderr).toContain('faults[0].link.to:');
    expect(run.stderr).toContain('faults[0].meanMs:');
  });

  it('refuses an unwritable output folder before running, and leaves nothing behind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-ro-'));
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    const run = faultline('run', 'happy-path', '--out', join(blocker, 'out'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('pass --out with a writable folder');
    expect(existsSync(join(blocker, 'out'))).toBe(false);
    chmodSync(dir, 0o755);
  });

  it('rejects an unknown middleware path with exit 2', () => {
    const run = faultline('run', 'happy-path', '--middleware', './nowhere.ts');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--middleware naive|resilient|PATH-TO-MODULE');
  });
});

// The machine's system Node (when it is older than 22) stands in for a team's outdated one.
const oldNode = '/usr/bin/node';
const oldNodeMajor = existsSync(oldNode) ? Number(spawnSync(oldNode, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' }).stdout.trim()) : NaN;

describe('faultline on an old Node', () => {
  it.skipIf(!(oldNodeMajor < 22))('says in one line which Node it needs and exits 2 before loading any TypeScript', () => {
    const run = spawnSync(oldNode, [join(root, 'bin/faultline.js'), 'run', 'happy-path'], { cwd: root, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/Node\.js \d+\.\d+\.\d+ is too old; Faultline needs Node\.js 22\.22\.2 .*24\.15\.0 .*nvm install 24/);
  });
});

describe('faultline list', () => {
  it('lists the built-in scenarios one per line', () => {
    const run = faultline('list');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(11);
    expect(run.stdout).toContain('capture-retry-storm');
  });
});
