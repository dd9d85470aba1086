import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../../harness/core/system.ts';
import { TEST_URLS, createTestWorld, stubReceiver } from '../testing.ts';

describe('fake test network', () => {
  it('delivers by origin after the virtual latency each way', async () => {
    const world = createTestWorld(1, { latencyMs: 5 });
    await world.add('middleware', (ctx) => stubReceiver(ctx.clock, () => 202));
    const fetch = world.network.fetchFor('capture');
    let status = 0;
    void fetch(`${TEST_URLS.middleware}/orders`, { method: 'POST', body: '{}' }).then((r) => (status = r.status));
    await world.run();
    expect(status).toBe(202);
    expect(world.scheduler.now() - Date.UTC(2026, 0, 5, 9)).toBe(10);
  });

  it('rejects with a maybe-processed timeout when the answer is later than timeoutMs', async () => {
    const world = createTestWorld(1);
    await world.add('middleware', (ctx) => stubReceiver(ctx.clock, async () => {
      await ctx.clock.sleep(10_000);
      return 200;
    }));
    let error: unknown;
    void world.network.fetchFor('capture')(`${TEST_URLS.middleware}/orders`, { method: 'POST', body: '{}', timeoutMs: 500 }).catch((e: unknown) => (error = e));
    await world.run();
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'timeout', maybeProcessed: true });
  });

  it('refuses a request to an origin where nothing listens', async () => {
    const world = createTestWorld(1);
    await expect(world.network.fetchFor('capture')('http://nowhere.test/x')).rejects.toMatchObject({ code: 'refused', maybeProcessed: false });
  });
});
