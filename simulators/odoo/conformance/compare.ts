import { PyFloat } from '../../../harness/wire/python-float.ts';
import type { Outcome } from './transcript.ts';

export interface Mismatch {
  readonly path: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly reason: string;
}

export interface CompareOptions {
  /** Strict mode (default): int vs double by lexical form; tracebacks where the transcript has one. */
  readonly strict?: boolean;
  /** Replace `/<recorded year>/` in expected strings with `/<replay year>/`. */
  readonly yearFrom?: string;
  readonly yearTo?: string;
  /**
   * The day the transcript was recorded and the day the target's clock reads
   * (YYYY-MM-DD), when they differ: `read_group` labels its day and month
   * groups by the date records were made ("06 Dec 2026", "December 2026"),
   * so a real server replaying on another day names them after that day.
   */
  readonly dateFrom?: string;
  readonly dateTo?: string;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Odoo 17's English `read_group` labels of a day (`dd MMM yyyy`) and of its month (`MMMM yyyy`). */
function groupLabels(isoDate: string): { day: string; month: string } {
  const [year, month, day] = isoDate.split('-');
  const name = MONTHS[Number(month) - 1]!;
  return { day: `${day} ${name.slice(0, 3)} ${year}`, month: `${name} ${year}` };
}

const DATETIME = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/;
const DATE = /^\d{4}-\d\d-\d\d$/;
const TRACEBACK = 'Traceback (most recent call last):';

/** The last non-empty line of a traceback; other strings unchanged (README §2.2.3). */
export function reduceTraceback(text: string): string {
  if (!text.startsWith(TRACEBACK)) return text;
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1] ?? text;
}

function isDouble(value: unknown): boolean {
  return value instanceof PyFloat || (typeof value === 'number' && !Number.isInteger(value));
}

function numeric(value: unknown): number | undefined {
  if (value instanceof PyFloat) return value.value;
  return typeof value === 'number' ? value : undefined;
}

function show(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v instanceof PyFloat ? `${v.value}(double)` : v));
}

/**
 * Compares one step's actual outcome with the transcript's, by the rules of
 * transcripts/README.md §3. `bindings` are the replay's own.
 */
