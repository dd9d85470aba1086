/**
 * JSON in and out of simulators. Bad input is thrown as `BadInput` by the
 * validators below and turned into `4xx {"error": ...}` by the router, so a
 * handler never half-applies a malformed request.
 */
import { isPlainObject } from './knobs.ts';

/** A request the simulator refuses; `message` says what was wrong and what to do. */
export class BadInput extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'BadInput';
    this.status = status;
  }
}

/**
 * The body's text, decoded by the charset the content-type declares (UTF-8
 * when none). Bytes invalid in that charset are refused: decoding them with
 * replacement would store U+FFFD where the sender meant something else.
 */
export async function readText(request: Request): Promise<string> {
  const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(request.headers.get('content-type') ?? '')?.[1]?.toLowerCase() ?? 'utf-8';
  const bytes = new Uint8Array(await request.arrayBuffer());
  if (charset === 'iso-8859-1' || charset === 'latin1' || charset === 'latin-1') {
    // TextDecoder would read these labels as windows-1252; ISO-8859-1 maps every byte to its own code point.
    let text = '';
    for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
    return text;
  }
  if (charset !== 'utf-8' && charset !== 'utf8' && charset !== 'us-ascii') {
    throw new BadInput(415, `charset ${JSON.stringify(charset)} is not supported; send UTF-8 (or declare charset=ISO-8859-1)`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new BadInput(
      400,
      `the request body is not valid UTF-8; send UTF-8, or declare the charset it is in (content-type: application/json; charset=ISO-8859-1)`,
    );
  }
}

/** Reads the raw body text (kept for signature checks) and parses it as a JSON object. */
export async function readJsonObject(request: Request): Promise<{ raw: string; body: Record<string, unknown> }> {
  // A string body without an explicit type arrives as text/plain, so that is accepted too.
  const type = request.headers.get('content-type');
  if (type !== null && !/json|^text\/plain/i.test(type)) {
    throw new BadInput(415, `content-type must be application/json; got ${JSON.stringify(type)}`);
  }
  const raw = await readText(request);
  if (raw.trim() === '') throw new BadInput(400, 'the request body is empty; send a JSON object');
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new BadInput(400, `the request body is not valid JSON (${(error as Error).message}); send a JSON object`);
  }
  if (!isPlainObject(body)) throw new BadInput(400, `the request body must be a JSON object; got ${Array.isArray(body) ? 'an array' : typeof body}`);
  return { raw, body };
}

export function requireString(body: Record<string, unknown>, field: string, where = 'body'): string {
  const value = body[field];
  if (typeof value !== 'string' || value.length === 0) {
    throw new BadInput(400, `${where}.${field} must be a non-empty string; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return value;
}

/** The largest amount whose cents are still exact in a double (2^53 - 1 cents). */
export const MAX_AMOUNT = Math.floor(Number.MAX_SAFE_INTEGER / 100);

/** A positive amount in the currency's unit with at most 2 decimals (what a gateway can charge). */
export function requireAmount(body: Record<string, unknown>, field: string, where = 'body'): number {
  const value = body[field];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new BadInput(400, `${where}.${field} must be a positive number; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  // Beyond this, value * 100 loses cents or overflows to Infinity, and the decimals check below passes on NaN.
  if (value > MAX_AMOUNT) throw new BadInput(400, `${where}.${field} must be at most ${MAX_AMOUNT} (cents must stay exact); got ${value}`);
  if (Math.abs(Math.round(value * 100) - value * 100) > 1e-6) {
    throw new BadInput(400, `${where}.${field} must have at most 2 decimals (the currency's unit); got ${value}`);
  }
  return value;
}

export function requireCurrency(body: Record<string, unknown>, field: string, where = 'body'): string {
  const value = body[field];
  if (typeof value !== 'string' || !/^[A-Z]{3}$/.test(value)) {
    throw new BadInput(400, `${where}.${field} must be an ISO 4217 code such as "USD"; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return value;
}

export function requireArray(body: Record<string, unknown>, field: string, where = 'body'): unknown[] {
  const value = body[field];
  if (!Array.isArray(value) || value.length === 0) {
    throw new BadInput(400, `${where}.${field} must be a non-empty array; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return value;
}

export function requireObject(value: unknown, where: string): Record<string, unknown> {
  if (!isPlainObject(value)) throw new BadInput(400, `${where} must be a JSON object; got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  return value;
}
