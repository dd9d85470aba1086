import { pythonRepr, typeError, valueError } from './errors.ts';
import type { CompiledField } from './registry.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';

/** The value a field holds when nothing was ever written to it. */
export function emptyValue(field: CompiledField): unknown {
  switch (field.type) {
    case 'integer':
    case 'float':
    case 'monetary':
      return 0;
    case 'boolean':
      return false;
    case 'one2many':
    case 'many2many':
      return [];
    default:
      return false;
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/**
 * Converts a client's value for a scalar or many2one field to the internal
 * form, faulting the way Python's conversions do (`float('abc')`, strptime).
 */
export function convertScalar(field: CompiledField, raw: unknown): unknown {
  const value = raw instanceof PyFloat ? raw.value : raw;
  switch (field.type) {
    case 'char':
    case 'text':
    case 'html':
      if (value === false || value === null || value === undefined) return false;
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return String(value);
      if (value === true) return 'True';
      return pythonRepr(value);
    case 'selection': {
      if (value === false || value === null || value === undefined) return false;
      const allowed = field.selection ?? [];
      if (typeof value === 'string' && allowed.some(([key]) => key === value)) return value;
      throw valueError(`Wrong value for ${field.model}.${field.name}: ${pythonRepr(value)}`);
    }
    case 'integer':
      return toInteger(value);
    case 'float':
    case 'monetary':
      return toFloat(value, field.digits);
    case 'boolean':
      return truthy(value);
    case 'date':
      return toDate(value);
    case 'datetime':
      return toDatetime(value);
    case 'many2one':
      return toId(field, value);
    case 'binary':
      if (value === false || value === null || value === undefined) return false;
      return String(value);
    default:
      throw new Error(`convertScalar called for ${field.type} field ${field.model}.${field.name}`);
  }
}

/** Python truthiness of a JSON-like value. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (value instanceof PyFloat) return value.value !== 0;
  if (typeof value === 'object') return Object.keys(value as object).length > 0;
  return true;
}

function toInteger(value: unknown): number {
  if (!truthy(value)) return 0;
  if (typeof value === 'number') return Math.trunc(value);
  if (value === true) return 1;
  if (typeof value === 'string') {
    const text = value.trim().replaceAll('_', '');
    if (/^[+-]?\d+$/.test(text)) return Number.parseInt(text, 10);
    throw valueError(`invalid literal for int() with base 10: ${pythonRepr(value)}`);
  }
  throw typeError(`int() argument must be a string, a bytes-like object or a real number, not '${pythonTypeName(value)}'`);
}

function toFloat(value: unknown, digits: readonly [number, number] | undefined): number {
  if (!truthy(value)) return 0;
  let number: number;
  if (typeof value === 'number') number = value;
  else if (value === true) number = 1;
  else if (typeof value === 'string') {
    const text = value.trim();
    if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) && !/^[+-]?(inf|infinity|nan)$/i.test(text)) {
      throw valueError(`could not convert string to float: ${pythonRepr(value)}`);
    }
    number = Number(text.replace(/inf(inity)?/i, 'Infinity').replace(/nan/i, 'NaN'));
  } else {
    throw typeError(`float() argument must be a string or a real number, not '${pythonTypeName(value)}'`);
  }
  return digits === undefined ? number : floatRound(number, digits[1]);
}

/** Odoo's float_round HALF-UP with its epsilon (tools/float_utils.py), to `precisionDigits` decimals. */
export function floatRound(value: number, precisionDigits: number): number {
  const rounding = 10 ** -precisionDigits;
  const normalized = value / rounding;
  const epsilonMagnitude = Math.log2(Math.abs(normalized));
  const epsilon = 2 ** (epsilonMagnitude - 52);
  const sign = normalized < 0 ? -1 : 1;
  const roundedAbs = Math.round(Math.abs(normalized) + epsilon);
  if (roundedAbs === 0) return 0;
  // Back to the shortest decimal form, as Python's round-trip through repr does. For a
  // whole number of steps well inside 2^53, dividing by the exact power of ten is that
  // decimal (IEEE division rounds correctly) without formatting and parsing a string.
  if (roundedAbs < SAFE_STEPS && precisionDigits >= 0 && precisionDigits <= 15) return (sign * roundedAbs) / 10 ** precisionDigits;
  const result = sign * roundedAbs * rounding;
  return Number(result.toFixed(precisionDigits));
}

/** Below this many steps, `steps * 10^-d` is within far less than half a step of `steps / 10^d`, so toFixed would give that decimal. */
const SAFE_STEPS = 2 ** 50;

/** The last date and datetime texts found valid: every create stamps the same few (today, now). */
let lastDate = '';
let lastDatetime = '';

function toDate(value: unknown): string | false {
  if (value === lastDate && lastDate !== '') return value;
  if (!truthy(value)) return false;
  if (typeof value !== 'string') throw typeError(`fromisoformat: argument must be str`);
  const text = value.slice(0, 10);
  if (!DATE.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) {
    throw valueError(`time data ${pythonRepr(value)} does not match format '%Y-%m-%d'`);
  }
  if (text === value) lastDate = text;
  return text;
}

function toDatetime(value: unknown): string | false {
  if (value === lastDatetime && lastDatetime !== '') return value;
  if (!truthy(value)) return false;
  if (typeof value !== 'string') throw typeError(`strptime() argument 1 must be str, not ${pythonTypeName(value)}`);
  if (DATE.test(value)) return `${value} 00:00:00`;
  if (DATETIME.test(value) && !Number.isNaN(Date.parse(`${value.replace(' ', 'T')}Z`))) {
    lastDatetime = value;
    return value;
  }
  const format = '%Y-%m-%d %H:%M:%S'.slice(0, Math.max(0, value.length - 2));
  throw valueError(`time data ${pythonRepr(value)} does not match format '${format}'`);
}

function toId(field: CompiledField, value: unknown): number | false {
  if (!truthy(value)) return false;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  // Odoo accepts a read-style [id, name] pair for a many2one.
  if (Array.isArray(value) && typeof value[0] === 'number') return value[0];
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  throw valueError(`Wrong value for ${field.model}.${field.name}: ${pythonRepr(value)}`);
}

export function pythonTypeName(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (value instanceof PyFloat) return 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  // What Python's xmlrpc.client hands Odoo for <dateTime.iso8601> and <base64>.
  if (value instanceof Date) return 'DateTime';
  if (value instanceof Uint8Array) return 'Binary';
  return 'dict';
}