export function compareOutcome(
  expected: Outcome,
  actual: Outcome,
  bindings: ReadonlyMap<string, unknown>,
  hasTraceback: boolean,
  options: CompareOptions = {},
): Mismatch[] {
  const strict = options.strict !== false;
  const mismatches: Mismatch[] = [];
  const fail = (path: string, exp: unknown, act: unknown, reason: string): void => {
    mismatches.push({ path, expected: show(exp), actual: show(act), reason });
  };
  const kind = (outcome: Outcome): string => Object.keys(outcome)[0] ?? '?';
  if (kind(expected) !== kind(actual)) {
    fail('', expected, actual, `outcome kind: expected ${kind(expected)}, got ${kind(actual)}`);
    return mismatches;
  }

  const yearFix = (text: string): string =>
    options.yearFrom !== undefined && options.yearTo !== undefined ? text.replaceAll(`/${options.yearFrom}/`, `/${options.yearTo}/`) : text;
  const labelsFrom = options.dateFrom !== undefined && options.dateTo !== undefined ? groupLabels(options.dateFrom) : undefined;
  const labelsTo = options.dateTo !== undefined ? groupLabels(options.dateTo) : undefined;
  const dateFix = (text: string): string =>
    labelsFrom === undefined || labelsTo === undefined ? text : text === labelsFrom.day ? labelsTo.day : text === labelsFrom.month ? labelsTo.month : text;

  const resolveStrParts = (parts: unknown[]): RegExp => {
    let source = '';
    for (const part of parts) {
      if (typeof part === 'string') source += escapeRegExp(yearFix(part));
      else if (part !== null && typeof part === 'object' && '$ref' in part)
        source += escapeRegExp(String(numeric(bindings.get((part as { $ref: string }).$ref)) ?? bindings.get((part as { $ref: string }).$ref)));
      else if (part !== null && typeof part === 'object' && '$id' in part) source += '[0-9]+';
      else source += escapeRegExp(String(part));
    }
    return new RegExp(`^${source}$`, 's');
  };

  const value = (exp: unknown, act: unknown, path: string): void => {
    if (exp !== null && typeof exp === 'object' && !Array.isArray(exp) && !(exp instanceof PyFloat)) {
      const keys = Object.keys(exp);
      if (keys.length === 1 && keys[0] === '$ref') {
        const name = (exp as { $ref: string }).$ref;
        if (!bindings.has(name)) {
          fail(path, exp, act, `binding ${name} is not available (an earlier step failed)`);
          return;
        }
        const bound = bindings.get(name);
        if (numeric(bound) !== undefined ? numeric(bound) !== numeric(act) : JSON.stringify(bound) !== JSON.stringify(act)) {
          fail(path, exp, act, `expected the value bound to ${name} (${show(bound)})`);
        }
        return;
      }
      if (keys.length === 1 && keys[0] === '$id') {
        if (typeof act !== 'number' || !Number.isInteger(act) || act <= 0) fail(path, exp, act, 'expected a record id (integer > 0)');
        return;
      }
      if (keys.length === 1 && keys[0] === '$str') {
        if (typeof act !== 'string' || !resolveStrParts((exp as { $str: unknown[] }).$str).test(act)) fail(path, exp, act, 'string template does not match');
        return;
      }
      if (act === null || typeof act !== 'object' || Array.isArray(act) || act instanceof PyFloat) {
        fail(path, exp, act, 'expected an object');
        return;
      }
      const actKeys = Object.keys(act);
      const missing = keys.filter((key) => !(key in act));
      const extra = actKeys.filter((key) => !(key in exp));
      if (missing.length > 0 || extra.length > 0) {
        fail(path, keys.sort(), actKeys.sort(), `keys differ: missing ${JSON.stringify(missing)}, extra ${JSON.stringify(extra)}`);
      }
      for (const key of keys) if (key in act) value((exp as Record<string, unknown>)[key], (act as Record<string, unknown>)[key], `${path}.${key}`);
      return;
    }
    if (Array.isArray(exp)) {
      if (!Array.isArray(act)) {
        fail(path, exp, act, 'expected an array');
        return;
      }
      if (exp.length !== act.length) fail(path, exp, act, `array length ${exp.length} expected, got ${act.length}`);
      for (let i = 0; i < Math.min(exp.length, act.length); i++) value(exp[i], act[i], `${path}[${i}]`);
      return;
    }
    const expNumber = numeric(exp);
    if (expNumber !== undefined) {
      const actNumber = typeof act === 'boolean' ? undefined : numeric(act);
      if (actNumber === undefined || actNumber !== expNumber) {
        fail(path, exp, act, 'numbers differ');
        return;
      }
      if (strict && isDouble(exp) !== isDouble(act)) fail(path, exp, act, `expected ${isDouble(exp) ? 'a double' : 'an int'}`);
      return;
    }
    if (exp === '<datetime>') {
      if (typeof act !== 'string' || !DATETIME.test(act)) fail(path, exp, act, 'expected a datetime string');
      return;
    }
    if (exp === '<date>') {
      if (typeof act !== 'string' || !DATE.test(act)) fail(path, exp, act, 'expected a date string');
      return;
    }
    const expected = typeof exp === 'string' ? dateFix(yearFix(exp)) : exp;
    if (expected !== act) fail(path, exp, act, 'values differ');
  };

  if ('ok' in expected) value(expected.ok, (actual as { ok: unknown }).ok, 'ok');
  else if ('fault' in expected) {
    const act = (actual as { fault: { code: unknown; string: unknown } }).fault;
    value(expected.fault.code, act.code, 'fault.code');
    const actString = typeof act.string === 'string' ? act.string : act.string;
    if (strict && hasTraceback && !(typeof actString === 'string' && actString.startsWith(TRACEBACK))) {
      fail('fault.string', '<a traceback>', actString, 'the transcript has a traceback here; strict mode wants one');
    }
    value(expected.fault.string, typeof actString === 'string' ? reduceTraceback(actString) : actString, 'fault.string');
  } else if ('error' in expected) {
    const act = (actual as { error: { code: unknown; message: unknown; data: Record<string, unknown> } }).error;
    value(expected.error.code, act.code, 'error.code');
    value(expected.error.message, act.message, 'error.message');
    const data = act.data ?? {};
    if (!('debug' in data)) fail('error.data.debug', '<present>', undefined, 'data.debug must exist');
    for (const key of ['name', 'message', 'arguments', 'context'] as const) {
      let actual = data[key];
      if (key === 'message' && typeof actual === 'string') actual = reduceTraceback(actual);
      if (key === 'arguments' && Array.isArray(actual)) actual = actual.map((item) => (typeof item === 'string' ? reduceTraceback(item) : item));
      value(expected.error.data[key], actual, `error.data.${key}`);
    }
  }
  return mismatches;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
