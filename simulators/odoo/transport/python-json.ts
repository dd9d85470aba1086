import { pythonFloatRepr } from '../orm/errors.ts';
import { PyFloat } from '../orm/values.ts';

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
      out.push(Number.isInteger(value) ? String(value) : Number.isFinite(value) ? pythonFloatRepr(value) : value > 0 ? 'Infinity' : value < 0 ? '-Infinity' : 'NaN');
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
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

/**
 * Parses JSON keeping Python's int/float distinction: a number written with a
 * `.` or exponent and an integral value becomes a PyFloat.
 */
export function parsePythonJson(text: string): unknown {
  // Most bodies hold no integral float (`15.0`, `1e3`): plain JSON.parse is several times faster than a reviver.
  if (!MAYBE_INTEGRAL_FLOAT.test(text)) return JSON.parse(text);
  return JSON.parse(text, (_key, value: unknown, context?: { source?: string }) => {
    if (typeof value === 'number' && Number.isInteger(value) && context?.source !== undefined && /[.eE]/.test(context.source)) return new PyFloat(value);
    return value;
  });
}
