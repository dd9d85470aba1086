import { describe, expect, it } from 'vitest';
import { LEDGER_PATH } from '../../../harness/core/system.ts';
import { signWebhook, verifyWebhookSignature } from '../../../harness/contracts/webhook-signature.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';
import type { PaymentWebhook } from '../../../harness/contracts/payment.ts';
import { type PaymentGateway, createPaymentGateway } from '../index.ts';

type Answer = { status: number; body: Record<string, unknown> };

/** A world with the gateway and a middleware stub; `calls` are made by a client at t=0, in order. */
async function gatewayWorld(
  config: Record<string, unknown> = {},
  respond: (path: string, body: string, n: number) => number | Promise<number> = () => 200,
  seed = 1,
) {
  const world = await TestWorld.create({
    seed,
    systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, respond), payment: { factory: createPaymentGateway, config } },
  });
  const middleware = world.system<ScriptedReceiver>('middleware');
  const gateway = world.system<PaymentGateway>('payment');
  const client = world.fetchFor('middleware');
  const call = (path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Answer> =>
    client(`${world.url('payment')}${path}`, { headers: { 'content-type': 'application/json' }, ...init }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));
  const run = async <T>(work: Promise<T>): Promise<T> => {
    await world.run();
    return work;
  };
  const webhooks = () => middleware.received.map((r) => JSON.parse(r.body) as PaymentWebhook);
  return { world, gateway, middleware, call, run, webhooks };
}

const pay = (orderRef: string, amount = 2.31) => ({ method: 'POST', body: JSON.stringify({ orderRef, amount, currency: 'USD' }) });

