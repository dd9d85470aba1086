import { describe, expect, it } from 'vitest';
import { DEFAULT_WEBHOOK_SECRET, signPayload, verifySignature } from '../signature.ts';

const body = '{"id":"evt_pay_000001","type":"payment.captured"}';
const t = Date.UTC(2026, 0, 5, 9, 0, 0);

describe('webhook signatures', () => {
  it('accepts a body signed with the shared secret', () => {
    const header = signPayload(DEFAULT_WEBHOOK_SECRET, body, t);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body)).toEqual({ ok: true, timestampMs: t });
  });

  it('rejects a body changed after signing', () => {
    const header = signPayload(DEFAULT_WEBHOOK_SECRET, body, t);
    const check = verifySignature(DEFAULT_WEBHOOK_SECRET, header, body.replace('captured', 'refunded'));
    expect(check).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
  });

  it('rejects a signature made with another secret', () => {
    const header = signPayload('whsec_other', body, t);
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body).ok).toBe(false);
  });

  it('rejects a missing or garbled header with a reason that says how to sign', () => {
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, null, body)).toMatchObject({ ok: false, reason: expect.stringContaining('missing x-faultline-signature') });
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, 'v1=abc', body)).toMatchObject({ ok: false, reason: expect.stringContaining('t=<unix ms>') });
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, `t=${t}`, body)).toMatchObject({ ok: false, reason: expect.stringContaining('v1=<hex>') });
  });

  it('rejects a replayed signature older than the tolerance when given the time', () => {
    const header = signPayload(DEFAULT_WEBHOOK_SECRET, body, t);
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body, { nowMs: t + 60_000 }).ok).toBe(true);
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body, { nowMs: t + 10 * 60_000 })).toMatchObject({ ok: false });
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body, { nowMs: t + 10 * 60_000, toleranceMs: 3_600_000 }).ok).toBe(true);
  });

  it('accepts any of several v1 signatures (secret rotation)', () => {
    const good = signPayload(DEFAULT_WEBHOOK_SECRET, body, t).split(',')[1]!;
    const header = `t=${t},v1=${'0'.repeat(64)},${good}`;
    expect(verifySignature(DEFAULT_WEBHOOK_SECRET, header, body).ok).toBe(true);
  });
});
