import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { CheckFile } from '../../check/check-file.ts';
import { checkCommand } from './check.ts';
import { mergeCommand } from './merge.ts';
import { replayCommand } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-merge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function quiet(): () => string {
  let text = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  return () => text;
}

const read = (folder: string): CheckFile => JSON.parse(readFileSync(join(folder, 'check.json'), 'utf8')) as CheckFile;

describe('faultline check --shard on two runners, then faultline merge', () => {
  // Case 1 of this search fails, and case 6 is the first of shard 1/2's to: shard 1/2 finds 6, shard 2/2 finds 1.
  const search = [
    'capture-retry-storm',
    '--middleware',
    'naive',
    '--seed',
    '9',
    '--runs',
    '10',
    '--max-orders',
    '4',
    '--invariant',
    'invoice-after-delivery',
    '--shrink-runs',
    '3',
    '--workers',
    '1',
  ];

  it('combines both reports and JUnit into one, keeping the smaller failure with a replay that reproduces it', async () => {
    quiet();
    expect(await checkCommand([...search, '--shard', '1/2', '--out', join(dir, 'a')], dir)).toBe(1);
    expect(await checkCommand([...search, '--shard', '2/2', '--out', join(dir, 'b')], dir)).toBe(1);
    const [a, b] = [read(join(dir, 'a')), read(join(dir, 'b'))];
    expect([a.failure?.index, b.failure?.index]).toEqual([4, 1]);

    const printed = quiet();
    expect(await mergeCommand([join(dir, 'b'), join(dir, 'a'), '--out', join(dir, 'merged')], dir)).toBe(1);
    const merged = read(join(dir, 'merged'));
    const smaller = [a, b].sort(
      (x, y) => x.failure!.orders - y.failure!.orders || x.failure!.faults - y.failure!.faults || x.failure!.index - y.failure!.index,
    )[0]!;
    expect(merged.failure).toEqual(smaller.failure);
    expect(merged.casesRun).toBe(a.casesRun + b.casesRun);
    expect(merged.verdict).toBe('fail');
    expect(merged.shard).toBeNull();
    expect(printed()).toContain(`smallest failure from`);

    // One failing suite (the kept failure's invariants), no suite from the failure left out.
    const junit = readFileSync(join(dir, 'merged', 'junit.xml'), 'utf8');
    expect(junit.match(/<testsuite /g)).toHaveLength(1);
    expect(junit).toMatch(/<testsuites name="faultline" tests="\d+" failures="[1-9]\d*"/);

    quiet();
    expect(await replayCommand([join(dir, 'merged', 'replay.json'), '--out', join(dir, 'replayed')], dir)).toBe(1);
  }, 120_000);

  it('refuses to merge when a shard is missing or belongs to another search', async () => {
    quiet();
    await expect(mergeCommand([join(dir, 'a')], dir)).rejects.toThrow(/shard 2\/2 missing: their cases never ran/);
    await expect(mergeCommand([join(dir, 'a'), join(dir, 'a')], dir)).rejects.toThrow(/both shard 1\/2/);
    await expect(mergeCommand([join(dir, 'nothing')], dir)).rejects.toThrow(/holds no check.json/);
  });
});
