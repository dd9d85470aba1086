/**
 * Makes the worked examples' evidence bundles from seeded runs of the built-in
 * incidents, written the way the real systems log them. Run again only to
 * change the examples: `node examples/incident/make-bundle.ts`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { resolveMiddleware } from '../../harness/engine/resolve-middleware.ts';
import { runScenario } from '../../harness/engine/run-scenario.ts';
import { writeEvidence } from '../../harness/reproduce/write-evidence.ts';
import type { EvidenceFormats } from '../../harness/reproduce/write-evidence.ts';
import retryStorm from '../../scenarios/capture-retry-storm.ts';
import invoiceBeforeDelivery from '../../scenarios/invoice-before-delivery.ts';
import type { Scenario } from '../../harness/scenario/scenario.ts';

const bundles: Array<{ folder: string; scenario: Scenario; seed: number; startAt: string; formats: EvidenceFormats }> = [
  // "Orders were duplicated on Black Friday between 14:02 and 14:20."
  {
    folder: 'black-friday-duplicates',
    scenario: { ...retryStorm, orders: { ...retryStorm.orders, count: 30 } },
    seed: 7,
    startAt: '2026-11-27T14:02:00Z',
    formats: { capture: 'json', payment: 'stripe', logistics: 'csv' },
  },
  // "Invoices were posted before delivery last Tuesday."
  {
    folder: 'invoices-before-delivery',
    scenario: { ...invoiceBeforeDelivery, orders: { ...invoiceBeforeDelivery.orders, count: 20 } },
    seed: 5,
    startAt: '2026-11-24T08:30:00Z',
    formats: { capture: 'csv', payment: 'jsonl', logistics: 'jsonl' },
  },
];

const middleware = await resolveMiddleware('naive', process.cwd());
for (const b of bundles) {
  const result = await runScenario(b.scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'naive', seed: b.seed });
  const dir = join(import.meta.dirname, b.folder);
  await mkdir(dir, { recursive: true });
  const { files } = writeEvidence(result, { startAt: Date.parse(b.startAt), formats: b.formats });
  for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  const failed = result.invariants.filter((v) => v.verdict === 'fail').map((v) => `${v.name} (${v.violations})`);
  process.stdout.write(
    `${b.folder}: ${Object.keys(files).length} files from ${b.scenario.name} seed ${b.seed}; the run broke ${failed.join(', ') || 'nothing'}\n`,
  );
}
