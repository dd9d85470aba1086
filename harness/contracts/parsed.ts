/**
 * What a validator of the wire contract answers, and the few checks they all
 * make: a receiver gets either the typed message or one line saying which
 * field is wrong, never an exception, so it can answer 400 with that line.
 */

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export type Obj = Record<string, unknown>;

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';
export const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

export function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}
