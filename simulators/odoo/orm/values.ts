import { pythonFloatRepr } from './errors.ts';

/**
 * A number that is a Python float on the wire. JS has one number type, but
 * Odoo answers `100.0` (XML-RPC `<double>`, JSON `100.0`) for float fields and
 * `100` for integers, and clients can tell. Integral floats in wire values are
 * wrapped in this; non-integral numbers are doubles anyway.
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

/** A float field's value as it goes on the wire. */
export function wireFloat(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/** Unwraps PyFloat so model code sees plain numbers. */
export function plainNumber(value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}
