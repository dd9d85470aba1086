import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');

function faultline(...args: string[]) {
  const run = spawnSync(process.execPath, [join(root, 'bin/faultline.js'), ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 240_000,
    env: { ...process.env, CI: 'true' },
  });
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
    expect(run.stderr).toContain('--seed must be a whole number such as 7, got "abc"');
  });

  it('says in one line what is wrong with a seed too large to replay, and takes a negative one', () => {
    const big = faultline('run', 'happy-path', '--seed', '99999999999999999999');
    expect(big.code).toBe(2);
    expect(big.stderr.trim().split('\n')).toHaveLength(1);
    expect(big.stderr).toContain('between -9007199254740991 and 9007199254740991');
    const out = mkdtempSync(join(tmpdir(), 'faultline-neg-'));
    const negative = faultline('run', 'happy-path', '--seed', '-3', '--out', join(out, 'run'));
    expect(negative.code).toBe(0);
    expect(negative.stdout).toContain('seed -3');
  });

  it('answers ordinary mistakes with one line and exit 2 or 3, never a stack', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-mistakes-'));
    writeFileSync(join(dir, 'history.jsonl'), '{"seq":1,"t":0,"kind":"mess');
    writeFileSync(join(dir, 'observations.json'), '{}');
    const cases = [
      { args: ['run', 'happy-path', '--odoo', 'external'], code: 2, text: '--odoo external needs --odoo-url (or ODOO_URL)' },
      { args: ['run', 'happy-path', '--sed', '3'], code: 2, text: 'did you mean --seed?' },
      { args: ['recheck', dir], code: 2, text: 'was the run cut short?' },
      {
        args: [
          'provision',
          '--odoo',
          'external',
          '--odoo-url',
          'http://127.0.0.1:1',
          '--odoo-db',
          'x_test',
          '--odoo-user',
          'a',
          '--odoo-password',
          'b',
          '--odoo-master-password',
          'm',
        ],
        code: 3,
        text: '127.0.0.1:1',
      },
    ];
    for (const c of cases) {
      const run = spawnSync(process.execPath, [join(root, 'bin/faultline.js'), ...c.args], {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, CI: 'true', ODOO_URL: '', ODOO_DB: '', ODOO_USER: '', ODOO_PASSWORD: '' },
      });
      expect({ args: c.args, code: run.status }).toEqual({ args: c.args, code: c.code });
      expect(run.stderr).toContain(c.text);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).not.toContain('internal error');
    }
  });

  it('shows per-command help and the version with exit 0', () => {
    const help = faultline('run', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('faultline run [SCENARIO...]');
    expect(help.stdout).not.toContain('faultline serve');
    const version = faultline('--version');
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^faultline \d+\.\d+\.\d+/);
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

  it('shows a file scenario by its own name, judges its expect, and replays it from another folder until the file is edited', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-own-'));
    const file = join(dir, 'my-scenario.ts');
    writeFileSync(
      file,
      `export default { name: 'my-own', description: 'duplicates', orders: { count: 8 }, ` +
        `faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.5 }], ` +
        `expect: { naive: { fails: ['no-duplicate-orders'] } } };\n`,
    );
    const run = spawnSync(process.execPath, [join(root, 'bin/faultline.js'), 'run', 'my-scenario.ts', '--middleware', 'naive', '--seed', '3'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
    });
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^✗ my-own \[naive, seed 3/);
    expect(run.stdout).toContain('expected naive to fail no-duplicate-orders: as expected');
    expect(run.stdout).toContain('replay: npx faultline run my-scenario.ts --middleware naive --seed 3');
    const folder = join(dir, 'reports', 'out', 'my-own', 'naive-seed3');
    expect(readFileSync(join(folder, 'junit.xml'), 'utf8')).toContain('faultline.my-own.naive');
    const replay = faultline('replay', join(folder, 'replay.json'), '--out', join(dir, 'again'));
    expect(replay.stdout).toContain('history: byte-identical');
    writeFileSync(file, readFileSync(file, 'utf8').replace('count: 8', 'count: 9'));
    const edited = faultline('replay', join(folder, 'replay.json'), '--out', join(dir, 'edited'));
    expect(edited.stderr).toContain('changed since this case was saved');
  });

  it('ends a multi-scenario run with a suite line and one combined junit.xml', () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-suite-'));
    const run = faultline('run', 'happy-path', 'rounding-drift', '--middleware', 'resilient', '--out', out);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/suite: 2 scenarios, 2 passed, 0 failed, 0 skipped \(.* wall\); junit: .*junit\.xml/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('happy-path [resilient');
    expect(junit).toContain('rounding-drift [resilient');
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

describe('faultline compare', { timeout: 180_000 }, () => {
  it('puts any designs side by side, judges only the ones a scenario expects something of, and writes the table', () => {
    const out = mkdtempSync(join(tmpdir(), 'faultline-compare-'));
    const run = faultline(
      'compare',
      '--middleware',
      'naive',
      '--middleware',
      'middleware/examples/passthrough.ts',
      'happy-path',
      'capture-retry-storm',
      '--seed',
      '7',
      '--out',
      out,
    );
    expect(run.code).toBe(0);
    const [header, , happy, storm] = run.stdout.split('\n');
    expect(header).toMatch(/^scenario +naive +passthrough$/);
    // The example passes orders through and ignores payments: shown, but no scenario judges it.
    expect(happy).toMatch(/^happy-path +pass +FAIL money-reconciles/);
    expect(storm).toMatch(/^capture-retry-storm +FAIL no-duplicate-orders/);
    expect(run.stdout).not.toContain('≠');
    expect(run.stdout).toContain(
      'Every judged design failed exactly where its scenario expects. Shown, not judged (no scenario says what to expect of it): passthrough.',
    );
    expect(readFileSync(join(out, 'comparison.txt'), 'utf8')).toBe(run.stdout);
    expect(existsSync(join(out, 'capture-retry-storm', 'passthrough-seed7', 'junit.xml'))).toBe(true);
  });

  it('marks a design that breaks what its scenario expects and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-compare-expect-'));
    writeFileSync(
      join(dir, 'calm.ts'),
      `export default { name: 'calm', description: 'no faults', orders: { count: 5 }, expect: { naive: { fails: ['no-duplicate-orders'] } } };\n`,
    );
    const run = faultline('demo', join(dir, 'calm.ts'), '--out', join(dir, 'out'));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^calm +pass {2}≠ expected no-duplicate-orders +pass$/m);
  });
});

describe('faultline serve', () => {
  it('says in one line that a port is taken, with exit 2', async () => {
    const { createServer } = await import('node:net');
    const blocker = createServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = String((blocker.address() as { port: number }).port);
    try {
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, [join(root, 'bin/faultline.js'), 'serve', 'odoo', '--port', port], { cwd: root });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((done) => child.on('exit', done));
      expect(code).toBe(2);
      expect(stderr).toBe(`faultline: 127.0.0.1:${port} is already in use; pick another with --port (or --host)\n`);
    } finally {
      blocker.close();
    }
  });
});

describe('faultline list', () => {
  it('lists the built-in scenarios one per line', () => {
    const run = faultline('list');
    expect(run.code).toBe(0);
    expect(run.stdout.trim().split('\n')).toHaveLength(14);
    expect(run.stdout).toContain('capture-retry-storm');
  });
});
