import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import captureRetryStorm from '../scenarios/capture-retry-storm.ts';
import { parseReplayFile } from './check/replay-file.ts';
import { readFileSync } from 'node:fs';
import { ScenarioCheckError, assertScenario } from './testing.ts';

const cwd = mkdtempSync(join(tmpdir(), 'faultline-assert-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('assertScenario in a team suite', () => {
  it('fails with the replay line first and leaves the replay file where that line points', async () => {
    const error = await assertScenario(captureRetryStorm, {
      middleware: 'naive',
      runs: 10,
      maxOrders: 4,
      maxShrinkRuns: 10,
      invariants: ['no-duplicate-orders'],
      cwd,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ScenarioCheckError);
    const message = (error as Error).message;
    expect(message.split('\n')[0]).toBe('replay: npx faultline replay reports/out/capture-retry-storm/check-naive-seed1/replay.json');
    expect(message).toMatch(/no-duplicate-orders failed/);
    expect(message).toMatch(/rerun: assertScenario\(scenario, \{ seed: 1, path: '[\d:]+', maxOrders: 4 \}\)/);
    const file = join(cwd, 'reports/out/capture-retry-storm/check-naive-seed1/replay.json');
    expect(existsSync(file)).toBe(true);
    expect(parseReplayFile(readFileSync(file, 'utf8'), file)).toMatchObject({ middleware: 'naive', scenario: 'capture-retry-storm' });
  }, 120_000);

  it('resolves when every generated case holds', async () => {
    await expect(assertScenario(captureRetryStorm, { runs: 3, maxOrders: 3, invariants: ['no-duplicate-orders'], cwd })).resolves.toBeUndefined();
  }, 60_000);
});
