import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckFile } from './check-file.ts';

const BIN = resolve(import.meta.dirname, '../../bin/faultline.ts');

interface Finished {
  code: number | null;
  stderr: string;
}

/** Starts a command, sends `signal` once stderr shows `ready`, and resolves when the process has exited. */
function interruptWhen(args: readonly string[], ready: RegExp, signal: NodeJS.Signals): Promise<Finished> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (!sent && ready.test(stderr)) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit({ code, stderr })));
}

describe('a signal during faultline check', () => {
  it('keeps the smallest failure found so far with its replay file, and exits 130 on SIGINT', async () => {
    const out = await mkdtemp(join(tmpdir(), 'faultline-check-sigint-'));
    try {
      // 60-order cases shrink for many runs: the signal lands while the search holds a failure and is still shrinking it.
      const { code, stderr } = await interruptWhen(
        [
          'check',
          'capture-retry-storm',
          '--middleware',
          'naive',
          '--seed',
          '1',
          '--runs',
          '20',
          '--workers',
          '1',
          '--invariant',
          'no-duplicate-orders',
          '--out',
          out,
        ],
        /case \d+ fails no-duplicate-orders/,
        'SIGINT',
      );
      expect(code).toBe(130);
      expect(stderr).toMatch(/interrupted by SIGINT while (searching|shrinking).*smallest failure so far: case \d+/s);
      const file = JSON.parse(await readFile(join(out, 'check.json'), 'utf8')) as CheckFile;
      expect(file.verdict).toBe('interrupted');
      expect(file.interrupted?.signal).toBe('SIGINT');
      expect(file.failure?.invariants).toEqual(['no-duplicate-orders']);
      const replay = JSON.parse(await readFile(join(out, 'replay.json'), 'utf8')) as { scenarioValue: { orders: { count: number } } };
      expect(replay.scenarioValue.orders.count).toBe(file.failure?.orders);
      expect(existsSync(join(out, 'junit.xml'))).toBe(true);

      // The kept case is a real failure: replaying it breaks the same invariant.
      const again = await new Promise<number | null>((resolveExit) => {
        const child = spawn(process.execPath, [BIN, 'replay', join(out, 'replay.json'), '--out', join(out, 'replayed')], { stdio: 'ignore' });
        child.on('exit', (exitCode) => resolveExit(exitCode));
      });
      expect(again).toBe(1);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);

  it('writes the progress summary and exits 143 on SIGTERM before any case failed', async () => {
    const out = await mkdtemp(join(tmpdir(), 'faultline-check-sigterm-'));
    try {
      // Seed 1's first 100 cases all hold with the resilient middleware, so the signal lands before any failure.
      const { code, stderr } = await interruptWhen(
        ['check', 'happy-path', '--middleware', 'resilient', '--seed', '1', '--runs', '1000', '--workers', '1', '--out', out],
        /happy-path: case \d+\/1000/,
        'SIGTERM',
      );
      expect(code).toBe(143);
      expect(stderr).toMatch(/interrupted by SIGTERM while searching \(\d+ of 1000 cases run\); no failure found yet/);
      const file = JSON.parse(await readFile(join(out, 'check.json'), 'utf8')) as CheckFile;
      expect(file).toMatchObject({ verdict: 'interrupted', failure: null, seed: 1, runs: 1000 });
      expect(file.casesRun).toBeGreaterThanOrEqual(1);
      expect(await readFile(join(out, 'junit.xml'), 'utf8')).toContain('type="Interrupted"');
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 120_000);
});
