/**
 * The webhook signature of the wire contract (simulators/CONTRACTS.md):
 * `x-faultline-signature: t=<unix ms>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`.
 * One implementation for the senders (simulators) and the receivers
 * (middlewares), so the two can never drift apart; a user's middleware in
 * another language implements the same three lines from the contract.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SIGNATURE_HEADER } from './headers.ts';

export const DEFAULT_WEBHOOK_SECRET = 'whsec_faultline';

/**
 * `outsideWindow`: the signature matches the body, but its time lies outside
 * the replay window. The body is the sender's, though perhaps an old copy, or
 * one of the clocks is off: not to be acted on, yet a hint of news.
 */
export type SignatureVerdict = { ok: true; signedAtMs: number } | { ok: false; reason: string; outsideWindow?: true };

export interface SignatureCheckOptions {
  secret: string;
  /** The header as received, or null when absent. */
  header: string | null | undefined;
  /** The body exactly as received, before JSON parsing. */
  rawBody: string;
  /**
   * The receiver's clock: signatures timestamped further than `toleranceMs`
   * (default DEFAULT_TOLERANCE_MS) from it are refused, so a captured webhook
   * cannot be replayed later. Without it no window can be checked.
   */
  nowMs?: number;
  toleranceMs?: number;
}

/** The replay window when none is given: five minutes, as Stripe's and most webhook senders' receivers use. */
export const DEFAULT_TOLERANCE_MS = 5 * 60_000;

const HEX_SHA256 = /^[0-9a-f]{64}$/;

function hmac(secret: string, timestamp: string, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');
}

/** The header a sender puts on a webhook. Whole milliseconds: virtual time can be fractional. */
export function signWebhook(secret: string, rawBody: string, signedAtMs: number): string {
  const t = String(Math.floor(signedAtMs));
  return `t=${t},v1=${hmac(secret, t, rawBody)}`;
}

export function verifyWebhookSignature(options: SignatureCheckOptions): SignatureVerdict {
  const { header, rawBody, secret } = options;
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
    else if (key === 'v1') candidates.push(value.toLowerCase());
  }
  // Senders that sign fractional milliseconds exist (a virtual clock); the HMAC covers the exact text either way.
  if (timestamp === undefined || !/^\d+(\.\d+)?$/.test(timestamp)) {
    return { ok: false, reason: `${SIGNATURE_HEADER} has no valid t=<unix ms> part; got ${JSON.stringify(header)}` };
  }
  if (candidates.length === 0) return { ok: false, reason: `${SIGNATURE_HEADER} has no v1=<hex> part; got ${JSON.stringify(header)}` };
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), 'utf8');
  const matches = candidates.some((candidate) => HEX_SHA256.test(candidate) && timingSafeEqual(expected, Buffer.from(candidate, 'utf8')));
  if (!matches) return { ok: false, reason: 'signature does not match the body; check the shared secret and sign the raw body exactly as sent' };
  const signedAtMs = Number(timestamp);
  const tolerance = options.toleranceMs ?? DEFAULT_TOLERANCE_MS;
  if (options.nowMs !== undefined && !(Math.abs(options.nowMs - signedAtMs) <= tolerance)) {
    return {
      ok: false,
      reason: `signature timestamp ${signedAtMs} is more than ${tolerance} ms away from now (${options.nowMs}); resend with a fresh signature, or check both clocks`,
      outsideWindow: true,
    };
  }
  return { ok: true, signedAtMs };
}
