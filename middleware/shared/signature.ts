/**
 * Checks the `x-faultline-signature` header of a webhook (format in
 * simulators/CONTRACTS.md): `t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * Written here rather than imported because a middleware, like any user's,
 * depends only on the wire contract, never on the simulators' code.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-faultline-signature';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_faultline';

export type SignatureVerdict = { ok: true; signedAtMs: number } | { ok: false; reason: string };

export interface SignatureCheckOptions {
  secret: string;
  /** The header as received, or null when absent. */
  header: string | null;
  /** The body exactly as received, before JSON parsing. */
  rawBody: string;
  /**
   * When set with `toleranceMs`, signatures timestamped further than that from
   * now are refused (a replay window). Off by default: the inbox already
   * de-duplicates replays, and a delayed retry must not be lost for being late.
   */
  nowMs?: number;
  toleranceMs?: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function verifyWebhookSignature(options: SignatureCheckOptions): SignatureVerdict {
  const { header, rawBody, secret } = options;
  if (header === null || header === '') return { ok: false, reason: `missing ${SIGNATURE_HEADER} header` };
  let timestamp: string | undefined;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value.toLowerCase());
  }
  // A virtual clock can stand between two milliseconds; the HMAC covers the exact text either way.
  if (timestamp === undefined || !/^\d+(\.\d+)?$/.test(timestamp)) return { ok: false, reason: `${SIGNATURE_HEADER} has no t=<unix ms> part` };
  if (signatures.length === 0) return { ok: false, reason: `${SIGNATURE_HEADER} has no v1=<hex> part` };
  const signedAtMs = Number(timestamp);
  if (options.nowMs !== undefined && options.toleranceMs !== undefined && Math.abs(options.nowMs - signedAtMs) > options.toleranceMs) {
    return { ok: false, reason: `signature is ${Math.abs(options.nowMs - signedAtMs)} ms old, beyond the ${options.toleranceMs} ms window` };
  }
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'), 'utf8');
  for (const candidate of signatures) {
    if (HEX_SHA256.test(candidate) && timingSafeEqual(expected, Buffer.from(candidate, 'utf8'))) return { ok: true, signedAtMs };
  }
  return { ok: false, reason: 'signature does not match the body (wrong secret, or the body was altered)' };
}

/** The header a sender puts on a webhook; used by tests and by users' own fakes. */
export function signWebhook(secret: string, rawBody: string, signedAtMs: number): string {
  return `t=${signedAtMs},v1=${createHmac('sha256', secret).update(`${signedAtMs}.${rawBody}`).digest('hex')}`;
}
