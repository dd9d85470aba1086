import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { checkCommand } from './check.ts';
import { replayCommand } from './replay.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-check-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function captureStdout(): () => string {
  let text = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return () => text;
}

describe('faultline check, then faultline replay', () => {
  it('saves the minimal failing case and replays it to a byte-identical history', async () => {
    const checkOut = captureStdout();
    const exit = await checkCommand(
      [
        'capture-retry-storm',
        '--middleware',
        'naive',
        '--runs',
        '10',
        '--seed',
        '1',
        '--max-orders',
        '4',
        '--shrink-runs',
        '20',
        '--out',
        'found',
        '--save-regression',
        '--invariant',
        'no-duplicate-orders',
      ],
      dir,
    );
    const printed = checkOut();
    expect(exit).toBe(1);
    expect(printed).toMatch(/FAILED/);
    expect(printed).toMatch(/minimal case: \d orders?;/);
    expect(printed).toContain('replay: npx faultline replay found/replay.json');
    expect(printed).toMatch(
      /rerun: npx faultline check capture-retry-storm --middleware naive --seed 1 --max-orders 4 --invariant no-duplicate-orders --path [\d:]+/,
    );
    const replayFile = JSON.parse(readFileSync(join(dir, 'found', 'replay.json'), 'utf8')) as { scenarioValue?: { orders: { count: number } } };
    expect(replayFile.scenarioValue?.orders.count).toBeGreaterThan(0);
    expect(readdirSync(join(dir, 'scenarios', 'regressions'))).toEqual([expect.stringMatching(/^capture-retry-storm-[0-9a-f]{8}\.ts$/)]);
    vi.restoreAllMocks();

    const replayOut = captureStdout();
    const replayExit = await replayCommand(['found/replay.json', '--out', 'again'], dir);
    expect(replayExit).toBe(1);
    expect(replayOut()).toMatch(/history: byte-identical/);
    expect(readFileSync(join(dir, 'again', 'history.jsonl'))).toEqual(readFileSync(join(dir, 'found', 'history.jsonl')));
  }, 120_000);

  it('refuses a file that is not a replay, and a --path without its seed, as usage errors', async () => {
    await expect(replayCommand(['nowhere.json'], dir)).rejects.toThrow(/no replay file/);
    await expect(checkCommand(['capture-retry-storm', '--path', '1:2'], dir)).rejects.toThrow(/--path needs the --seed/);
    await expect(checkCommand(['capture-retry-storm', '--runs', 'many'], dir)).rejects.toThrow(/--runs must be a whole number/);
    await expect(checkCommand(['capture-retry-storm', '--invariant', 'no-dupes'], dir)).rejects.toThrow(
      /unknown invariant "no-dupes"; known: no-duplicate-orders/,
    );
  });
});

describe('faultline check flags', () => {
  it('refuses a fault kind the generator does not place, naming those it does', async () => {
    await expect(checkCommand(['capture-retry-storm', '--seed', '1', '--fault-kinds', 'duplicate,meteor'], dir)).rejects.toThrow(
      /does not place "meteor" faults; it places duplicate, response-lost/,
    );
  });
});
