import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../harness/core/history.ts';
import { LEDGER_PATH } from '../../../harness/core/system.ts';
import { signWebhook } from '../../../harness/contracts/webhook-signature.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';
import type { LogisticsEvent } from '../../../harness/contracts/logistics.ts';
import { type LogisticsProvider, createLogisticsProvider } from '../index.ts';

type Answer = { status: number; body: Record<string, unknown> };

const FIXED_STEPS = {
  picked: 1_000,
  packed: 1_000,
  shipped: 1_000,
  in_transit: 1_000,
  out_for_delivery: 1_000,
  delivered: 1_000,
  exception: 1_000,
  returned: 1_000,
};
const PROMPT = { steps: FIXED_STEPS, webhooks: { delay: 0 } };

async function logisticsWorld(
  config: Record<string, unknown> = PROMPT,
  respond: (path: string, body: string, n: number) => number | Promise<number> = () => 200,
  seed = 1,
) {
  const world = await TestWorld.create({
    seed,
    systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, respond), logistics: { factory: createLogisticsProvider, config } },
  });
  const middleware = world.system<ScriptedReceiver>('middleware');
  const provider = world.system<LogisticsProvider>('logistics');
  const client = world.fetchFor('middleware');
  const call = (path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Answer> =>
    client(`${world.url('logistics')}${path}`, { headers: { 'content-type': 'application/json' }, ...init }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as Record<string, unknown>,
    }));
  const ship = (
    orderRef: string,
    lines = [
      { sku: 'FL-STOCK-01', quantity: 2 },
      { sku: 'FL-STOCK-02', quantity: 1 },
    ],
  ) => call('/shipments', { method: 'POST', body: JSON.stringify({ orderRef, lines, address: { name: 'Ada Lovelace', city: 'London' } }) });
  const webhooks = () => middleware.received.map((r) => JSON.parse(r.body) as LogisticsEvent);
  return { world, provider, middleware, call, ship, webhooks };
}

const HAPPY = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'];

