import { LINK_FAULT_KINDS, SYSTEM_FAULT_KINDS } from '../core/faults.ts';
import { CATALOGUE } from '../world/catalogue.ts';
import type { Scenario } from './scenario.ts';

export interface Problem {
  /** Where in the scenario, e.g. `faults[2].schedule.toMs`. */
  path: string;
  message: string;
}

/** A scenario that cannot run, with every problem found, not just the first. */
export class ScenarioError extends Error {
  readonly problems: readonly Problem[];
  constructor(name: string, problems: readonly Problem[]) {
    super(
      `scenario "${name}" is invalid:\n` + problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n'),
    );
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

const SYSTEM_NAMES = ['odoo', 'capture', 'payment', 'logistics', 'middleware'];
const NAME_PATTERN = /^[a-z0-9][a-z0-9-]*$/;

type Check = (path: string, ok: boolean, message: string) => void;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
  if (!isRecord(input)) return [{ path: '(scenario)', message: 'must be an object made with defineScenario({...})' }];
  const s = input as Partial<Scenario> & Record<string, unknown>;
  check('name', typeof s.name === 'string' && NAME_PATTERN.test(s.name), 'must be a kebab-case name such as "capture-retry-storm"');
  check('description', typeof s.description === 'string' && s.description.length > 0, 'must say in one line what the scenario shows');
  check('seed', s.seed === undefined || Number.isSafeInteger(s.seed), 'must be an integer');

  if (!isRecord(s.orders)) {
    problems.push({ path: 'orders', message: 'is required: { count: N, ratePerSecond?: R }' });
  } else {
    const o = s.orders;
    check('orders.count', Number.isSafeInteger(o.count) && (o.count as number) >= 0 && (o.count as number) <= 10_000_000, 'must be a whole number from 0 to 10,000,000');
    check('orders.ratePerSecond', o.ratePerSecond === undefined || (typeof o.ratePerSecond === 'number' && o.ratePerSecond > 0), 'must be a number above 0');
    check('orders.arrival', o.arrival === undefined || ['fixed', 'poisson', 'ramp', 'burst'].includes(o.arrival as string), 'must be one of fixed, poisson, ramp, burst');
    check('orders.maxLines', o.maxLines === undefined || (Number.isSafeInteger(o.maxLines) && (o.maxLines as number) >= 1), 'must be a whole number of at least 1');
    if (o.skus !== undefined) {
      const known = new Set(CATALOGUE.map((p) => p.sku));
      check('orders.skus', Array.isArray(o.skus) && o.skus.length > 0, 'must be a non-empty list of catalogue skus');
      if (Array.isArray(o.skus)) {
        o.skus.forEach((sku, i) => check(`orders.skus[${i}]`, known.has(sku as string), `unknown sku "${String(sku)}"; known: ${[...known].join(', ')}`));
      }
    }
  }

  if (s.systems !== undefined) {
    if (!isRecord(s.systems)) problems.push({ path: 'systems', message: 'must be an object of per-system knobs' });
    else for (const [key, knobs] of Object.entries(s.systems)) check(`systems.${key}`, SYSTEM_NAMES.includes(key) && isRecord(knobs), `must be one of ${SYSTEM_NAMES.join(', ')} with an object of knobs`);
  }

  if (s.faults !== undefined) {
    if (!Array.isArray(s.faults)) problems.push({ path: 'faults', message: 'must be a list' });
    else s.faults.forEach((fault, i) => faultProblems(fault, `faults[${i}]`, check));
  }

  if (s.invariants !== undefined) {
    if (!Array.isArray(s.invariants)) problems.push({ path: 'invariants', message: 'must be a list of invariant names or custom invariants' });
    else
      s.invariants.forEach((inv, i) => {
        if (typeof inv === 'string') {
          check(`invariants[${i}]`, knownInvariants === undefined || knownInvariants.includes(inv), `unknown invariant "${inv}"; known: ${(knownInvariants ?? []).join(', ')}`);
        } else {
          check(`invariants[${i}]`, isRecord(inv) && typeof inv.name === 'string' && typeof inv.check === 'function', 'a custom invariant needs a name and a check function');
        }
      });
  }

  if (s.budget !== undefined) {
    if (!isRecord(s.budget)) problems.push({ path: 'budget', message: 'must be an object' });
    else
      for (const key of ['maxVirtualMs', 'settleMs', 'convergenceBoundMs'] as const) {
        check(`budget.${key}`, s.budget[key] === undefined || nonNegative(s.budget[key]), 'must be a number of milliseconds, 0 or more');
      }
  }

  if (s.middleware !== undefined) {
    const m = s.middleware;
    check('middleware', typeof m === 'string' ? m.length > 0 : isRecord(m) && typeof m.factory === 'function', 'must be "naive", "resilient", a module path, or { name, factory }');
  }
  return problems;
}

function faultProblems(fault: unknown, path: string, check: Check): void {
  if (!isRecord(fault)) {
    check(path, false, 'must be a fault object such as { link: { to: "odoo" }, kind: "latency", meanMs: 200 }');
    return;
  }
  const kind = fault.kind as string;
  if ('link' in fault) {
    check(`${path}.kind`, (LINK_FAULT_KINDS as readonly string[]).includes(kind), `unknown link fault "${kind}"; one of ${LINK_FAULT_KINDS.join(', ')}`);
    const link = fault.link;
    check(`${path}.link`, isRecord(link), 'must be { from?, to?, path? }');
    if (isRecord(link)) {
      for (const end of ['from', 'to'] as const) {
        if (link[end] !== undefined) check(`${path}.link.${end}`, SYSTEM_NAMES.includes(link[end] as string), `unknown system "${String(link[end])}"; one of ${SYSTEM_NAMES.join(', ')}`);
      }
    }
  } else if ('system' in fault) {
    check(`${path}.kind`, (SYSTEM_FAULT_KINDS as readonly string[]).includes(kind), `unknown system fault "${kind}"; one of ${SYSTEM_FAULT_KINDS.join(', ')}`);
    check(`${path}.system`, SYSTEM_NAMES.includes(fault.system as string), `unknown system "${String(fault.system)}"`);
  } else {
    check(path, false, 'needs either link: { from?, to?, path? } or system: "<name>"');
  }
  check(`${path}.probability`, probability(fault.probability), 'must be a number from 0 to 1');
  for (const key of ['meanMs', 'jitterMs', 'ms', 'windowMs', 'gapMs', 'restartAfterMs', 'bytesPerSecond']) {
    if (fault[key] !== undefined) check(`${path}.${key}`, nonNegative(fault[key]), 'must be a number, 0 or more');
  }
  if (kind === 'latency') check(`${path}.meanMs`, nonNegative(fault.meanMs), 'a latency fault needs meanMs');
  if (kind === 'reorder') check(`${path}.windowMs`, nonNegative(fault.windowMs), 'a reorder fault needs windowMs');
  if (kind === 'delay') check(`${path}.ms`, nonNegative(fault.ms), 'a delay fault needs ms');
  if (kind === 'http-error') check(`${path}.status`, Number.isInteger(fault.status) && (fault.status as number) >= 400 && (fault.status as number) <= 599, 'must be an HTTP error status from 400 to 599');
  if (kind === 'crash') check(`${path}.restartAfterMs`, nonNegative(fault.restartAfterMs), 'a crash needs restartAfterMs');
  const schedule = fault.schedule;
  if (schedule !== undefined) {
    if (!isRecord(schedule)) check(`${path}.schedule`, false, 'must be { kind: "always" | "window" | "periodic", ... }');
    else if (schedule.kind === 'window') {
      check(`${path}.schedule.fromMs`, nonNegative(schedule.fromMs), 'must be a number of milliseconds from the start, 0 or more');
      check(`${path}.schedule.toMs`, nonNegative(schedule.toMs) && (schedule.toMs as number) > (schedule.fromMs as number), 'must be after fromMs');
    } else if (schedule.kind === 'periodic') {
      check(`${path}.schedule.everyMs`, typeof schedule.everyMs === 'number' && schedule.everyMs > 0, 'must be a number above 0');
      check(`${path}.schedule.forMs`, nonNegative(schedule.forMs), 'must be a number, 0 or more');
    } else check(`${path}.schedule.kind`, schedule.kind === 'always', 'must be always, window or periodic');
  }
}
