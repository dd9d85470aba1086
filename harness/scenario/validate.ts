import { HTTP_METHODS, LINK_FAULT_KINDS, SYSTEM_FAULT_KINDS } from '../core/faults.ts';
import { CATALOGUE } from '../world/catalogue.ts';
import { closest, unknownKeyMessage } from './did-you-mean.ts';
import {
  FAULT_COMMON_KEYS,
  LINK_FAULTS,
  LINK_SELECTOR_KEYS,
  LINKS,
  ODOO_CALL_SELECTOR_KEYS,
  SCENARIO_FIELDS,
  SCHEDULES,
  SYSTEM_FAULTS,
  SYSTEM_NAMES,
} from './reference.ts';
import type { FaultParam } from './reference.ts';
import { knobProblems } from './knob-check.ts';
import { scriptProblems } from './script-check.ts';
import type { Scenario } from './scenario.ts';
import { EXIT, type ExitCoded } from '../core/exit-codes.ts';

export interface Problem {
  /** Where in the scenario, e.g. `faults[2].schedule.toMs`. */
  path: string;
  message: string;
}

/** A scenario that cannot run, with every problem found, not just the first. */
export class ScenarioError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  readonly problems: readonly Problem[];
  constructor(name: string, problems: readonly Problem[]) {
    super(`scenario "${name}" is invalid:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

type Check = (path: string, ok: boolean, message: string) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The keys SCENARIO_FIELDS lists directly under `prefix` ('' for the top level). */
function fieldsUnder(prefix: string): string[] {
  return SCENARIO_FIELDS.map((f) => f.path)
    .filter((path) => (prefix === '' ? !path.includes('.') : path.startsWith(`${prefix}.`) && !path.slice(prefix.length + 1).includes('.')))
    .map((path) => (prefix === '' ? path : path.slice(prefix.length + 1)));
}

/** One problem per key of `value` not in `known`, at `prefix.key`. */
function unknownKeys(value: Record<string, unknown>, prefix: string, known: readonly string[], problems: Problem[]): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) problems.push({ path: prefix === '' ? key : `${prefix}.${key}`, message: unknownKeyMessage(key, known) });
  }
}

function nonNegative(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

function probability(value: unknown): boolean {
  return value === undefined || (typeof value === 'number' && value >= 0 && value <= 1);
}

/** Returns every problem in `input`; an empty list means it can run. */
export function scenarioProblems(input: unknown, knownInvariants?: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const check: Check = (path, ok, message) => {
    if (!ok) problems.push({ path, message });
  };
  if (!isRecord(input)) return [{ path: '(scenario)', message: 'must be an object: export default defineScenario({...}) (or the plain object)' }];
  const s = input as Partial<Scenario> & Record<string, unknown>;
  unknownKeys(s, '', fieldsUnder(''), problems);
  check('name', typeof s.name === 'string' && NAME_PATTERN.test(s.name), 'must be a kebab-case name such as "capture-retry-storm"');
  check('description', typeof s.description === 'string' && s.description.length > 0, 'must say in one line what the scenario shows');
  check('seed', s.seed === undefined || Number.isSafeInteger(s.seed), 'must be an integer');

  if (!isRecord(s.orders)) {
    problems.push({ path: 'orders', message: 'is required: { count: N, ratePerSecond?: R }' });
  } else {
    const o = s.orders;
    unknownKeys(o, 'orders', fieldsUnder('orders'), problems);
    check(
      'orders.count',
      Number.isSafeInteger(o.count) && (o.count as number) >= 0 && (o.count as number) <= 10_000_000,
      'must be a whole number from 0 to 10,000,000',
    );
    check('orders.ratePerSecond', o.ratePerSecond === undefined || (typeof o.ratePerSecond === 'number' && o.ratePerSecond > 0), 'must be a number above 0');
    check(
      'orders.arrival',
      o.arrival === undefined || ['fixed', 'poisson', 'ramp', 'burst'].includes(o.arrival as string),
      'must be one of fixed, poisson, ramp, burst',
    );
    check(
      'orders.maxLines',
      o.maxLines === undefined || (Number.isSafeInteger(o.maxLines) && (o.maxLines as number) >= 1),
      'must be a whole number of at least 1',
    );
    if (o.skus !== undefined) {
      const known = new Set(CATALOGUE.map((p) => p.sku));
      check('orders.skus', Array.isArray(o.skus) && o.skus.length > 0, 'must be a non-empty list of catalogue skus');
      if (Array.isArray(o.skus)) {
        for (const [i, sku] of o.skus.entries())
          check(`orders.skus[${i}]`, known.has(sku as string), `unknown sku "${String(sku)}"; known: ${[...known].join(', ')}`);
      }
    }
  }

  if (s.systems !== undefined) {
    if (!isRecord(s.systems)) problems.push({ path: 'systems', message: 'must be an object of per-system knobs' });
    else {
      for (const [key, knobs] of Object.entries(s.systems)) {
        if (!(SYSTEM_NAMES as readonly string[]).includes(key)) problems.push({ path: `systems.${key}`, message: unknownKeyMessage(key, SYSTEM_NAMES) });
        else check(`systems.${key}`, isRecord(knobs), 'must be an object of knobs');
      }
      // The simulators' own knob readers judge the values. The capture reader also reads the load,
      // so with a bad orders.* it would report the same mistake twice: it waits for a valid load.
      const skip = new Set(problems.filter((p) => p.path.startsWith('systems.')).map((p) => p.path.split('.')[1]!));
      if (problems.some((p) => p.path.startsWith('orders.') && !p.message.startsWith('unknown key'))) skip.add('capture');
      problems.push(...knobProblems(s as Scenario, skip));
    }
  }

  if (s.script !== undefined) problems.push(...scriptProblems(s));

  if (s.faults !== undefined) {
    if (!Array.isArray(s.faults)) problems.push({ path: 'faults', message: 'must be a list' });
    else for (const [i, fault] of s.faults.entries()) faultProblems(fault, `faults[${i}]`, check, problems);
  }

  if (s.invariants !== undefined) {
    if (!Array.isArray(s.invariants)) problems.push({ path: 'invariants', message: 'must be a list of invariant names or custom invariants' });
    else
      s.invariants.forEach((inv, i) => {
        if (typeof inv === 'string') {
          check(
            `invariants[${i}]`,
            knownInvariants === undefined || knownInvariants.includes(inv),
            `unknown invariant "${inv}"; known: ${(knownInvariants ?? []).join(', ')} (a scenario's own invariant is an object with a check function, and a replay file or saved case carries only its name: run such a case from its scenario module)`,
          );
        } else {
          check(
            `invariants[${i}]`,
            isRecord(inv) && typeof inv.name === 'string' && typeof inv.check === 'function',
            'a custom invariant needs a name and a check function',
          );
        }
      });
  }

  if (s.budget !== undefined) {
    if (!isRecord(s.budget)) problems.push({ path: 'budget', message: 'must be an object' });
    else {
      unknownKeys(s.budget, 'budget', fieldsUnder('budget'), problems);
      for (const key of ['maxVirtualMs', 'settleMs', 'convergenceBoundMs'] as const) {
        check(`budget.${key}`, s.budget[key] === undefined || nonNegative(s.budget[key]), 'must be a number of milliseconds, 0 or more');
      }
    }
  }

  if (s.expect !== undefined) {
    if (!isRecord(s.expect)) problems.push({ path: 'expect', message: 'must be { naive?: { fails: [...] }, resilient?: { fails: [...] } }' });
    else {
      unknownKeys(s.expect, 'expect', fieldsUnder('expect'), problems);
      for (const [design, expected] of Object.entries(s.expect)) {
        if (!isRecord(expected)) continue;
        unknownKeys(expected, `expect.${design}`, ['fails'], problems);
        check(
          `expect.${design}.fails`,
          Array.isArray(expected.fails) && expected.fails.every((n) => typeof n === 'string'),
          'must be a list of invariant names ([] when the design passes)',
        );
      }
    }
  }

  if (s.middleware !== undefined) {
    const m = s.middleware;
    check(
      'middleware',
      typeof m === 'string' ? m.length > 0 : isRecord(m) && typeof m.factory === 'function',
      'must be "naive", "resilient", a module path, or { name, factory }',
    );
  }
  return problems;
}

