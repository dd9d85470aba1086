import { readCaptureKnobs } from '../../simulators/capture/knobs.ts';
import { readLogisticsKnobs } from '../../simulators/logistics/knobs.ts';
import { readPaymentKnobs } from '../../simulators/payment/knobs.ts';
import { readCrmKnobs } from '../../simulators/crm/knobs.ts';
import { readAnalyticsKnobs } from '../../simulators/analytics/knobs.ts';
import { systemConfigs } from './system-configs.ts';
import { closest } from './did-you-mean.ts';
import type { Problem } from './validate.ts';
import { ODOO_KNOBS } from './reference.ts';
import type { Scenario } from './scenario.ts';

const READERS = {
  capture: readCaptureKnobs,
  payment: readPaymentKnobs,
  logistics: readLogisticsKnobs,
  crm: readCrmKnobs,
  analytics: readAnalyticsKnobs,
} as const;

/**
 * Runs each simulator's own knob reader on the scenario's settings, so a typo
 * in `systems.*` fails when the scenario loads rather than mid-run. The
 * readers stop at their first mistake, so each system reports at most one.
 */
export function knobProblems(scenario: Scenario, skip: ReadonlySet<string> = new Set()): Problem[] {
  const problems: Problem[] = [];
  const configs = systemConfigs(scenario);
  for (const [system, read] of Object.entries(READERS)) {
    if (scenario.systems?.[system as keyof typeof READERS] === undefined || skip.has(system)) continue;
    try {
      // The script is checked on its own (script-check.ts), at its own paths, not a second time here.
      read({ ...configs[system as keyof typeof READERS], script: undefined });
    } catch (error) {
      problems.push(fromKnobMessage(system, (error as Error).message));
    }
  }
  const odoo = scenario.systems?.odoo;
  if (odoo !== undefined && !skip.has('odoo')) problems.push(...odooKnobProblems(odoo));
  return problems;
}

/** "capture: config.retry.atempts is not a knob; allowed fields: a, b" → systems.capture.retry.atempts, with a guess. */
function fromKnobMessage(system: string, message: string): Problem {
  const match = /^\w+: config\.?(\S*) (.*)$/s.exec(message);
  if (match === null) return { path: `systems.${system}`, message };
  const [, where = '', rest = ''] = match;
  const path = `systems.${system}${where === '' ? '' : `.${where}`}`;
  const allowed = /^is not a knob; allowed fields: (.*)$/.exec(rest);
  if (allowed === null) return { path, message: rest };
  const known = allowed[1]!.split(', ');
  const guess = closest(where.split('.').pop() ?? '', known);
  return { path, message: `unknown knob${guess !== undefined ? ` (did you mean "${guess}"?)` : ''}; allowed: ${known.join(', ')}` };
}

function odooKnobProblems(knobs: Record<string, unknown>): Problem[] {
  const problems: Problem[] = [];
  const known = Object.keys(ODOO_KNOBS);
  for (const [key, value] of Object.entries(knobs)) {
    const spec = ODOO_KNOBS[key];
    if (spec === undefined) {
      const guess = closest(key, known);
      problems.push({
        path: `systems.odoo.${key}`,
        message: `unknown knob${guess !== undefined ? ` (did you mean "${guess}"?)` : ''}; allowed: ${known.join(', ')}`,
      });
      continue;
    }
    if (spec.nested === undefined || typeof value !== 'object' || value === null || Array.isArray(value)) continue;
    for (const inner of Object.keys(value)) {
      if (spec.nested.includes(inner)) continue;
      const guess = closest(inner, spec.nested);
      problems.push({
        path: `systems.odoo.${key}.${inner}`,
        message: `unknown knob${guess !== undefined ? ` (did you mean "${guess}"?)` : ''}; allowed: ${spec.nested.join(', ')}`,
      });
    }
  }
  return problems;
}
