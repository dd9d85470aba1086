import { PyFloat, pythonFloatRepr } from '../../../harness/wire/python-float.ts';
import { PythonError } from '../orm/errors.ts';

/**
 * JSON as Python's json.dumps(ensure_ascii=False) writes it, which is what
 * Odoo's JSON-RPC answers: `", "` and `": "` separators, floats in repr form
 * (`100.0`). Undefined members are skipped like JSON.stringify does.
 */
export function pythonJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

function write(value: unknown, out: string[]): void {
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      out.push(
        Number.isInteger(value) ? String(value) : Number.isFinite(value) ? pythonFloatRepr(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN',
      );
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'bigint':
      out.push(value.toString());
      return;
    case 'undefined':
      out.push('null');
      return;
    case 'object':
      if (value === null) {
        out.push('null');
        return;
      }
      if (value instanceof PyFloat) {
        out.push(pythonFloatRepr(value.value));
        return;
      }
      if (Array.isArray(value)) {
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(', ');
          write(value[i], out);
        }
        out.push(']');
        return;
      }
      {
        out.push('{');
        let first = true;
        for (const key of Object.keys(value)) {
          const item = (value as Record<string, unknown>)[key];
          if (item === undefined) continue;
          if (!first) out.push(', ');
          first = false;
          out.push(JSON.stringify(key), ': ');
          write(item, out);
        }
        out.push('}');
      }
      return;
    default:
      out.push(JSON.stringify(String(value)));
  }
}

/**
 * A number ending in `.0…` or with an exponent: may be an integral float.
 * Matches inside strings too (`"1.0"`); such false positives only cost speed.
 */
const MAYBE_INTEGRAL_FLOAT = /[0-9]\.0+(?=[\s,\]}eE])|[0-9][eE][+-]?[0-9]/;

/** Sixteen digits in a row: maybe an integer beyond 2^53 (inside strings too; false positives only cost speed). */
const MAYBE_HUGE_INT = /[0-9]{16}/;

/**
 * How deep Odoo 17's JSON decoder nests before Python's recursion limit stops
 * it (measured on a real server: an `id` 975 arrays deep is answered, deeper
 * ones get RecursionError).
 */
export const MAX_JSON_DEPTH = 975;

/** Thrown for JSON nested deeper than Odoo can decode; the transports answer it as Odoo does. */
export function jsonTooDeep(): PythonError {
  return new PythonError('RecursionError', 'maximum recursion depth exceeded while decoding a JSON array from a unicode string', 'odoo/http.py');
}

/** Whether the arrays and objects of `text` nest deeper than `limit` (strings skipped). Linear, no recursion. */
export function nestsDeeperThan(text: string, limit: number): boolean {
  // Fewer brackets than the limit cannot nest past it: most bodies skip the scan.
  if (text.length <= limit) return false;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > limit) return true;
    } else if (c === 93 || c === 125) depth--;
  }
  return false;
}

/**
 * Parses JSON keeping what Python's json keeps: a number written with a `.`
 * or exponent and an integral value becomes a PyFloat (unless `floats` is
 * false), and an integer beyond 2^53 a BigInt (a JavaScript number would
 * silently round it). JSON nested deeper than Odoo decodes throws its
 * RecursionError.
 */
export function parsePythonJson(text: string, options: { floats?: boolean } = {}): unknown {
  if (nestsDeeperThan(text, MAX_JSON_DEPTH)) throw jsonTooDeep();
  const floats = options.floats !== false;
  // Most bodies hold neither: plain JSON.parse is several times faster than a reviver.
  if (!(floats && MAYBE_INTEGRAL_FLOAT.test(text)) && !MAYBE_HUGE_INT.test(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || context?.source === undefined) return value;
    if (/[.eE]/.test(context.source)) return floats ? new PyFloat(value) : value;
    return Number.isSafeInteger(value) ? value : BigInt(context.source);
  });
}