function paramsOf(fault: Record<string, unknown>): readonly FaultParam[] | undefined {
  const table: Record<string, { params: readonly FaultParam[] }> = 'link' in fault ? LINK_FAULTS : SYSTEM_FAULTS;
  return typeof fault.kind === 'string' && Object.hasOwn(table, fault.kind) ? table[fault.kind]!.params : undefined;
}

function linkProblems(link: Record<string, unknown>, path: string, check: Check, problems: Problem[]): void {
  unknownKeys(link, path, LINK_SELECTOR_KEYS, problems);
  for (const end of ['from', 'to'] as const) {
    if (link[end] !== undefined)
      check(
        `${path}.${end}`,
        (SYSTEM_NAMES as readonly string[]).includes(link[end] as string),
        `unknown system "${String(link[end])}"; one of ${SYSTEM_NAMES.join(', ')}`,
      );
  }
  if (link.odoo !== undefined) odooCallProblems(link, `${path}.odoo`, check, problems);
  if (link.httpMethod !== undefined) {
    check(
      `${path}.httpMethod`,
      (HTTP_METHODS as readonly unknown[]).includes(link.httpMethod),
      `must be one of ${HTTP_METHODS.join(', ')} (upper case); got ${JSON.stringify(link.httpMethod)}`,
    );
  }
  if (problems.some((p) => p.path.startsWith(path))) return;
  const candidates = LINKS.filter((l) => (link.from === undefined || l.from === link.from) && (link.to === undefined || l.to === link.to));
  if (candidates.length === 0) {
    check(path, false, `no requests go from ${String(link.from)} to ${String(link.to)}; links: ${LINKS.map((l) => `${l.from}→${l.to} ${l.path}`).join(', ')}`);
    return;
  }
  if (link.path === undefined) return;
  const given = String(link.path);
  // A path selects by prefix, so "/xmlrpc" and "/orders/CAP-000001/cancel" are both fine.
  const matches = candidates.some((l) => l.path.startsWith(given) || given.startsWith(l.path));
  const paths = [...new Set(candidates.map((l) => l.path))];
  const guess = closest(given, paths);
  check(
    `${path}.path`,
    typeof link.path === 'string' && matches,
    `no request path "${given}" on this link${guess !== undefined ? ` (did you mean "${guess}"?)` : ''}; paths: ${paths.join(', ')}`,
  );
}

