import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../harness/cli/main.ts';
import { UsageError } from '../harness/run/errors.ts';
import type { RunResult } from '../harness/run/result.ts';
import { ArtefactWriteError, ensureWritable, OUTPUT_MARKER, writeRunArtefacts } from './artefacts.ts';

/** Fails the next write of a file with this name, as a full disk would. */
const failing = vi.hoisted(() => ({ name: undefined as string | undefined, code: 'ENOSPC' }));

vi.mock('node:fs', async (original) => {
  const actual = await original<typeof import('node:fs')>();
  const { Writable } = await import('node:stream');
  return {
    ...actual,
    createWriteStream: (file: string, ...rest: unknown[]) => {
      if (failing.name !== undefined && String(file).endsWith(failing.name)) {
        return new Writable({
          write: (_chunk, _encoding, done) => done(Object.assign(new Error(`${failing.code}: no space left on device, write`), { code: failing.code })),
        });
      }
      return (actual.createWriteStream as (...args: unknown[]) => unknown)(file, ...rest);
    },
  };
});

vi.mock('node:fs/promises', async (original) => {
  const actual = await original<typeof import('node:fs/promises')>();
  return {
    ...actual,
    writeFile: (file: Parameters<typeof actual.writeFile>[0], ...rest: unknown[]) => {
      if (failing.name !== undefined && String(file).endsWith(failing.name)) {
        return Promise.reject(Object.assign(new Error(`${failing.code}: no space left on device, write`), { code: failing.code }));
      }
      return (actual.writeFile as (...args: unknown[]) => Promise<void>)(file, ...rest);
    },
  };
});

function result(): RunResult {
  return {
    scenario: 'happy-path',
    seed: 7,
    mode: 'sim',
    middleware: 'resilient',
    odoo: 'emulated',
    verdict: 'pass',
    invariants: [],
    stats: { orders: 0, messages: 0, faultsInjected: 0, virtualMs: 0, wallMs: 0, historyEvents: 1, quiescent: true },
    history: [{ seq: 0 } as never],
    observations: { ledgers: {} },
    replay: { command: 'npx faultline run happy-path --seed 7', scenario: 'happy-path', seed: 7, mode: 'sim', middleware: 'resilient', odoo: 'emulated' },
  };
}

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'faultline-artefacts-'));
  failing.name = undefined;
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('the output folder', () => {
  it('is refused when it holds files Faultline did not write, and they stay', async () => {
    const project = join(root, 'project');
    await mkdir(join(project, '.git'), { recursive: true });
    await writeFile(join(project, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(project, 'notes.txt'), 'mine');
    await expect(ensureWritable(project)).rejects.toThrow(UsageError);
    await expect(writeRunArtefacts(result(), project)).rejects.toThrow(/did not write/);
    expect(await readFile(join(project, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
    expect((await readdir(project)).sort()).toEqual(['.git', 'notes.txt']);
  });

  it('keeps a user folder beside the run intact (no "<dir>.partial" is ever removed)', async () => {
    await mkdir(join(root, 'out.partial'));
    await writeFile(join(root, 'out.partial', 'keep.txt'), 'mine');
    await writeRunArtefacts(result(), join(root, 'out'));
    expect(await readFile(join(root, 'out.partial', 'keep.txt'), 'utf8')).toBe('mine');
  });

  it('is replaced when a previous run wrote it, and carries the marker', async () => {
    const out = join(root, 'out');
    await writeRunArtefacts(result(), out);
    await writeRunArtefacts({ ...result(), verdict: 'fail' }, out);
    expect((await readdir(out)).sort()).toEqual([
      OUTPUT_MARKER,
      'history.jsonl',
      'junit.xml',
      'observations.json',
      'replay.json',
      'report.html',
      'summary.json',
      'summary.md',
    ]);
    expect(JSON.parse(await readFile(join(out, 'summary.json'), 'utf8')).verdict).toBe('fail');
    expect((await readdir(root)).sort()).toEqual(['out']);
  });

  it('is accepted when it is an older run folder without the marker', async () => {
    const out = join(root, 'old');
    await mkdir(out);
    for (const name of ['summary.json', 'replay.json', 'history.jsonl']) await writeFile(join(out, name), '{}');
    await expect(ensureWritable(out)).resolves.toBeUndefined();
  });

  it('fails fast under /proc instead of spinning', async () => {
    if (!existsSync('/proc/self')) return;
    const started = performance.now();
    await expect(ensureWritable('/proc/faultline-x')).rejects.toThrow(/cannot write run artefacts to \/proc\/faultline-x \(ENOENT\)/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('is refused by "faultline run --out" before anything runs, with exit code 2', async () => {
    const project = join(root, 'project');
    await mkdir(project);
    await writeFile(join(project, 'package.json'), '{}');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(await main(['run', 'happy-path', '--out', project])).toBe(2);
      expect(await main(['replay', join(project, 'package.json'), '--out', project])).toBe(2);
    } finally {
      stderr.mockRestore();
    }
    expect(await readdir(project)).toEqual(['package.json']);
  });
});

describe('a storage failure while writing artefacts', () => {
  it('is an ArtefactWriteError (exit 3) saying what was kept, and leaves the earlier run whole', async () => {
    const out = join(root, 'out');
    await writeRunArtefacts(result(), out);
    const before = await readFile(join(out, 'summary.json'), 'utf8');
    failing.name = 'junit.xml';
    const error = await writeRunArtefacts({ ...result(), verdict: 'fail' }, out).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtefactWriteError);
    expect((error as Error).message).toMatch(/ENOSPC while writing junit\.xml\. Kept: .*out as it was before this run; the partial copy was removed/);
    expect(await readFile(join(out, 'summary.json'), 'utf8')).toBe(before);
    expect((await readdir(root)).sort()).toEqual(['out']);
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const { reportError } = await import('../harness/cli/main.ts');
      expect(reportError(error)).toBe(3);
    } finally {
      stderr.mockRestore();
    }
  });

  it('from the history stream rejects with what was kept, instead of hanging on a drain that never comes', async () => {
    const big: RunResult = { ...result(), history: Array.from({ length: 20_000 }, (_, seq) => ({ seq, pad: 'x'.repeat(40) }) as never) };
    failing.name = 'history.jsonl';
    const error = await writeRunArtefacts(big, join(root, 'out')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArtefactWriteError);
    expect((error as Error).message).toMatch(/ENOSPC while writing history\.jsonl\. Kept: .*out as it was before this run/);
    expect(await readdir(root)).toEqual([]);
  });
});
