/**
 * Webhook signatures per CONTRACTS.md, in the simulators' calling style. The
 * implementation is the harness's core one, shared with the middlewares.
 */
import { signWebhook, verifyWebhookSignature } from '../../harness/core/webhook-signature.ts';

export { DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER } from '../../harness/core/webhook-signature.ts';

export function signPayload(secret: string, rawBody: string, timestampMs: number): string {
  return signWebhook(secret, rawBody, timestampMs);
}

export type SignatureCheck = { ok: true; timestampMs: number } | { ok: false; reason: string };

export interface VerifyOptions {
  /** The receiver's clock; with it, signatures older or newer than `toleranceMs` are refused. */
  nowMs?: number;
  /** Default 5 minutes, the usual webhook replay window. */
  toleranceMs?: number;
}

/** Checks a signature header against the raw body, exactly as received (before any JSON parsing). */
export function verifySignature(secret: string, header: string | null | undefined, rawBody: string, options: VerifyOptions = {}): SignatureCheck {
  const verdict = verifyWebhookSignature({
    secret,
    header,
    rawBody,
    ...(options.nowMs !== undefined && { nowMs: options.nowMs, toleranceMs: options.toleranceMs ?? 5 * 60_000 }),
  });
  return verdict.ok ? { ok: true, timestampMs: verdict.signedAtMs } : verdict;
}