/** `link.odoo` names an Odoo call by model and/or method, on a link that goes to Odoo. */
function odooCallProblems(link: Record<string, unknown>, path: string, check: Check, problems: Problem[]): void {
  const selector = link.odoo;
  if (!isRecord(selector)) {
    check(path, false, 'must be { model?, method? }, such as { model: "sale.order", method: "action_confirm" }');
    return;
  }
  unknownKeys(selector, path, ODOO_CALL_SELECTOR_KEYS, problems);
  for (const key of ODOO_CALL_SELECTOR_KEYS) {
    if (selector[key] !== undefined)
      check(
        `${path}.${key}`,
        typeof selector[key] === 'string' && selector[key] !== '',
        `must be a non-empty string such as ${key === 'model' ? '"sale.order"' : '"action_confirm"'}`,
      );
  }
  check(path, link.to === 'odoo', `selects Odoo calls, so the link needs to: "odoo"${link.to === undefined ? '' : ` (it goes to ${String(link.to)})`}`);
}

function faultProblems(fault: unknown, path: string, check: Check, problems: Problem[]): void {
  if (!isRecord(fault)) {
    check(path, false, 'must be a fault object such as { link: { to: "odoo" }, kind: "latency", meanMs: 200 }');
    return;
  }
  const kind = fault.kind as string;
  if ('link' in fault) {
    check(
      `${path}.kind`,
      (LINK_FAULT_KINDS as readonly string[]).includes(kind),
      `unknown link fault "${kind}"${hint(kind, LINK_FAULT_KINDS)}; one of ${LINK_FAULT_KINDS.join(', ')}`,
    );
    check(`${path}.link`, isRecord(fault.link), 'must be { from?, to?, path?, odoo?, httpMethod? }');
    if (isRecord(fault.link)) linkProblems(fault.link, `${path}.link`, check, problems);
  } else if ('system' in fault) {
    check(
      `${path}.kind`,
      (SYSTEM_FAULT_KINDS as readonly string[]).includes(kind),
      `unknown system fault "${kind}"${hint(kind, SYSTEM_FAULT_KINDS)}; one of ${SYSTEM_FAULT_KINDS.join(', ')}`,
    );
    check(
      `${path}.system`,
      (SYSTEM_NAMES as readonly string[]).includes(fault.system as string),
      `unknown system "${String(fault.system)}"; one of ${SYSTEM_NAMES.join(', ')}`,
    );
  } else {
    check(path, false, 'needs either link: { from?, to?, path? } or system: "<name>"');
  }
  const params = paramsOf(fault);
  if (params !== undefined) {
    unknownKeys(fault, path, [...FAULT_COMMON_KEYS, ...params.map((p) => p.name)], problems);
    for (const param of params) {
      if (param.required === true && fault[param.name] === undefined)
        check(`${path}.${param.name}`, false, `a ${kind} fault needs ${param.name} (${param.type}${param.unit !== undefined ? `, ${param.unit}` : ''})`);
    }
  }
  check(`${path}.probability`, probability(fault.probability), 'must be a number from 0 to 1');
  if (fault.set !== undefined)
    check(`${path}.set`, isRecord(fault.set), 'must be an object of fields to merge into the forged body, such as { status: "delivered" }');
  for (const key of ['meanMs', 'jitterMs', 'ms', 'windowMs', 'gapMs', 'restartAfterMs', 'bytesPerSecond']) {
    if (fault[key] !== undefined) check(`${path}.${key}`, nonNegative(fault[key]), 'must be a number, 0 or more');
  }
  if (fault.status !== undefined || kind === 'http-error') {
    check(
      `${path}.status`,
      Number.isInteger(fault.status) && (fault.status as number) >= 400 && (fault.status as number) <= 599,
      'must be an HTTP error status from 400 to 599',
    );
  }
  if (fault.copies !== undefined)
    check(`${path}.copies`, Number.isSafeInteger(fault.copies) && (fault.copies as number) >= 1, 'must be a whole number of at least 1');
  const schedule = fault.schedule;
  if (schedule !== undefined) {
    if (!isRecord(schedule)) check(`${path}.schedule`, false, 'must be { kind: "always" | "window" | "periodic", ... }');
    else if (!Object.hasOwn(SCHEDULES, schedule.kind as string))
      check(`${path}.schedule.kind`, false, `must be always, window or periodic${hint(String(schedule.kind), Object.keys(SCHEDULES))}`);
    else {
      unknownKeys(schedule, `${path}.schedule`, ['kind', ...SCHEDULES[schedule.kind as keyof typeof SCHEDULES].keys], problems);
      if (schedule.kind === 'window') {
        check(`${path}.schedule.fromMs`, nonNegative(schedule.fromMs), 'must be a number of milliseconds from the start, 0 or more');
        check(`${path}.schedule.toMs`, nonNegative(schedule.toMs) && (schedule.toMs as number) > (schedule.fromMs as number), 'must be after fromMs');
      } else if (schedule.kind === 'periodic') {
        check(`${path}.schedule.everyMs`, typeof schedule.everyMs === 'number' && schedule.everyMs > 0, 'must be a number above 0');
        check(`${path}.schedule.forMs`, nonNegative(schedule.forMs), 'must be a number, 0 or more');
        if (schedule.offsetMs !== undefined) check(`${path}.schedule.offsetMs`, nonNegative(schedule.offsetMs), 'must be a number, 0 or more');
      }
    }
  }
}

function hint(word: string, known: readonly string[]): string {
  const guess = closest(word, known);
  return guess !== undefined ? ` (did you mean "${guess}"?)` : '';
}
