import { PyFloat } from '../../../harness/wire/python-float.ts';

/** A float field's value as it goes on the wire. */
export function wireFloat(value: number): number | PyFloat {
  return Number.isInteger(value) ? new PyFloat(value) : value;
}

/** Unwraps PyFloat so model code sees plain numbers. */
export function plainNumber(value: unknown): unknown {
  return value instanceof PyFloat ? value.value : value;
}