describe('3PL', () => {
  it('moves a shipment through its lifecycle, with seq, occurredAt, lines on shipped and delivered, and history', async () => {
    const w = await logisticsWorld();
    const created = w.ship('CAP-000001');
    await w.world.run();
    expect(await created).toMatchObject({
      status: 201,
      body: { shipmentId: 'shp_000001', orderRef: 'CAP-000001', trackingNumber: expect.stringMatching(/^FLT[0-9A-F]{12}$/) },
    });
    const hooks = w.webhooks();
    expect(hooks.map((h) => [h.seq, h.status])).toEqual(HAPPY.map((s, i) => [i + 1, s]));
    expect(hooks[2]!.lines).toEqual([
      { sku: 'FL-STOCK-01', quantity: 2 },
      { sku: 'FL-STOCK-02', quantity: 1 },
    ]);
    expect(hooks[0]!.lines).toBeUndefined();
    expect(hooks[0]!.occurredAt).toBe('2026-01-05T09:00:01.001Z');
    expect(w.middleware.received.every((r) => r.path === '/webhooks/logistics')).toBe(true);
    const [shipment] = w.provider.ledger().shipments;
    expect(shipment).toMatchObject({ status: 'delivered', backorderOf: null });
    expect(shipment!.timeline.map((t) => t.status)).toEqual(HAPPY);
    expect(shipment!.deliveries.map((d) => [d.seq, d.shipmentStatus, d.outcome])).toEqual(HAPPY.map((s, i) => [i + 1, s, 'ok']));
    const events = w.world.history.filter((e): e is DomainEvent => e.kind === 'event');
    expect(events.map((e) => e.data?.status)).toEqual(HAPPY);
    expect(events[5]).toMatchObject({ name: 'shipment.status', corr: 'CAP-000001', t: Date.UTC(2026, 0, 5, 9, 0, 6, 1) });
  });

  it('gives the same ledger for the same seed, with every misbehaviour on', async () => {
    const config = {
      exceptionProbability: 0.2,
      partial: { probability: 0.3 },
      webhooks: { reorder: { windowMs: 6 * 3_600_000 }, duplicate: { probability: 0.2, copies: 1 }, drop: { probability: 0.1, afterFailures: 4 } },
      api: { latency: { kind: 'exponential', meanMs: 200 }, error: { probability: 0.1, status: 500 } },
    };
    const once = async (seed: number) => {
      const w = await logisticsWorld(config, (_p, _b, n) => (n % 4 === 0 ? 503 : 200), seed);
      const calls = Array.from({ length: 30 }, (_, i) => w.ship(`CAP-${i}`));
      await w.world.run();
      await Promise.all(calls);
      return w.provider.ledger();
    };
    const [a, b, c] = [await once(3), await once(3), await once(4)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('waits the steps knob between events', async () => {
    const w = await logisticsWorld({ steps: { ...FIXED_STEPS, out_for_delivery: 3_600_000 }, webhooks: { delay: 0 } });
    void w.ship('CAP-000001');
    await w.world.run();
    const at = w.provider.ledger().shipments[0]!.timeline.map((t) => Date.parse(t.at) - Date.UTC(2026, 0, 5, 9));
    expect(at).toEqual([1_001, 2_001, 3_001, 4_001, 3_604_001, 3_605_001]);
  });

  it('sends exception then returned with exceptionProbability', async () => {
    const w = await logisticsWorld({ ...PROMPT, exceptionProbability: 1 });
    void w.ship('CAP-000001');
    await w.world.run();
    expect(w.webhooks().map((h) => h.status)).toEqual(['picked', 'packed', 'shipped', 'in_transit', 'exception', 'returned']);
    expect(w.provider.ledger().shipments[0]!.status).toBe('returned');
  });

  it('splits a shipment into a parcel and a later backorder with partial.probability', async () => {
    const w = await logisticsWorld({ ...PROMPT, partial: { probability: 1, backorderAfter: 86_400_000 } });
    void w.ship('CAP-000001', [{ sku: 'FL-STOCK-01', quantity: 5 }]);
    await w.world.run();
    const [first, second] = w.provider.ledger().shipments;
    expect(first!.lines[0]!.quantity + second!.lines[0]!.quantity).toBe(5);
    expect(second!.backorderOf).toBe(first!.shipmentId);
    expect(Date.parse(second!.timeline[0]!.at) - Date.parse(first!.timeline[0]!.at)).toBe(86_400_000);
    const delivered = w.webhooks().filter((h) => h.status === 'delivered');
    expect(delivered.map((h) => h.lines![0]!.quantity)).toEqual([first!.lines[0]!.quantity, second!.lines[0]!.quantity]);
    const listed = await (async () => {
      const answer = w.call('/shipments?orderRef=CAP-000001');
      await w.world.run();
      return answer;
    })();
    expect((listed.body.shipments as unknown[]).length).toBe(2);
  });

  it('delivers webhooks out of seq order within the reorder window, seq still telling the truth', async () => {
    const w = await logisticsWorld({ steps: FIXED_STEPS, webhooks: { delay: 0, reorder: { windowMs: 10_000 } } });
    void w.ship('CAP-000001');
    await w.world.run();
    const seqs = w.webhooks().map((h) => h.seq);
    expect(seqs).not.toEqual([1, 2, 3, 4, 5, 6]);
    expect([...seqs].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(w.provider.ledger().shipments[0]!.timeline.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('sends duplicates with the same event id and loses dropped events', async () => {
    const dup = await logisticsWorld({ ...PROMPT, webhooks: { delay: 0, duplicate: { probability: 1, copies: 1 } } });
    void dup.ship('CAP-000001');
    await dup.world.run();
    const ids = dup.webhooks().map((h) => h.id);
    expect(ids.length).toBe(12);
    expect(new Set(ids).size).toBe(6);
    const drop = await logisticsWorld({ ...PROMPT, webhooks: { delay: 0, drop: { probability: 1 } } });
    void drop.ship('CAP-000001');
    await drop.world.run();
    expect(drop.webhooks()).toEqual([]);
    expect(drop.provider.ledger().shipments[0]!.deliveries.map((d) => d.outcome)).toEqual(Array(6).fill('dropped'));
  });

  it('retries webhooks the middleware refuses', async () => {
    const w = await logisticsWorld({ ...PROMPT, retry: { initialBackoffMs: 1_000, jitter: 0 } }, (_p, _b, n) => (n === 1 ? 500 : 200));
    void w.ship('CAP-000001');
    await w.world.run();
    const first = w.provider.ledger().shipments[0]!.deliveries.filter((d) => d.seq === 1);
    expect(first.map((d) => [d.attempt, d.outcome, d.status])).toEqual([
      [1, 'error', 500],
      [2, 'ok', 200],
    ]);
  });

  it('cancels a shipment before it ships and stops its events; refuses once shipped', async () => {
    const w = await logisticsWorld();
    const created = w.ship('CAP-000001');
    await w.world.run(1_500); // picked at 1 001 ms
    const id = (await created).body.shipmentId as string;
    const cancel = w.call(`/shipments/${id}/cancel`, { method: 'POST' });
    await w.world.run();
    expect(await cancel).toEqual({ status: 200, body: { shipmentId: id, status: 'cancelled' } });
    expect(w.provider.ledger().shipments[0]!.status).toBe('cancelled');
    expect(w.webhooks().map((h) => h.status)).toEqual(['picked']);

    const late = await logisticsWorld();
    const other = late.ship('CAP-000002');
    await late.world.run();
    const lateId = (await other).body.shipmentId as string;
    const refused = late.call(`/shipments/${lateId}/cancel`, { method: 'POST' });
    await late.world.run();
    expect(await refused).toMatchObject({ status: 409, body: { error: expect.stringContaining('already delivered') } });
  });

  it('answers a malformed shipment with 400 and a reason, and changes nothing', async () => {
    const w = await logisticsWorld();
    const bad = [
      { orderRef: 'CAP-1', lines: [], address: {} },
      { orderRef: 'CAP-1', lines: [{ sku: 'FL-STOCK-01', quantity: 0 }], address: {} },
      { orderRef: 'CAP-1', lines: [{ quantity: 1 }], address: {} },
      { orderRef: 'CAP-1', lines: [{ sku: 'FL-STOCK-01', quantity: 1 }] },
    ];
    const answers = bad.map((body) => w.call('/shipments', { method: 'POST', body: JSON.stringify(body) }));
    const notJson = w.call('/shipments', { method: 'POST', body: '{' });
    await w.world.run();
    for (const answer of [...(await Promise.all(answers)), await notJson]) {
      expect(answer.status).toBe(400);
      expect(typeof answer.body.error).toBe('string');
    }
    expect(w.provider.ledger()).toEqual({ shipments: [] });
    expect(w.world.history.filter((e) => e.kind === 'event')).toEqual([]);
  });

  it('refuses a bad signature when requireSignedRequests is on, and changes nothing', async () => {
    const w = await logisticsWorld({ ...PROMPT, requireSignedRequests: true });
    const body = JSON.stringify({ orderRef: 'CAP-1', lines: [{ sku: 'FL-STOCK-01', quantity: 1 }], address: {} });
    const answer = w.call('/shipments', {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'x-faultline-signature': signWebhook('nope', body, Date.UTC(2026, 0, 5, 9)) },
    });
    await w.world.run();
    expect((await answer).status).toBe(401);
    expect(w.provider.ledger()).toEqual({ shipments: [] });
  });

  it('answers api.error.status instead of working, and serves the ledger at the contract path', async () => {
    const w = await logisticsWorld({ ...PROMPT, api: { error: { probability: 1, status: 500 } } });
    const answer = w.ship('CAP-1');
    const ledger = w.call(LEDGER_PATH);
    await w.world.run();
    expect((await answer).status).toBe(500);
    expect((await ledger).body).toEqual({ shipments: [] });
  });

  it('compresses the whole lifecycle with timeScale', async () => {
    const days = { kind: 'fixed', ms: 86_400_000 };
    const w = await logisticsWorld({ timeScale: 0.001, steps: { picked: days, delivered: days } });
    void w.ship('CAP-000001');
    await w.world.run();
    const timeline = w.provider.ledger().shipments[0]!.timeline;
    expect(timeline.map((t) => t.status)).toEqual(HAPPY);
    // Two days of steps alone; a thousandth of the whole lifecycle is well under ten minutes.
    expect(Date.parse(timeline.at(-1)!.at) - Date.UTC(2026, 0, 5, 9)).toBeLessThan(10 * 60_000);
  });

  it('answers after api.latency while the shipment already exists', async () => {
    const w = await logisticsWorld({ ...PROMPT, api: { latency: 5_000 } });
    const answer = w
      .call('/shipments', {
        method: 'POST',
        timeoutMs: 1_000,
        body: JSON.stringify({ orderRef: 'CAP-1', lines: [{ sku: 'FL-STOCK-01', quantity: 1 }], address: {} }),
      })
      .then(
        () => 'answered',
        (e: { code: string }) => e.code,
      );
    await w.world.run();
    expect(await answer).toBe('timeout');
    expect(w.provider.ledger().shipments).toHaveLength(1);
  });

  it('throws on a bad knob, naming the field and the allowed values', async () => {
    await expect(logisticsWorld({ steps: { shiped: 1 } })).rejects.toThrow(
      'logistics: config.steps.shiped is not a knob; allowed fields: picked, packed, shipped',
    );
    await expect(logisticsWorld({ partial: { probability: -1 } })).rejects.toThrow(/partial\.probability must be a number from 0 to 1/);
  });
});
