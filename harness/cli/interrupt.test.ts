import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const BIN = resolve(import.meta.dirname, '../../bin/faultline.ts');

describe('Ctrl-C during faultline run', () => {
  it('exits 130 and writes a partial summary of what finished and what was cut short', async () => {
    const out = await mkdtemp(join(tmpdir(), 'faultline-sigint-'));
    try {
      const child = spawn(process.execPath, [BIN, 'run', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolveExit) => child.on('exit', (code) => resolveExit(code)));
      // Interrupt as soon as the first scenario's artefacts are written.
      await new Promise<void>((resolveFirst) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('artefacts:')) resolveFirst();
        });
      });
      child.kill('SIGINT');
      expect(await exited).toBe(130);
      const summary = JSON.parse(await readFile(join(out, 'partial-summary.json'), 'utf8')) as {
        interrupted: boolean;
        done: Array<{ scenario: string; verdict: string }>;
        interruptedDuring: { scenario: string } | null;
        notRun: string[];
      };
      expect(summary.interrupted).toBe(true);
      expect(summary.done[0]).toMatchObject({ scenario: 'happy-path', verdict: 'pass' });
      // The signal lands while a later scenario runs (which one depends on the machine's speed).
      const cut = summary.interruptedDuring?.scenario;
      expect(cut).toBeDefined();
      expect(summary.done.map((d) => d.scenario)).not.toContain(cut);
      expect(summary.notRun).not.toContain(cut);
      expect(summary.notRun.length).toBeGreaterThan(3);
      expect(stderr).toMatch(new RegExp(`interrupted during ${cut}.*${summary.done.length} of \\d+ scenarios finished and kept; partial summary in `));
      expect(existsSync(join(out, 'happy-path', 'summary.json'))).toBe(true);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
