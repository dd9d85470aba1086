import { describe, expect, it } from 'vitest';
import { createCaptureSimulator } from '../../capture/index.ts';
import { createLogisticsProvider } from '../../logistics/index.ts';
import { createPaymentGateway } from '../../payment/index.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';

/** The three simulators together, each misbehaving, against a middleware that fails now and then. */
async function history(seed: number): Promise<string> {
  const world = await TestWorld.create({
    seed,
    systems: {
      middleware: (ctx) =>
        new ScriptedReceiver(ctx.clock, async (path, body, n) => {
          if (path === '/orders') {
            const order = JSON.parse(body) as { ref: string; lines: unknown[] };
            void ctx
              .fetch(`${ctx.urls.logistics}/shipments`, {
                method: 'POST',
                body: JSON.stringify({ orderRef: order.ref, lines: order.lines, address: {} }),
                timeoutMs: 5_000,
              })
              .catch(() => {});
          }
          if (n % 5 === 0) await ctx.clock.sleep(20_000);
          return n % 3 === 0 ? 503 : 202;
        }),
      capture: {
        factory: createCaptureSimulator,
        config: { orders: 25, retry: { timeoutMs: 5_000, idempotencyKey: 'new' }, cancellations: { probability: 0.2 } },
      },
      payment: {
        factory: createPaymentGateway,
        config: { failureProbability: 0.1, webhooks: { duplicate: { probability: 0.3 }, reorder: { windowMs: 60_000 } } },
      },
      logistics: {
        factory: createLogisticsProvider,
        config: { partial: { probability: 0.3 }, exceptionProbability: 0.1, webhooks: { reorder: { windowMs: 600_000 }, drop: { probability: 0.05 } } },
      },
    },
  });
  await world.run();
  return [...world.sim.history.jsonLines()].join('');
}

describe('simulated world', () => {
  it('writes a byte-identical history for the same seed, and another for another seed', async () => {
    const a = await history(11);
    expect(await history(11)).toBe(a);
    expect(await history(12)).not.toBe(a);
    expect(a.split('\n').length).toBeGreaterThan(300);
  });
});
