import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_MS, signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const body = '{"id":"evt_1"}';
const now = Date.UTC(2026, 11, 6);

describe('webhook signature replay window', () => {
  it('refuses a validly signed webhook dated 1970 by default', () => {
    const header = signWebhook('s', body, 1_000);
    const verdict = verifyWebhookSignature({ secret: 's', header, rawBody: body, nowMs: now });
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining(`more than ${DEFAULT_TOLERANCE_MS} ms away from now`) });
  });

  it('accepts one signed within the default window, and honours a wider one', () => {
    expect(verifyWebhookSignature({ secret: 's', header: signWebhook('s', body, now - 60_000), rawBody: body, nowMs: now }).ok).toBe(true);
    const old = signWebhook('s', body, now - 3_600_000);
    expect(verifyWebhookSignature({ secret: 's', header: old, rawBody: body, nowMs: now }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: 's', header: old, rawBody: body, nowMs: now, toleranceMs: 7_200_000 }).ok).toBe(true);
  });
});
