/**
 * Reading a simulator's knobs from `context.config`. A scenario author types
 * these by hand, so every mistake names the field, the allowed values and what
 * was given, and unknown fields are rejected (a typo must not silently fall
 * back to a default).
 */

import { EXIT, type ExitCoded } from '../../harness/core/exit-codes.ts';
import type { Delay } from './behaviour.ts';

export type KnobRecord = Readonly<Record<string, unknown>>;

/**
 * What a scenario's author may write for knobs whose resolved settings are
 * `T`: every field optional at every depth (absent means its default, listed
 * in docs/scenarios.md under "System knobs"), a delay also as a plain number
 * of milliseconds, lists read-only. The knob readers check the values at
 * run time, so JSON scenarios get the same errors this type gives in an editor.
 */
export type KnobInput<T> = T extends Delay
  ? Delay | number
  : T extends readonly (infer U)[]
    ? readonly U[]
    : T extends object
      ? { readonly [K in keyof T]?: KnobInput<T[K]> }
      : T;

/** Raised for a bad knob; the message is meant for the scenario's author. */
export class KnobError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  constructor(message: string) {
    super(message);
    this.name = 'KnobError';
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    return typeof value;
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A nested knob group: absent means all defaults; unknown keys are an error. */
export function groupKnob(where: string, value: unknown, allowedKeys: readonly string[]): KnobRecord {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new KnobError(`${where} must be an object with the fields ${allowedKeys.join(', ')}; got ${show(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!allowedKeys.includes(key)) {
      throw new KnobError(`${where}.${key} is not a knob; allowed fields: ${allowedKeys.join(', ')}`);
    }
  }
  return value;
}

export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
}

export function numberKnob(where: string, value: unknown, fallback: number, range: NumberRange): number {
  if (value === undefined) return fallback;
  const kind = range.integer === true ? 'an integer' : 'a number';
  if (typeof value !== 'number' || !Number.isFinite(value) || (range.integer === true && !Number.isInteger(value))) {
    throw new KnobError(`${where} must be ${kind} from ${range.min} to ${range.max}; got ${show(value)}`);
  }
  if (value < range.min || value > range.max) {
    throw new KnobError(`${where} must be ${kind} from ${range.min} to ${range.max}; got ${show(value)}`);
  }
  return value;
}

export function probabilityKnob(where: string, value: unknown, fallback: number): number {
  return numberKnob(where, value, fallback, { min: 0, max: 1 });
}

/** A count that may be `null` for "no limit". */
export function optionalCountKnob(where: string, value: unknown, fallback: number | null, max: number): number | null {
  if (value === undefined) return fallback;
  if (value === null) return null;
  return numberKnob(where, value, 0, { min: 1, max, integer: true });
}

export function enumKnob<T extends string>(where: string, value: unknown, fallback: T, allowed: readonly T[]): T {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new KnobError(`${where} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}; got ${show(value)}`);
  }
  return value as T;
}

export function booleanKnob(where: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new KnobError(`${where} must be true or false; got ${show(value)}`);
  return value;
}

export function stringKnob(where: string, value: unknown, fallback: string, pattern?: { test: RegExp; describe: string }): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value.length === 0) throw new KnobError(`${where} must be a non-empty string; got ${show(value)}`);
  if (pattern !== undefined && !pattern.test.test(value)) throw new KnobError(`${where} must be ${pattern.describe}; got ${show(value)}`);
  return value;
}
