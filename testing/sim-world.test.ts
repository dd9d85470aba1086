/**
 * What the simulators' own tests rely on from the kit's network (the sim
 * engine's): routing by origin on virtual time, a timeout that says the
 * request may have been processed, and a refusal where nothing listens.
 */
import { describe, expect, it } from 'vitest';
import { NetworkError } from '../harness/core/system.ts';
import { ScriptedReceiver } from './peers.ts';
import { TestWorld } from './sim-world.ts';

describe('the test kit network', () => {
  it('delivers by origin after the virtual latency each way', async () => {
    // The link's own 1 ms each way, plus a latency fault of 8 ms split over both ways: 5 ms each way.
    const world = await TestWorld.create({
      systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, () => 202) },
      faults: [{ link: { from: 'capture', to: 'middleware' }, kind: 'latency', meanMs: 8 }],
    });
    let status = 0;
    void world
      .fetchFor('capture')(`${world.url('middleware')}/orders`, { method: 'POST', body: '{}' })
      .then((r) => (status = r.status));
    await world.run();
    expect(status).toBe(202);
    expect(world.now - Date.UTC(2026, 0, 5, 9)).toBe(10);
  });

  it('rejects with a maybe-processed timeout when the answer is later than timeoutMs', async () => {
    const world = await TestWorld.create({
      systems: {
        middleware: (ctx) =>
          new ScriptedReceiver(ctx.clock, async () => {
            await ctx.clock.sleep(10_000);
            return 200;
          }),
      },
    });
    let error: unknown;
    void world
      .fetchFor('capture')(`${world.url('middleware')}/orders`, { method: 'POST', body: '{}', timeoutMs: 500 })
      .catch((e: unknown) => (error = e));
    await world.run();
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'timeout', maybeProcessed: true });
  });

  it('refuses a request to an origin where nothing listens', async () => {
    const world = await TestWorld.create();
    expect(await world.call(world.fetchFor('capture')('http://nowhere.test/x'))).toMatchObject({ code: 'refused', maybeProcessed: false });
  });
});
