import { describe, expect, it } from 'vitest';
import { createRng } from '../../../harness/core/rng.ts';
import { CALM_MESSAGES, type MessageBehaviour, type RetrySchedule } from '../behaviour.ts';
import { verifyWebhookSignature } from '../../../harness/contracts/webhook-signature.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';
import { type DeliveryRecord, createWebhookSender } from '../webhook-sender.ts';

const RETRY: RetrySchedule = { timeoutMs: 1_000, initialBackoffMs: 100, backoffFactor: 2, maxBackoffMs: 10_000, jitter: 0, horizonMs: 60_000 };

async function deliver(
  count: number,
  behaviour: Partial<MessageBehaviour>,
  respond: (path: string, body: string, n: number) => number | Promise<number> = () => 200,
  retry: RetrySchedule = RETRY,
) {
  const world = await TestWorld.create({ seed: 7, systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, respond) } });
  const receiver = world.system<ScriptedReceiver>('middleware');
  const records: DeliveryRecord[] = [];
  const sender = createWebhookSender({
    clock: world.sim.scheduler,
    rng: createRng(99),
    fetch: world.fetchFor('payment'),
    url: `${world.url('middleware')}/webhooks/payment`,
    secret: 'whsec_test',
    behaviour: { ...CALM_MESSAGES, ...behaviour },
    retry,
    timeScale: 1,
    onDelivery: (_m, r) => records.push(r),
  });
  for (let i = 1; i <= count; i++) sender.send({ eventId: `evt_${i}`, corr: `CAP-${i}`, body: JSON.stringify({ id: `evt_${i}`, n: i }), meta: i });
  await world.run();
  const arrived = receiver.received.map((r) => (JSON.parse(r.body) as { id: string }).id);
  return { records, received: receiver.received, arrived, sender, world };
}

describe('webhook sender', () => {
  it('delivers each message once, in order, signed, when calm', async () => {
    const { arrived, received, records } = await deliver(5, {});
    expect(arrived).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4', 'evt_5']);
    for (const r of received) {
      expect(verifyWebhookSignature({ secret: 'whsec_test', header: r.headers.get('x-faultline-signature'), rawBody: r.body }).ok).toBe(true);
      expect(r.headers.get('x-attempt')).toBe('1');
    }
    expect(received[0]!.headers.get('x-correlation-id')).toBe('CAP-1');
    expect(records.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
  });

  it('retries a non-2xx answer with exponential back-off until it succeeds', async () => {
    const { records, received } = await deliver(1, {}, (_p, _b, n) => (n < 4 ? 500 : 200));
    expect(records.map((r) => [r.attempt, r.outcome, r.status])).toEqual([
      [1, 'error', 500],
      [2, 'error', 500],
      [3, 'error', 500],
      [4, 'ok', 200],
    ]);
    const gaps = received.slice(1).map((r, i) => r.at - received[i]!.at);
    // 100, 200, 400 ms of back-off plus 2 ms of round trip each.
    expect(gaps).toEqual([102, 202, 402]);
    expect(received.map((r) => r.headers.get('x-attempt'))).toEqual(['1', '2', '3', '4']);
  });

  it('retries a timeout as no answer', async () => {
    const { records } = await deliver(1, {}, async (_p, _b, n) => {
      if (n === 1) await new Promise(() => {}); // never answers
      return 200;
    });
    expect(records.map((r) => r.outcome)).toEqual(['no_answer', 'ok']);
  });

  it('gives up after drop.afterFailures failed attempts and records the drop', async () => {
    const { records } = await deliver(1, { drop: { probability: 0, afterFailures: 3 } }, () => 503);
    expect(records.map((r) => [r.attempt, r.outcome])).toEqual([
      [1, 'error'],
      [2, 'error'],
      [3, 'error'],
      [4, 'dropped'],
    ]);
  });

  it('gives up when the next attempt would fall beyond the retry horizon', async () => {
    const { records } = await deliver(1, {}, () => 503, { ...RETRY, horizonMs: 1_000 });
    // Waits 100, 200, 400 fit in 1 s; the next (800) would not.
    expect(records.map((r) => r.outcome)).toEqual(['error', 'error', 'error', 'error', 'dropped']);
  });

  it('loses messages with drop.probability and never sends them', async () => {
    const { records, arrived } = await deliver(200, { drop: { probability: 0.25, afterFailures: null } });
    const dropped = records.filter((r) => r.outcome === 'dropped').length;
    expect(dropped).toBeGreaterThan(25);
    expect(dropped).toBeLessThan(75);
    expect(arrived.length).toBe(200 - dropped);
  });

  it('sends extra copies with the same event id with duplicate.probability', async () => {
    const { arrived, records } = await deliver(10, { duplicate: { probability: 1, copies: 2, gapMs: 0 } });
    expect(arrived.length).toBe(30);
    expect(arrived.filter((id) => id === 'evt_3').length).toBe(3);
    expect(
      records
        .filter((r) => r.eventId === 'evt_3')
        .map((r) => r.copy)
        .sort(),
    ).toEqual([0, 1, 2]);
  });

  it('spaces duplicate copies by duplicate.gapMs', async () => {
    const { received } = await deliver(1, { duplicate: { probability: 1, copies: 2, gapMs: 300 } });
    expect(received.map((r) => r.at - received[0]!.at)).toEqual([0, 300, 600]);
  });

  it('holds every message by the delay distribution before the first attempt', async () => {
    const { received, world } = await deliver(1, { delay: { kind: 'fixed', ms: 5_000 } });
    expect(received[0]!.at - world.now).toBeLessThanOrEqual(0);
    expect(received[0]!.at).toBe(Date.UTC(2026, 0, 5, 9, 0, 5, 1));
  });

  it('scrambles the order of messages sent together within the reorder window', async () => {
    const calm = await deliver(20, {});
    const shuffled = await deliver(20, { reorder: { windowMs: 10_000 } });
    expect(calm.arrived).toEqual([...calm.arrived].sort((a, b) => Number(a.slice(4)) - Number(b.slice(4))));
    expect(shuffled.arrived).not.toEqual(calm.arrived);
    expect([...shuffled.arrived].sort()).toEqual([...calm.arrived].sort());
  });

  it('sends nothing more once stopped, neither a held message nor a retry', async () => {
    const world = await TestWorld.create({ systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, () => 500) } });
    const receiver = world.system<ScriptedReceiver>('middleware');
    const sender = createWebhookSender({
      clock: world.sim.scheduler,
      rng: createRng(1),
      fetch: world.fetchFor('payment'),
      url: `${world.url('middleware')}/w`,
      secret: 's',
      behaviour: CALM_MESSAGES,
      retry: RETRY,
      timeScale: 1,
      onDelivery: () => {},
    });
    const held = createWebhookSender({
      clock: world.sim.scheduler,
      rng: createRng(2),
      fetch: world.fetchFor('payment'),
      url: `${world.url('middleware')}/w`,
      secret: 's',
      behaviour: { ...CALM_MESSAGES, delay: { kind: 'fixed', ms: 1_000 } },
      retry: RETRY,
      timeScale: 1,
      onDelivery: () => {},
    });
    sender.send({ eventId: 'e', corr: 'c', body: '{}', meta: null });
    held.send({ eventId: 'h', corr: 'c', body: '{}', meta: null });
    // The first attempt is refused after its 2 ms round trip; the second waits 100 ms of back-off, the held one 1 s.
    await world.advance(50);
    expect(receiver.received).toHaveLength(1);
    sender.stop();
    held.stop();
    await world.advance(600_000);
    expect(receiver.received).toHaveLength(1);
  });
});
