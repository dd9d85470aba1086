import { describe, expect, it } from 'vitest';
import { TestWorld } from '../../../testing/sim-world.ts';
import { type AnalyticsSink, createAnalyticsSink } from '../index.ts';

const DAY = '2026-01-05';
const HOUR = 3_600_000;

async function sinkWorld(config: Record<string, unknown> = {}) {
  const world = await TestWorld.create({ systems: { analytics: { factory: createAnalyticsSink, config } } });
  const sink = world.system<AnalyticsSink>('analytics');
  const client = world.fetchFor('middleware');
  const send = async (method: string, path: string, body: unknown) => {
    const answer = client(`${world.url('analytics')}${path}`, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(
      async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }),
    );
    await world.run();
    return answer;
  };
  const row = (eventId: string, amount: number, extra: Record<string, unknown> = {}) => ({
    eventId,
    type: 'invoice',
    ref: `INV/${eventId}`,
    day: DAY,
    currency: 'USD',
    amount,
    ...extra,
  });
  const later = (ms: number) => world.advance(ms);
  return { world, sink, send, row, later };
}

describe('analytics sink', () => {
  it('keeps daily totals per currency and type, to the cent', async () => {
    const w = await sinkWorld();
    await w.send('POST', '/events', { events: [w.row('a', 10.1), w.row('b', 20.2), w.row('c', 5, { type: 'refund' }), w.row('d', 7, { currency: 'EUR' })] });
    expect(w.sink.ledger().dailyTotals).toEqual([
      { day: DAY, currency: 'EUR', totals: { order: 0, invoice: 7, refund: 0, payment: 0 }, rows: 1 },
      { day: DAY, currency: 'USD', totals: { order: 0, invoice: 30.3, refund: 5, payment: 0 }, rows: 3 },
    ]);
  });

  it('drops a streamed row whose event id it saw within the dedupe window, and counts it again after', async () => {
    const w = await sinkWorld({ dedupeWindowMs: HOUR, allowedLatenessMs: 10 * 24 * HOUR });
    expect((await w.send('POST', '/events', w.row('a', 10))).body).toEqual({ accepted: 1, late: 0, duplicates: 0 });
    expect((await w.send('POST', '/events', w.row('a', 10))).body).toEqual({ accepted: 0, late: 0, duplicates: 1 });
    await w.later(2 * HOUR);
    await w.send('POST', '/events', w.row('a', 10));
    expect(w.sink.ledger()).toMatchObject({ duplicatesDropped: 1, dailyTotals: [{ totals: { invoice: 20 } }] });
  });

  it('counts every repeat when dedupe is off', async () => {
    const w = await sinkWorld({ dedupe: false });
    await w.send('POST', '/events', w.row('a', 10));
    await w.send('POST', '/events', w.row('a', 10));
    expect(w.sink.ledger().dailyTotals[0]!.totals.invoice).toBe(20);
  });

  it("keeps a row that comes after its day's watermark aside, until a batch replays the day", async () => {
    const w = await sinkWorld({ allowedLatenessMs: HOUR });
    await w.send('POST', '/events', w.row('a', 10));
    await w.later(17 * HOUR);
    expect((await w.send('POST', '/events', w.row('b', 5))).body).toEqual({ accepted: 0, late: 1, duplicates: 0 });
    expect(w.sink.ledger().dailyTotals[0]!.totals.invoice).toBe(10);
    const replay = await w.send('PUT', `/days/${DAY}/USD`, { batchId: 'r1', rows: [w.row('a', 10), w.row('b', 5)] });
    expect(replay).toEqual({ status: 200, body: { day: DAY, currency: 'USD', rows: 2 } });
    expect(w.sink.ledger()).toMatchObject({
      late: [{ eventId: 'b' }],
      batches: [{ batchId: 'r1', rows: 2 }],
      dailyTotals: [{ totals: { invoice: 15 }, rows: 2 }],
    });
  });

  it('refuses a bad row with the field that is wrong', async () => {
    const w = await sinkWorld();
    const answer = await w.send('POST', '/events', w.row('a', 10, { day: '5 Jan' }));
    expect(answer.status).toBe(400);
    expect(answer.body.detail ?? answer.body.title ?? JSON.stringify(answer.body)).toMatch(/day must be a date YYYY-MM-DD/);
  });
});
