/**
 * Python's float on the wire. Odoo is Python: it writes `100.0` for a float
 * field and `100` for an integer (XML-RPC `<double>` vs `<int>`, JSON `100.0`
 * vs `100`), and clients can tell. Both the XML-RPC codec and the emulator's
 * JSON-RPC writer need the value type and Python's repr, so they live here,
 * beside the codec, not in the emulator.
 */

/**
 * A number that is a Python float on the wire. JS has one number type, so
 * integral floats in wire values are wrapped in this; non-integral numbers
 * are doubles anyway.
 */
export class PyFloat {
  readonly value: number;
  constructor(value: number) {
    this.value = value;
  }
  /** JSON.stringify writes Python's repr, e.g. `100.0`. */
  toJSON(): unknown {
    return (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON(pythonFloatRepr(this.value));
  }
  valueOf(): number {
    return this.value;
  }
}

/** Python's float repr: shortest round-trip digits; exponent form below 1e-4 and from 1e16. */
export function pythonFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return Object.is(value, -0) ? '-0.0' : '0.0';
  // In this range both languages print the shortest round-trip digits without an exponent; only the `.0` of integral values differs.
  const magnitude = Math.abs(value);
  if (magnitude >= 1e-4 && magnitude < 1e16) {
    const text = String(value);
    return Number.isInteger(value) ? `${text}.0` : text;
  }
  const [mantissa, exponentText] = value.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  if (exponent < -4 || exponent >= 16) {
    const sign = exponent < 0 ? '-' : '+';
    return `${mantissa}e${sign}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  let text: string;
  if (exponent >= 0) {
    const intPart = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
    const frac = digits.slice(exponent + 1);
    text = `${intPart}.${frac === '' ? '0' : frac}`;
  } else {
    text = `0.${'0'.repeat(-exponent - 1)}${digits}`;
  }
  return negative ? `-${text}` : text;
}