describe('payment gateway', () => {
  it('captures a payment, records it in the ledger and history, and sends a signed payment.captured webhook', async () => {
    const w = await gatewayWorld();
    const answer = await w.run(w.call('/payments', pay('CAP-000001')));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({ paymentId: 'pay_000001', orderRef: 'CAP-000001', amount: 2.31, currency: 'USD', status: 'captured' });
    const [hook] = w.webhooks();
    expect(hook).toMatchObject({
      id: 'evt_pay_000001',
      type: 'payment.captured',
      data: { paymentId: 'pay_000001', orderRef: 'CAP-000001', amount: 2.31, currency: 'USD' },
    });
    const received = w.middleware.received[0]!;
    expect(received.path).toBe('/webhooks/payment');
    expect(verifyWebhookSignature({ secret: 'whsec_faultline', header: received.headers.get('x-faultline-signature'), rawBody: received.body }).ok).toBe(true);
    const ledger = w.gateway.ledger();
    expect(ledger.payments).toEqual([
      {
        paymentId: 'pay_000001',
        orderRef: 'CAP-000001',
        amount: 2.31,
        currency: 'USD',
        status: 'captured',
        capturedAt: '2026-01-05T09:00:00.001Z',
        refunded: 0,
      },
    ]);
    expect(ledger.deliveries).toMatchObject([
      { eventId: 'evt_pay_000001', type: 'payment.captured', orderRef: 'CAP-000001', attempt: 1, outcome: 'ok', status: 200 },
    ]);
    expect(w.world.history.filter((e) => e.kind === 'event')).toMatchObject([
      { name: 'payment.captured', corr: 'CAP-000001', data: { paymentId: 'pay_000001', amount: 2.31 } },
    ]);
  });

  it('gives the same ledger for the same seed, with every misbehaviour on', async () => {
    const config = {
      failureProbability: 0.2,
      webhooks: {
        delay: { kind: 'exponential', meanMs: 5_000 },
        reorder: { windowMs: 30_000 },
        duplicate: { probability: 0.3, copies: 2 },
        drop: { probability: 0.1, afterFailures: 5 },
      },
      api: { latency: { kind: 'uniform', minMs: 10, maxMs: 300 }, error: { probability: 0.2, status: 503 } },
    };
    const once = async (seed: number) => {
      const w = await gatewayWorld(config, (_p, _b, n) => (n % 3 === 0 ? 500 : 200), seed);
      const calls = Array.from({ length: 40 }, (_, i) => w.call('/payments', pay(`CAP-${i}`, 1 + i)));
      await w.run(Promise.all(calls));
      return w.gateway.ledger();
    };
    const [a, b, c] = [await once(5), await once(5), await once(6)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.deliveries.length).toBeGreaterThan(40);
  });

  it('declines payments with failureProbability and says so by payment.failed', async () => {
    const w = await gatewayWorld({ failureProbability: 1 });
    const answer = await w.run(w.call('/payments', pay('CAP-000001')));
    expect(answer).toMatchObject({ status: 201, body: { status: 'failed' } });
    expect(w.webhooks().map((h) => h.type)).toEqual(['payment.failed']);
    expect(w.gateway.ledger().payments[0]).toMatchObject({ status: 'failed', capturedAt: null });
    expect(w.world.history.filter((e) => e.kind === 'event')).toEqual([]);
  });

  it('answers api.error.status instead of working with api.error.probability, changing nothing', async () => {
    const w = await gatewayWorld({ api: { error: { probability: 1, status: 502 } } });
    const answer = await w.run(w.call('/payments', pay('CAP-000001')));
    expect(answer.status).toBe(502);
    expect(answer.body.error).toContain('api.error.probability');
    expect(w.gateway.ledger()).toEqual({ payments: [], deliveries: [] });
  });

  it('answers after api.latency, so a caller that times out leaves a payment captured', async () => {
    const w = await gatewayWorld({ api: { latency: 5_000 } });
    const outcome = w.call('/payments', { ...pay('CAP-000001'), timeoutMs: 1_000 }).then(
      () => 'answered',
      (e: { code: string }) => e.code,
    );
    expect(await w.run(outcome)).toBe('timeout');
    expect(w.gateway.ledger().payments).toHaveLength(1);
  });

  it('refunds part then the rest, then refuses more, with payment.refunded webhooks', async () => {
    const w = await gatewayWorld();
    const first = await w.run(w.call('/payments', pay('CAP-000001', 10)));
    const id = first.body.paymentId as string;
    const partial = await w.run(w.call(`/payments/${id}/refunds`, { method: 'POST', body: '{"amount": 4}' }));
    expect(partial).toMatchObject({ status: 201, body: { refundId: 're_000001', amount: 4, status: 'refunded' } });
    expect(w.gateway.ledger().payments[0]).toMatchObject({ status: 'captured', refunded: 4 });
    const tooMuch = await w.run(w.call(`/payments/${id}/refunds`, { method: 'POST', body: '{"amount": 6.01}' }));
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toContain('at most');
    const rest = await w.run(w.call(`/payments/${id}/refunds`, { method: 'POST', body: '{"amount": 6}' }));
    expect(rest.status).toBe(201);
    expect(w.gateway.ledger().payments[0]).toMatchObject({ status: 'refunded', refunded: 10 });
    expect(w.webhooks().map((h) => [h.type, h.data.amount])).toEqual([
      ['payment.captured', 10],
      ['payment.refunded', 4],
      ['payment.refunded', 6],
    ]);
    const missing = await w.run(w.call('/payments/pay_999999/refunds', { method: 'POST', body: '{"amount": 1}' }));
    expect(missing.status).toBe(404);
  });

  it('lists payments by order reference', async () => {
    const w = await gatewayWorld();
    await w.run(Promise.all([w.call('/payments', pay('CAP-000001')), w.call('/payments', pay('CAP-000002')), w.call('/payments', pay('CAP-000001', 1))]));
    const list = await w.run(w.call('/payments?orderRef=CAP-000001'));
    expect((list.body.payments as { paymentId: string }[]).map((p) => p.paymentId)).toEqual(['pay_000001', 'pay_000003']);
  });

  it('replays the first answer for a repeated idempotency-key and refuses the key with another body', async () => {
    const w = await gatewayWorld();
    const keyed = (body: ReturnType<typeof pay>) => ({ ...body, headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' } });
    const [a, b] = await w.run(Promise.all([w.call('/payments', keyed(pay('CAP-000001'))), w.call('/payments', keyed(pay('CAP-000001')))]));
    expect(a).toEqual(b);
    const other = await w.run(w.call('/payments', keyed(pay('CAP-000002'))));
    expect(other.status).toBe(422);
    expect(w.gateway.ledger().payments).toHaveLength(1);
  });

  it('answers a malformed body with 400 and a reason, and changes nothing', async () => {
    const w = await gatewayWorld();
    for (const body of [
      '{"orderRef": "CAP-1", "amount": "2.31", "currency": "USD"}',
      '{"orderRef": "CAP-1", "amount": 2.31, "currency": "usd"}',
      '{"amount": 2.31, "currency": "USD"}',
      'not json',
    ]) {
      const answer = await w.run(w.call('/payments', { method: 'POST', body }));
      expect(answer.status).toBe(400);
      expect(typeof answer.body.error).toBe('string');
    }
    expect(w.gateway.ledger()).toEqual({ payments: [], deliveries: [] });
    expect(w.middleware.received).toEqual([]);
  });

  it('refuses a request with a bad signature when requireSignedRequests is on, and changes nothing', async () => {
    const w = await gatewayWorld({ requireSignedRequests: true, webhookSecret: 'whsec_scenario' });
    const body = JSON.stringify({ orderRef: 'CAP-000001', amount: 2.31, currency: 'USD' });
    const now = Date.UTC(2026, 0, 5, 9);
    const bad = await w.run(
      w.call('/payments', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-faultline-signature': signWebhook('whsec_wrong', body, now) },
      }),
    );
    expect(bad.status).toBe(401);
    expect(bad.body.error).toContain('does not match');
    expect(w.gateway.ledger().payments).toEqual([]);
    const good = await w.run(
      w.call('/payments', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-faultline-signature': signWebhook('whsec_scenario', body, now) },
      }),
    );
    expect(good.status).toBe(201);
  });

  it('serves its ledger over HTTP at the contract path', async () => {
    const w = await gatewayWorld();
    await w.run(w.call('/payments', pay('CAP-000001')));
    const served = await w.run(w.call(LEDGER_PATH));
    expect(served.body).toEqual(w.gateway.ledger());
  });

  it('throws on a bad knob, naming the field and the allowed values', async () => {
    await expect(gatewayWorld({ failureProbability: 1.5 })).rejects.toThrow('payment: config.failureProbability must be a number from 0 to 1; got 1.5');
    await expect(gatewayWorld({ retry: { horizonMs: -1 } })).rejects.toThrow(/config\.retry\.horizonMs must be a number from 0/);
    await expect(gatewayWorld({ webhooks: { delay: { kind: 'pareto' } } })).rejects.toThrow(/one of "fixed", "uniform", "exponential", "normal"/);
  });

  it('signs webhooks with the scenario secret and applies the webhook knobs to them', async () => {
    const w = await gatewayWorld({ webhookSecret: 'whsec_scenario', webhooks: { delay: 0, duplicate: { probability: 1, copies: 2 } } });
    await w.run(w.call('/payments', pay('CAP-000001')));
    expect(w.webhooks().map((h) => h.id)).toEqual(['evt_pay_000001', 'evt_pay_000001', 'evt_pay_000001']);
    for (const r of w.middleware.received)
      expect(verifyWebhookSignature({ secret: 'whsec_scenario', header: r.headers.get('x-faultline-signature'), rawBody: r.body }).ok).toBe(true);
    expect(w.gateway.ledger().deliveries.map((d) => d.copy)).toEqual([0, 1, 2]);
  });

  it('gives up on a webhook after drop.afterFailures, leaving the ledger to say so', async () => {
    const w = await gatewayWorld({ webhooks: { delay: 0, drop: { afterFailures: 2 } }, retry: { initialBackoffMs: 10, jitter: 0 } }, () => 500);
    await w.run(w.call('/payments', pay('CAP-000001')));
    expect(w.gateway.ledger().deliveries.map((d) => [d.attempt, d.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'dropped'],
    ]);
    expect(w.gateway.pendingWebhooks()).toBe(0);
  });

  it('compresses the retry schedule with timeScale', async () => {
    const slow = await gatewayWorld({ webhooks: { delay: 0 } }, (_p, _b, n) => (n < 3 ? 500 : 200));
    await slow.run(slow.call('/payments', pay('CAP-000001')));
    const fast = await gatewayWorld({ webhooks: { delay: 0 }, timeScale: 0.001 }, (_p, _b, n) => (n < 3 ? 500 : 200));
    await fast.run(fast.call('/payments', pay('CAP-000001')));
    const span = (w: typeof slow) => w.middleware.received.at(-1)!.at - w.middleware.received[0]!.at;
    expect(span(slow)).toBeGreaterThan(60_000);
    expect(span(fast)).toBeLessThan(1_000);
  });
});
