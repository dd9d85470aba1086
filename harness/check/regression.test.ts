import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/scenario.ts';
import { caseHash, regressionModule } from './regression.ts';

const dir = mkdtempSync(join(tmpdir(), 'faultline-regression-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const minimal: Scenario = {
  name: 'capture-retry-storm',
  description: 'generated',
  seed: 123456,
  orders: { count: 2, ratePerSecond: 4, arrival: 'poisson', maxLines: 1, skus: ['FL-CONSU-01'] },
  faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.3 }],
  systems: { capture: { retry: { timeoutMs: 5000, attempts: 4, idempotencyKey: 'reuse' } } },
};

describe('a saved regression', () => {
  const origin = {
    middlewareArg: 'naive',
    invariants: ['no-duplicate-orders'],
    words: '2 orders; the answer to 30% of order submissions lost */ after processing',
    foundBy: 'npx faultline check capture-retry-storm --middleware naive --seed 1 --path "3:0"',
    importFrom: pathToFileURL(resolve(import.meta.dirname, '../scenario/define.ts')).href,
  };

  it('is a scenario module that loads to the minimal case, run seed included, under a name that carries its hash', async () => {
    const module = regressionModule(minimal, origin);
    expect(module.name).toBe(`capture-retry-storm-${caseHash(minimal, 'naive')}`);
    expect(module.fileName).toBe(`${module.name}.ts`);
    const file = join(dir, module.fileName);
    writeFileSync(file, module.text);
    const loaded = ((await import(pathToFileURL(file).href)) as { default: Scenario }).default;
    const { name, description, ...rest } = loaded;
    expect(name).toBe(module.name);
    expect(description).toMatch(/no-duplicate-orders failed with the naive middleware/);
    expect(rest).toEqual((({ name: _n, description: _d, ...r }) => r)(minimal));
  });

  it('says in its header how it was found and how to run it', () => {
    const { text, fileName } = regressionModule(minimal, origin);
    expect(text).toContain(origin.foundBy);
    expect(text).toContain(`npx faultline run scenarios/regressions/${fileName} --middleware naive`);
    expect(text).toContain('lost * / after');
  });

  it('is written as the repository’s formatter writes it, so the lint passes on a saved case as it is', async () => {
    const biome = resolve(import.meta.dirname, '../../node_modules/.bin/biome');
    const formatted = (text: string): string =>
      spawnSync(biome, ['format', '--stdin-file-path=saved.ts'], { input: text, encoding: 'utf8', cwd: resolve(import.meta.dirname, '../..') }).stdout;
    const saved = resolve(import.meta.dirname, '../../scenarios/regressions');
    const cases = [minimal];
    // The saved ones hold long descriptions, nested faults and arrays that do not fit on a line.
    for (const name of readdirSync(saved).filter((n) => /-[0-9a-f]{8}\.ts$/.test(n))) {
      cases.push(((await import(pathToFileURL(join(saved, name)).href)) as { default: Scenario }).default);
    }
    expect(cases.length).toBeGreaterThan(3);
    for (const scenario of cases) {
      const { text } = regressionModule(scenario, { ...origin, importFrom: '../../harness/scenario/define.ts' });
      expect(formatted(text)).toBe(text);
    }
  });

  it('gets the same file name for the same case and another for another', () => {
    expect(regressionModule(minimal, origin).fileName).toBe(regressionModule(structuredClone(minimal), origin).fileName);
    expect(regressionModule({ ...minimal, seed: 7 }, origin).fileName).not.toBe(regressionModule(minimal, origin).fileName);
  });
});
