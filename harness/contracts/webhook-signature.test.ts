import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCE_MS, DEFAULT_WEBHOOK_SECRET, signWebhook, verifyWebhookSignature } from './webhook-signature.ts';

const body = '{"id":"evt_1"}';
const now = Date.UTC(2026, 11, 6);

describe('webhook signature replay window', () => {
  it('refuses a validly signed webhook dated 1970 by default', () => {
    const header = signWebhook('s', body, 1_000);
    const verdict = verifyWebhookSignature({ secret: 's', header, rawBody: body, nowMs: now });
    expect(verdict).toMatchObject({ ok: false, reason: expect.stringContaining(`more than ${DEFAULT_TOLERANCE_MS} ms away from now`) });
  });

  it('tells an authentic webhook outside the window from a forged one, which is refused as forged whatever its date', () => {
    const old = verifyWebhookSignature({ secret: 's', header: signWebhook('s', body, now - 3_600_000), rawBody: body, nowMs: now });
    expect(old).toMatchObject({ ok: false, outsideWindow: true });
    const forgedAndOld = verifyWebhookSignature({ secret: 's', header: signWebhook('other', body, now - 3_600_000), rawBody: body, nowMs: now });
    expect(forgedAndOld).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
    expect(forgedAndOld).not.toHaveProperty('outsideWindow');
  });

  it('accepts one signed within the default window, and honours a wider one', () => {
    expect(verifyWebhookSignature({ secret: 's', header: signWebhook('s', body, now - 60_000), rawBody: body, nowMs: now }).ok).toBe(true);
    const old = signWebhook('s', body, now - 3_600_000);
    expect(verifyWebhookSignature({ secret: 's', header: old, rawBody: body, nowMs: now }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: 's', header: old, rawBody: body, nowMs: now, toleranceMs: 7_200_000 }).ok).toBe(true);
  });
});

describe('webhook signatures', () => {
  const t = Date.UTC(2026, 0, 5, 9, 0, 0);
  const verify = (secret: string, header: string | null, rawBody: string) => verifyWebhookSignature({ secret, header, rawBody });

  it('accepts a body signed with the shared secret', () => {
    const header = signWebhook(DEFAULT_WEBHOOK_SECRET, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verify(DEFAULT_WEBHOOK_SECRET, header, body)).toEqual({ ok: true, signedAtMs: t });
  });

  it('rejects a body changed after signing', () => {
    const header = signWebhook(DEFAULT_WEBHOOK_SECRET, body, t);
    expect(verify(DEFAULT_WEBHOOK_SECRET, header, body.replace('evt_1', 'evt_2'))).toMatchObject({
      ok: false,
      reason: expect.stringContaining('does not match'),
    });
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(DEFAULT_WEBHOOK_SECRET, signWebhook('whsec_other', body, t), body).ok).toBe(false);
  });

  it('rejects a missing or garbled header with a reason that says how to sign', () => {
    expect(verify(DEFAULT_WEBHOOK_SECRET, null, body)).toMatchObject({ ok: false, reason: expect.stringContaining('missing x-faultline-signature') });
    expect(verify(DEFAULT_WEBHOOK_SECRET, 'v1=abc', body)).toMatchObject({ ok: false, reason: expect.stringContaining('t=<unix ms>') });
    expect(verify(DEFAULT_WEBHOOK_SECRET, `t=${t}`, body)).toMatchObject({ ok: false, reason: expect.stringContaining('v1=<hex>') });
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const good = signWebhook(DEFAULT_WEBHOOK_SECRET, body, t).split(',')[1]!;
    expect(verify(DEFAULT_WEBHOOK_SECRET, `t=${t},v1=${'0'.repeat(64)},${good}`, body).ok).toBe(true);
  });
});
