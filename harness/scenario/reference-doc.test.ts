import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LINK_FAULT_KINDS, SYSTEM_FAULT_KINDS } from '../core/faults.ts';
import { renderScenarioReference } from './reference-doc.ts';

describe('docs/scenarios.md', () => {
  const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'scenarios.md'), 'utf8');

  it('matches what the reference tables render (run "npm run docs" after changing them)', () => {
    expect(committed).toBe(renderScenarioReference());
  });

  it('documents every fault kind and the knobs the issue found undocumented', () => {
    for (const kind of [...LINK_FAULT_KINDS, ...SYSTEM_FAULT_KINDS]) expect(committed).toContain(`| \`${kind}\` |`);
    for (const text of [
      '`orders.arrival`',
      '`budget.settleMs`',
      '`/webhooks/logistics`',
      '| middleware | odoo |',
      '`systems.capture.retry.attempts`',
      '`workers`',
    ]) {
      expect(committed).toContain(text);
    }
  });
});
