/**
 * Webhook signatures per CONTRACTS.md: `x-faultline-signature: t=<unix ms>,v1=<hex>`
 * where hex is HMAC-SHA256 of `"<t>.<raw body>"` with the shared secret.
 * Signing the timestamp with the body lets a receiver refuse replays of old
 * messages; the middleware imports `verifySignature` from here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-faultline-signature';
export const DEFAULT_WEBHOOK_SECRET = 'whsec_faultline';

export function signPayload(secret: string, rawBody: string, timestampMs: number): string {
  // Whole milliseconds: virtual time can be fractional, and the header is a contract with other languages' verifiers.
  const t = Math.floor(timestampMs);
  const digest = createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex');
  return `t=${t},v1=${digest}`;
}

export type SignatureCheck = { ok: true; timestampMs: number } | { ok: false; reason: string };

export interface VerifyOptions {
  /** The receiver's clock; with it, signatures older or newer than `toleranceMs` are refused. */
  nowMs?: number;
  /** Default 5 minutes, the usual webhook replay window. */
  toleranceMs?: number;
}

const HEX_SHA256 = /^[0-9a-f]{64}$/;

/** Checks a signature header against the raw body, exactly as received (before any JSON parsing). */
export function verifySignature(secret: string, header: string | null | undefined, rawBody: string, options: VerifyOptions = {}): SignatureCheck {
  if (header === null || header === undefined || header === '') {
    return { ok: false, reason: `missing ${SIGNATURE_HEADER} header; sign the body as t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<body>">` };
  }
  let timestamp: string | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') candidates.push(value);
  }
  if (timestamp === undefined || !/^\d+$/.test(timestamp)) {
    return { ok: false, reason: `${SIGNATURE_HEADER} has no valid t=<unix ms> part; got ${JSON.stringify(header)}` };
  }
  if (candidates.length === 0) {
    return { ok: false, reason: `${SIGNATURE_HEADER} has no v1=<hex> part; got ${JSON.stringify(header)}` };
  }
  const timestampMs = Number(timestamp);
  if (options.nowMs !== undefined) {
    const tolerance = options.toleranceMs ?? 5 * 60_000;
    if (Math.abs(options.nowMs - timestampMs) > tolerance) {
      return { ok: false, reason: `signature timestamp ${timestampMs} is more than ${tolerance} ms away from now (${options.nowMs}); resend with a fresh signature` };
    }
  }
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'), 'utf8');
  for (const candidate of candidates) {
    if (HEX_SHA256.test(candidate) && timingSafeEqual(expected, Buffer.from(candidate, 'utf8'))) return { ok: true, timestampMs };
  }
  return { ok: false, reason: 'signature does not match the body; check the shared secret and sign the raw body exactly as sent' };
}
