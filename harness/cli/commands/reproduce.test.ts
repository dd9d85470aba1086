import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { resolveMiddleware } from '../../engine/resolve-middleware.ts';
import { runScenario } from '../../engine/run-scenario.ts';
import { main } from '../main.ts';
import { loadScenario } from '../scenario-source.ts';
import { reproduceCommand } from './reproduce.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const bundle = join(root, 'examples', 'incident', 'invoices-before-delivery');
const evidence = readdirSync(bundle)
  .sort()
  .map((f) => join(bundle, f));
const dir = mkdtempSync(join(tmpdir(), 'faultline-reproduce-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

function capture(stream: NodeJS.WriteStream): () => string {
  let text = '';
  vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
    text += String(chunk);
    return true;
  });
  return () => text;
}

describe('faultline reproduce', () => {
  it('writes the timeline, the evidence report, a scenario that run accepts and the proof run, and says it reproduced', async () => {
    const out = capture(process.stdout);
    const exit = await reproduceCommand(
      [...evidence, '--out', join(dir, 'tuesday'), '--name', 'tuesday-invoices', '--seeds', '3', '--fixed', 'resilient'],
      root,
    );
    const printed = out();
    vi.restoreAllMocks();
    expect(exit).toBe(0);
    expect(printed).toContain('examples/incident/invoices-before-delivery/3pl-status.jsonl: 3pl-jsonl, 216 records used');
    expect(printed).toMatch(/evidence shows invoice-after-delivery broken for 16 orders/);
    expect(printed).toContain('logistics.partial.probability = 0.8: 16 of 20 shipped orders left in more than one parcel');
    expect(printed).toMatch(/✓ reproduced: with the naive middleware at seed \d+, the scenario fails invoice-after-delivery as the evidence shows/);
    expect(printed).toMatch(/✓ the resilient middleware holds every invariant on it at seed \d+: the fix is kept honest/);
    expect(readdirSync(join(dir, 'tuesday')).sort()).toEqual([
      '.faultline-output',
      'evidence.txt',
      'run',
      'timeline.json',
      'timeline.txt',
      'tuesday-invoices.ts',
    ]);
    expect(readFileSync(join(dir, 'tuesday', 'timeline.txt'), 'utf8')).toContain('! invoice-before-delivery: invoice posted at');
    expect(readdirSync(join(dir, 'tuesday', 'run'))).toContain('history.jsonl');

    const scenario = await loadScenario(join(dir, 'tuesday', 'tuesday-invoices.ts'), root);
    expect(scenario.name).toBe('tuesday-invoices');
    expect(scenario.incident).toBe('From the evidence: invoice-after-delivery broken for 16 orders placed at 08:30 UTC on 2026-11-24.');
    const result = await runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware: await resolveMiddleware('naive', root), middlewareArg: 'naive' });
    expect(result.invariants.find((v) => v.name === 'invoice-after-delivery')?.verdict).toBe('fail');
  });

  it('keeps the reproduction as a regression scenario in scenarios/regressions', async () => {
    capture(process.stdout);
    const exit = await reproduceCommand([...evidence, '--out', 'kept', '--name', 'tuesday-invoices', '--seeds', '3', '--save-regression'], dir);
    vi.restoreAllMocks();
    expect(exit).toBe(0);
    const saved = readdirSync(join(dir, 'scenarios', 'regressions'));
    expect(saved).toEqual([expect.stringMatching(/^tuesday-invoices-[0-9a-f]{8}\.ts$/)]);
    const text = readFileSync(join(dir, 'scenarios', 'regressions', saved[0]!), 'utf8');
    expect(text).toContain(`import { defineScenario } from 'faultline';`);
    expect(text).toMatch(/npx faultline run scenarios\/regressions\/tuesday-invoices-[0-9a-f]{8}\.ts --middleware naive/);
  });

  it('refuses evidence in no known format with the file, the line and what to do (exit 2)', async () => {
    writeFileSync(join(dir, 'notes.txt'), 'the shop was slow\n');
    const err = capture(process.stderr);
    const exit = await main(['reproduce', join(dir, 'notes.txt'), '--out', join(dir, 'never')]);
    vi.restoreAllMocks();
    expect(exit).toBe(2);
    expect(err()).toMatch(/notes\.txt:1: its first line is "the shop was slow", which is no evidence format Faultline reads; supported:/);
  });
});
