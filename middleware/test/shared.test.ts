import { describe, expect, it } from 'vitest';
import { createRng } from '../../harness/core/rng.ts';
import { retryDelayMs } from '../resilient/backoff.ts';
import { signWebhook, verifyWebhookSignature } from '../../harness/contracts/webhook-signature.ts';
import { parseCaptureOrder } from '../../harness/contracts/capture.ts';
import { parseLogisticsEvent } from '../../harness/contracts/logistics.ts';
import { readMiddlewareSettings } from '../shared/settings.ts';
import { sampleOrder } from '../../testing/middleware-world.ts';

describe('webhook signatures', () => {
  const body = '{"id":"evt_1"}';
  it('accepts the header the senders write', () => {
    expect(verifyWebhookSignature({ secret: 's', header: signWebhook('s', body, 1767603600000), rawBody: body })).toEqual({
      ok: true,
      signedAtMs: 1767603600000,
    });
  });

  it('accepts a timestamp between two milliseconds (a virtual clock)', () => {
    expect(verifyWebhookSignature({ secret: 's', header: signWebhook('s', body, 1767603600000.5), rawBody: body }).ok).toBe(true);
  });

  it('refuses an altered body, a wrong secret and a missing header, saying why', () => {
    const header = signWebhook('s', body, 1);
    expect(verifyWebhookSignature({ secret: 's', header, rawBody: body + ' ' })).toMatchObject({ ok: false, reason: expect.stringMatching(/does not match/) });
    expect(verifyWebhookSignature({ secret: 'other', header, rawBody: body }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: 's', header: null, rawBody: body })).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
    expect(verifyWebhookSignature({ secret: 's', header: 'v1=abc', rawBody: body })).toMatchObject({ ok: false, reason: expect.stringMatching(/t=/) });
  });

  it('refuses signatures outside the replay window, five minutes unless set', () => {
    const header = signWebhook('s', body, 1_000);
    expect(verifyWebhookSignature({ secret: 's', header, rawBody: body, nowMs: 200_000 }).ok).toBe(true);
    expect(verifyWebhookSignature({ secret: 's', header, rawBody: body, nowMs: 400_000 }).ok).toBe(false);
    expect(verifyWebhookSignature({ secret: 's', header, rawBody: body, nowMs: 400_000, toleranceMs: 600_000 }).ok).toBe(true);
  });
});

describe('retry back-off', () => {
  it('grows exponentially up to the cap, with jitter in the upper half', () => {
    const rng = createRng(3);
    const policy = { baseMs: 100, capMs: 10_000 };
    for (let attempt = 1; attempt <= 12; attempt++) {
      const ceiling = Math.min(10_000, 100 * 2 ** (attempt - 1));
      const delay = retryDelayMs(attempt, rng, policy);
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });

  it('gives the same delays for the same seed', () => {
    const delays = (seed: number) => [1, 2, 3, 4].map((a, _, __, rng = createRng(seed)) => retryDelayMs(a, rng, { baseMs: 100, capMs: 1000 }));
    expect(delays(9)).toEqual(delays(9));
  });
});

describe('message validation', () => {
  it('accepts the capture platform order of CONTRACTS.md', () => {
    expect(parseCaptureOrder(sampleOrder('CAP-000001')).ok).toBe(true);
  });

  it('names the field that is wrong', () => {
    expect(parseCaptureOrder({ ...sampleOrder('CAP-000001'), lines: [{ sku: 'X', quantity: 0, unitPrice: 1 }] })).toEqual({
      ok: false,
      error: expect.stringMatching(/lines\[0\]/),
    });
    expect(parseLogisticsEvent({ id: 'evt', shipmentId: 's', orderRef: 'r', seq: 1, status: 'teleported' })).toEqual({
      ok: false,
      error: expect.stringMatching(/status must be one of/),
    });
  });
});

describe('middleware settings', () => {
  const context = (config: Record<string, unknown>, urls: Record<string, string> = { odoo: 'http://odoo.sim' }) =>
    ({ name: 'middleware', config, urls }) as unknown as Parameters<typeof readMiddlewareSettings>[0];

  it('default to the integration user over JSON-RPC', () => {
    expect(readMiddlewareSettings(context({}))).toMatchObject({
      odooLogin: 'faultline-middleware',
      odooPassword: 'faultline',
      odooTransport: 'jsonrpc',
      odooDb: 'faultline',
    });
  });

  it('say which knob is wrong and what it takes', () => {
    expect(() => readMiddlewareSettings(context({ odooTransport: 'soap' }))).toThrow(/config.odooTransport must be "jsonrpc" or "xmlrpc"/);
    expect(() => readMiddlewareSettings(context({ odooTimeoutMs: -1 }))).toThrow(/config.odooTimeoutMs must be a positive number/);
    expect(() => readMiddlewareSettings(context({}, {}))).toThrow(/needs urls.odoo/);
  });
});
