import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderScenarioReference } from './reference-doc.ts';

/** `npm run docs`: regenerates docs/scenarios.md after a field, fault or knob changed. */
const target = join(import.meta.dirname, '..', '..', 'docs', 'scenarios.md');
writeFileSync(target, renderScenarioReference());
process.stdout.write(`wrote ${target}\n`);
