/**
 * The CRM and the analytics sink served over real HTTP, as `faultline serve
 * crm|analytics` and a live run serve them: the contract of their
 * openapi.json, met on the wire.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createAnalyticsSink } from '../../../../simulators/analytics/index.ts';
import { createCrmSimulator } from '../../../../simulators/crm/index.ts';
import { DEFAULT_WEBHOOK_SECRET, verifyWebhookSignature } from '../../../contracts/webhook-signature.ts';
import { createLiveContext, createWallHistory } from '../http/live-context.ts';
import { serveSystem } from './serve-system.ts';
import type { ServedSystem } from './serve-system.ts';

const closers: Array<() => unknown> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function serve(system: Parameters<typeof serveSystem>[0]): Promise<ServedSystem> {
  const served = await serveSystem(system);
  closers.push(() => served.close());
  return served;
}

describe('the CRM served over HTTP', () => {
  it('delivers a signed webhook per account and serves them a page at a time, then answers 429 with Retry-After past its rate limit', async () => {
    const webhooks: Array<{ type: string; accountId: string; signed: boolean }> = [];
    let allIn: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => (allIn = resolve));
    const receiver = await serve({
      async handle(request) {
        const raw = await request.text();
        const body = JSON.parse(raw) as { type: string; accountId: string };
        webhooks.push({
          type: body.type,
          accountId: body.accountId,
          signed: verifyWebhookSignature({ secret: DEFAULT_WEBHOOK_SECRET, header: request.headers.get('x-faultline-signature'), rawBody: raw }).ok,
        });
        if (webhooks.length === 4) allIn();
        return Response.json({ ok: true });
      },
    });
    const context = createLiveContext({
      name: 'crm',
      seed: 1,
      urls: { middleware: receiver.url },
      config: { customers: { count: 4 }, edits: { count: 0 }, webhooks: { delay: 0 }, rateLimit: { requests: 3, windowMs: 60_000 } },
      history: createWallHistory(),
    });
    const crm = createCrmSimulator(context);
    const served = await serve(crm);
    closers.push(() => {
      crm.stop();
      context.close();
    });
    crm.start();
    await arrived;
    expect(webhooks.map((w) => [w.type, w.accountId, w.signed]).sort()).toEqual([1, 2, 3, 4].map((n) => ['account.created', `acc_00000${n}`, true]));

    const first = await fetch(`${served.url}/accounts?limit=3`);
    const page = (await first.json()) as { accounts: Array<{ accountId: string; version: number }>; nextCursor: string | null };
    expect(page.accounts.map((a) => a.accountId)).toEqual(['acc_000001', 'acc_000002', 'acc_000003']);
    const second = (await (await fetch(`${served.url}/accounts?limit=3&cursor=${page.nextCursor}`)).json()) as typeof page;
    expect(second).toMatchObject({ accounts: [{ accountId: 'acc_000004', version: 1 }], nextCursor: null });
    expect((await fetch(`${served.url}/accounts/acc_000002`)).status).toBe(200);
    const limited = await fetch(`${served.url}/accounts`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('the analytics sink served over HTTP', () => {
  it('counts streamed order and payment rows once per event id, and a day replayed as a batch replaces what the stream left', async () => {
    const context = createLiveContext({ name: 'analytics', seed: 1, urls: {}, history: createWallHistory() });
    closers.push(() => context.close());
    const sink = createAnalyticsSink(context);
    const served = await serve(sink);
    const day = new Date().toISOString().slice(0, 10);
    const rows = [
      { eventId: 'odoo:sale.order:1', type: 'order', ref: 'S00001', day, currency: 'USD', amount: 120.5 },
      { eventId: 'odoo:account.payment:1', type: 'payment', ref: 'PBNK1/00001', day, currency: 'USD', amount: 120.5 },
    ];
    const post = () =>
      fetch(`${served.url}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: rows }) });
    expect(await (await post()).json()).toEqual({ accepted: 2, late: 0, duplicates: 0 });
    expect(await (await post()).json()).toEqual({ accepted: 0, late: 0, duplicates: 2 });
    const replay = await fetch(`${served.url}/days/${day}/USD`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ batchId: 'b1', rows: [rows[0]] }),
    });
    expect(replay.status).toBe(200);
    const total = (await (await fetch(`${served.url}/days/${day}/USD`)).json()) as { totals: Record<string, number>; rows: number };
    expect(total).toMatchObject({ totals: { order: 120.5, payment: 0 }, rows: 1 });
  });
});
