import { describe, expect, it } from 'vitest';
import type { System, SystemContext } from '../harness/core/system.ts';
import { createOdooClient } from '../harness/odoo/client.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import { defineScenario } from '../harness/scenario/define.ts';

/**
 * A middleware that acknowledges each order, then retries a call Odoo will
 * always refuse (a sale order without its customer), every five minutes,
 * forever: the livelock no other invariant sees.
 */
function loopingMiddleware(context: SystemContext): System {
  const odoo = createOdooClient({
    url: context.urls.odoo!,
    db: 'faultline',
    login: 'faultline-middleware',
    password: 'faultline',
    fetch: context.fetch,
    timeoutMs: 10_000,
  });
  const retryForever = (ref: string): void => {
    context.clock.setTimer(5 * 60_000, () => {
      odoo
        .withCorrelationId(ref)
        .create('sale.order', { client_order_ref: ref })
        .catch(() => undefined)
        .finally(() => retryForever(ref));
    });
  };
  return {
    async handle(request) {
      const path = new URL(request.url).pathname;
      if (request.method === 'POST' && path === '/orders') {
        const order = (await request.json()) as { ref: string };
        retryForever(order.ref);
        return Response.json({ orderId: order.ref, status: 'accepted' }, { status: 202 });
      }
      return Response.json({ ok: true });
    },
  };
}

const neverQuiet = defineScenario({
  name: 'never-quiet',
  description: 'One order whose middleware job retries a refused call forever',
  orders: { count: 1, ratePerSecond: 1 },
  invariants: ['settles'],
  budget: { maxVirtualMs: 3 * 3600_000 },
});

describe('a run that cannot settle', () => {
  it('fails settles, naming the order and the call it keeps failing', async () => {
    const result = await runScenario(neverQuiet, {
      mode: 'sim',
      odoo: 'emulated',
      middleware: { name: 'looping', factory: loopingMiddleware },
      middlewareArg: 'looping',
    });
    expect(result.stats.quiescent).toBe(false);
    const [settles] = result.invariants;
    expect(settles).toMatchObject({ name: 'settles', verdict: 'fail' });
    expect(settles!.summary).toContain('still busy when the budget of 3h 0m ran out');
    expect(settles!.examples[0]!.orderRef).toBe('CAP-000001');
    expect(settles!.examples[0]!.message).toMatch(/its loop: sale\.order\.create failed \d+ times, "odoo\.exceptions\.ValidationError/);
  });
});
