/**
 * Webhook signatures, as the wire contract defines them; the one
 * implementation lives in the harness's core kit, which every middleware may use.
 */
export { DEFAULT_WEBHOOK_SECRET, SIGNATURE_HEADER, signWebhook, verifyWebhookSignature } from '../../harness/core/webhook-signature.ts';
export type { SignatureCheckOptions, SignatureVerdict } from '../../harness/core/webhook-signature.ts';
