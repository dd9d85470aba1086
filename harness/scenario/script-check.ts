/**
 * Checks a scenario's `script` when it loads. Each section is read by the
 * simulator that replays it (one reader, so the scenario and the simulator
 * cannot disagree); this adds what only the whole scenario can see: the load
 * and the script agree, and the deliveries name orders the script places.
 */
import { readOrderScript } from '../../simulators/capture/script.ts';
import { readShipmentScript } from '../../simulators/logistics/script.ts';
import { readPaymentScript } from '../../simulators/payment/script.ts';
import { unknownKeyMessage } from './did-you-mean.ts';
import type { Scenario } from './scenario.ts';
import type { Problem } from './validate.ts';

const SECTIONS = [
  { key: 'orders', system: 'capture', read: (where: string, value: unknown) => readOrderScript(where, value).map((o) => o.ref) },
  { key: 'payments', system: 'payment', read: (where: string, value: unknown) => readPaymentScript(where, value).map((e) => e.orderRef) },
  { key: 'shipments', system: 'logistics', read: (where: string, value: unknown) => readShipmentScript(where, value).map((s) => s.orderRef) },
] as const;

/** The generated load's knobs, which a script of orders replaces. */
const LOAD_KNOBS = ['ratePerSecond', 'arrival', 'maxLines', 'skus'] as const;

/** "script.orders[2].atMs must be …" → { path: script.orders[2].atMs, message: must be … } */
function fromReader(message: string): Problem {
  const match = /^(script\.\S+) (.*)$/s.exec(message);
  return match === null ? { path: 'script', message } : { path: match[1]!, message: match[2]! };
}

export function scriptProblems(scenario: Partial<Scenario> & Record<string, unknown>): Problem[] {
  const script = scenario.script as unknown;
  if (typeof script !== 'object' || script === null || Array.isArray(script)) {
    return [{ path: 'script', message: 'must be { orders?: [...], payments?: [...], shipments?: [...] } (docs/scenarios.md, "Script")' }];
  }
  const given = script as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const key of Object.keys(given)) {
    if (!SECTIONS.some((s) => s.key === key))
      problems.push({
        path: `script.${key}`,
        message: unknownKeyMessage(
          key,
          SECTIONS.map((s) => s.key),
        ),
      });
  }
  const refs: Record<string, string[] | undefined> = {};
  for (const section of SECTIONS) {
    const systemKnobs = scenario.systems?.[section.system] as Record<string, unknown> | undefined;
    if (systemKnobs?.script !== undefined)
      problems.push({ path: `systems.${section.system}.script`, message: `is set by the run from script.${section.key}; write the ${section.key} there` });
    if (given[section.key] === undefined) continue;
    try {
      refs[section.key] = section.read(`script.${section.key}`, given[section.key]);
    } catch (error) {
      problems.push(fromReader((error as Error).message));
    }
  }
  const orders = refs.orders;
  if (orders !== undefined) {
    const load = scenario.orders as Record<string, unknown> | undefined;
    if (load !== undefined && load.count !== orders.length)
      problems.push({
        path: 'orders.count',
        message: `must be ${orders.length}, the number of orders script.orders places (got ${JSON.stringify(load.count)})`,
      });
    for (const knob of LOAD_KNOBS) {
      if (load?.[knob] !== undefined)
        problems.push({ path: `orders.${knob}`, message: 'has no effect with script.orders, which fixes each order and its arrival time; remove it' });
    }
    const placed = new Set(orders);
    for (const key of ['payments', 'shipments'] as const) {
      const missing = (refs[key] ?? []).map((ref, i) => ({ ref, i })).filter((x) => !placed.has(x.ref));
      if (missing.length > 0)
        problems.push({
          path: `script.${key}[${missing[0]!.i}].orderRef`,
          message: `"${missing[0]!.ref}" is no order in script.orders${missing.length > 1 ? ` (nor are ${missing.length - 1} more ${key} entries' orders)` : ''}: add the order, or leave out what it cannot receive`,
        });
    }
  }
  return problems;
}
