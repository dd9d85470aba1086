import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../../harness/engine/resolve-middleware.ts';
import { GENERATED_FAULT_KINDS } from '../../harness/check/arbitraries.ts';
import { builtInScenarios } from '../../scenarios/index.ts';
import { applyEdits, materialize, MutantDoesNotApplyError } from './mutant.ts';
import type { Mutant } from './mutant.ts';
import { NAIVE_MUTANTS } from './naive.ts';
import { RESILIENT_MUTANTS } from './resilient.ts';

const MIDDLEWARE = resolve(import.meta.dirname, '../../middleware');
const read = (file: string): string => readFileSync(join(MIDDLEWARE, file), 'utf8');

describe('the mutants of the mutation benchmark', () => {
  it('each apply to the middleware as committed, every edit matching exactly once', () => {
    for (const mutant of [...RESILIENT_MUTANTS, ...NAIVE_MUTANTS]) {
      const changed = applyEdits(mutant, read);
      for (const [file, text] of changed) expect(text, `${mutant.id} changes ${file}`).not.toBe(read(file));
    }
  });

  it('are at least 15 of the resilient middleware, with distinct ids, and an equivalent one carries its argument', () => {
    expect(RESILIENT_MUTANTS.length).toBeGreaterThanOrEqual(15);
    const ids = [...RESILIENT_MUTANTS, ...NAIVE_MUTANTS].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of RESILIENT_MUTANTS) if (m.equivalent !== undefined) expect(m.equivalent.length).toBeGreaterThan(80);
  });

  it('each name a built-in scenario and fault kinds the search generates, when they name them', () => {
    const builtIn = builtInScenarios.map((s) => s.name);
    for (const m of [...RESILIENT_MUTANTS, ...NAIVE_MUTANTS]) {
      if (m.scenario !== undefined) expect(builtIn, m.id).toContain(m.scenario);
      for (const kind of m.faultKinds ?? []) expect(GENERATED_FAULT_KINDS, m.id).toContain(kind);
    }
  });

  it('refuse loudly when the text to replace is gone or ambiguous', () => {
    const gone: Mutant = {
      id: 'gone',
      middleware: 'resilient',
      defence: 'none',
      edits: [{ file: 'resilient/backoff.ts', find: 'text that is not there', replace: '' }],
    };
    expect(() => applyEdits(gone, read)).toThrow(MutantDoesNotApplyError);
    const twice: Mutant = { id: 'twice', middleware: 'resilient', defence: 'none', edits: [{ file: 'resilient/backoff.ts', find: 'ceiling', replace: 'x' }] };
    expect(() => applyEdits(twice, read)).toThrow(/holds the text to replace \d+ times, not once/);
  });

  it('load as a middleware from a temporary copy, leaving middleware/ untouched', async () => {
    const before = read('resilient/backoff.ts');
    const mutant = RESILIENT_MUTANTS.find((m) => m.id === 'no-backoff')!;
    const copy = await materialize(mutant);
    try {
      expect(readFileSync(copy.entry.replace(/index\.ts$/, 'backoff.ts'), 'utf8')).toContain('0 * ceiling');
      const loaded = await resolveMiddleware(copy.entry, process.cwd());
      expect(typeof loaded.factory).toBe('function');
    } finally {
      await copy.remove();
    }
    expect(read('resilient/backoff.ts')).toBe(before);
  });
});
