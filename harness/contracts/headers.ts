/**
 * The header names of the wire contract (simulators/CONTRACTS.md) that only
 * the two ends of a message read: a sender and a receiver spelling one of them
 * differently would fail silently (an unsigned webhook, a replay taken for a
 * first answer), so both take it from here. The headers the transports read
 * too (correlation id, attempt, idempotency key, principal) are `HEADERS` in
 * harness/core/system.ts: the sim network, which rests on the core kit alone,
 * traces requests by them.
 */

/** The webhook signature (harness/contracts/webhook-signature.ts says what it holds). */
export const SIGNATURE_HEADER = 'x-faultline-signature';

/** Set to `true` on an answer replayed for a repeated idempotency key, so a client can tell it from a first answer. */
export const REPLAYED_HEADER = 'idempotent-replayed';

/** On a 429, the seconds to wait before the next call (the CRM's rate limit). */
export const RETRY_AFTER_HEADER = 'retry-after';
