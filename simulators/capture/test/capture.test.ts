import { drainMicrotasks } from '../../../harness/core/scheduler.ts';
import { describe, expect, it } from 'vitest';
import { LEDGER_PATH } from '../../../harness/core/system.ts';
import { CATALOGUE } from '../../../harness/world/catalogue.ts';
import { orderTotal } from '../../shared/money.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';
import { type PaymentGateway, createPaymentGateway } from '../../payment/index.ts';
import type { CapturedOrder } from '../../../harness/contracts/capture.ts';
import { type CapturePlatform, createCaptureSimulator } from '../index.ts';
import { customerBook } from '../../shared/customer-book.ts';

type Respond = (path: string, body: string, n: number) => number | Promise<number>;

async function captureWorld(config: Record<string, unknown>, respond: Respond = () => 202, options: { seed?: number; payment?: Record<string, unknown> } = {}) {
  const world = await TestWorld.create({
    seed: options.seed ?? 1,
    systems: {
      middleware: (ctx) => new ScriptedReceiver(ctx.clock, respond),
      capture: { factory: createCaptureSimulator, config },
      ...(options.payment !== undefined && { payment: { factory: createPaymentGateway, config: options.payment } }),
    },
  });
  const middleware = world.system<ScriptedReceiver>('middleware');
  const capture = world.system<CapturePlatform>('capture');
  const payment = options.payment === undefined ? undefined : world.system<PaymentGateway>('payment');
  const orderPosts = () => middleware.received.filter((r) => r.path === '/orders');
  return { world, middleware, capture, payment, orderPosts };
}

const NO_PAY = { payAtCheckout: false };
const epoch = Date.UTC(2026, 0, 5, 9);
const offsets = (ledger: { orders: { placedAt: string }[] }) => ledger.orders.map((o) => Date.parse(o.placedAt) - epoch);

describe('capture platform', () => {
  it('places orders with catalogue lines, faker customers and the total Odoo would compute', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 50, maxLines: 4, maxQuantity: 7 });
    await w.world.run();
    const { orders } = w.capture.ledger();
    expect(orders.map((o) => o.ref).slice(0, 3)).toEqual(['CAP-000001', 'CAP-000002', 'CAP-000003']);
    for (const order of orders) {
      expect(order.lines.length).toBeGreaterThanOrEqual(1);
      expect(order.lines.length).toBeLessThanOrEqual(4);
      expect(new Set(order.lines.map((l) => l.sku)).size).toBe(order.lines.length);
      for (const line of order.lines) {
        expect(CATALOGUE.find((p) => p.sku === line.sku)?.listPrice).toBe(line.unitPrice);
        expect(line.quantity).toBeGreaterThanOrEqual(1);
        expect(line.quantity).toBeLessThanOrEqual(7);
      }
      expect(order.total).toBe(orderTotal(order.lines, 0.15));
      expect(order.customer.name).toMatch(/\S+ \S+/);
      expect(order.customer.email).toContain('@');
      expect(order.customer.countryCode).toBe('US');
      expect(order).toMatchObject({ currency: 'USD', taxRate: 0.15, acknowledged: true, cancelled: false, paymentId: null });
    }
    const sent = JSON.parse(w.orderPosts()[0]!.body) as CapturedOrder;
    expect(Object.keys(sent)).toEqual(['ref', 'placedAt', 'currency', 'customer', 'lines', 'taxRate', 'total']);
    expect(w.orderPosts()[0]!.headers.get('x-correlation-id')).toBe(sent.ref);
  });

  it("takes a book's customers again, some typing their email in another case, and draws the same customers with retyping off", async () => {
    const book = customerBook({ seed: 3, count: 2, countryCode: 'US' });
    const emails = async (retyped: number | undefined) => {
      const w = await captureWorld({ ...NO_PAY, orders: 40, customerBook: { seed: 3, count: 2, ...(retyped !== undefined && { retyped }) } });
      await w.world.run();
      return w.capture.ledger().orders.map((o) => o.customer.email);
    };
    const exact = await emails(undefined);
    expect(new Set(exact)).toEqual(new Set(book.map((c) => c.email)));
    expect(await emails(0)).toEqual(exact);
    const retyped = await emails(0.5);
    // Every email is one of the book's in some case; about half are typed in another case than the book's.
    const folded = new Set(book.map((c) => c.email.toLowerCase()));
    for (const email of retyped) expect(folded.has(email.toLowerCase())).toBe(true);
    const typedOtherwise = retyped.filter((email) => !book.some((c) => c.email === email)).length;
    expect(typedOtherwise).toBeGreaterThan(8);
    expect(typedOtherwise).toBeLessThan(32);
  });

  it('gives the same ledger for the same seed, with retries, payments and cancellations', async () => {
    const once = async (seed: number) => {
      const w = await captureWorld(
        { orders: 40, arrival: 'poisson', retry: { timeoutMs: 500, idempotencyKey: 'new' }, cancellations: { probability: 0.3 } },
        async (path, _b, n) => {
          if (path === '/orders' && n % 4 === 0) return 503;
          if (n % 7 === 0) await new Promise<void>(() => {});
          return 202;
        },
        { seed, payment: { failureProbability: 0.1 } },
      );
      await w.world.run();
      return w.capture.ledger();
    };
    const [a, b, c] = [await once(9), await once(9), await once(10)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.orders.some((o) => o.attempts.length > 1)).toBe(true);
  });

  it('spaces orders evenly with the fixed arrival model', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 5, arrival: 'fixed', ratePerSecond: 4 });
    await w.world.run();
    expect(offsets(w.capture.ledger())).toEqual([0, 250, 500, 750, 1000]);
  });

  it('sends orders in bursts that keep the mean rate', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 6, arrival: 'burst', burstSize: 3, ratePerSecond: 3 });
    await w.world.run();
    expect(offsets(w.capture.ledger())).toEqual([0, 0, 0, 1000, 1000, 1000]);
  });

  it('ramps the rate up from rampFromPerSecond to ratePerSecond', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 3, arrival: 'ramp', rampFromPerSecond: 1, ratePerSecond: 10 });
    await w.world.run();
    // Gaps at 5.5/s then 10/s.
    expect(offsets(w.capture.ledger())).toEqual([0, 182, 282]);
  });

  it('spreads Poisson arrivals around the mean rate', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 2_000, arrival: 'poisson', ratePerSecond: 100 });
    await w.world.run();
    const at = offsets(w.capture.ledger());
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(at.at(-1)! / 1999).toBeGreaterThan(9);
    expect(at.at(-1)! / 1999).toBeLessThan(11);
    expect(new Set(gaps).size).toBeGreaterThan(20);
  });

  it('charges unit prices at priceDigits: 3 reproduces the storefront that drifts from Odoo by a cent', async () => {
    const odoo = await captureWorld({ ...NO_PAY, orders: 30, skus: ['FL-CONSU-01', 'FL-STOCK-03'] });
    const drift = await captureWorld({ ...NO_PAY, orders: 30, skus: ['FL-CONSU-01', 'FL-STOCK-03'], priceDigits: 3 });
    await odoo.world.run();
    await drift.world.run();
    const a = odoo.capture.ledger().orders;
    const b = drift.capture.ledger().orders;
    expect(b.map((o) => o.lines)).toEqual(a.map((o) => o.lines));
    expect(b.map((o) => o.total)).not.toEqual(a.map((o) => o.total));
    for (const order of b) expect(order.total).toBe(orderTotal(order.lines, 0.15, 3));
  });

  it('uses only the skus, currency, tax rate and country the knobs name', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 20, skus: ['FL-CONSU-01', 'FL-STOCK-03'], currency: 'EUR', taxRate: 0.2, countryCode: 'BE' });
    await w.world.run();
    for (const order of w.capture.ledger().orders) {
      expect(order.lines.every((l) => l.sku === 'FL-CONSU-01' || l.sku === 'FL-STOCK-03')).toBe(true);
      expect(order).toMatchObject({ currency: 'EUR', taxRate: 0.2, customer: { countryCode: 'BE' } });
      expect(order.total).toBe(orderTotal(order.lines, 0.2));
    }
  });

  it('randomises back-off with retry.jitter, only ever shortening it', async () => {
    const gaps = async (jitter: number) => {
      const w = await captureWorld(
        { ...NO_PAY, orders: 1, arrival: 'fixed', retry: { attempts: 4, initialBackoffMs: 1_000, backoffFactor: 1, jitter } },
        () => 503,
      );
      await w.world.run();
      const at = w.orderPosts().map((r) => r.at);
      return at.slice(1).map((t, i) => t - at[i]! - 2);
    };
    expect(await gaps(0)).toEqual([1_000, 1_000, 1_000]);
    const jittered = await gaps(0.5);
    expect(jittered).not.toEqual([1_000, 1_000, 1_000]);
    for (const gap of jittered) {
      expect(gap).toBeGreaterThanOrEqual(500);
      expect(gap).toBeLessThanOrEqual(1_000);
    }
  });

  it('retries a timed-out order reusing its idempotency key by default', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 1, retry: { timeoutMs: 1_000, initialBackoffMs: 100, jitter: 0 } }, async (_p, _b, n) => {
      if (n === 1) await new Promise<void>(() => {});
      return 202;
    });
    await w.world.run();
    const [order] = w.capture.ledger().orders;
    expect(order!.attempts.map((a) => [a.attempt, a.outcome, a.status])).toEqual([
      [1, 'no_answer', null],
      [2, 'ok', 202],
    ]);
    expect(order!.attempts[0]!.idempotencyKey).toMatch(/^idk_[0-9a-f]{16}$/);
    expect(order!.attempts[1]!.idempotencyKey).toBe(order!.attempts[0]!.idempotencyKey);
    expect(w.orderPosts().map((r) => [r.headers.get('x-attempt'), r.headers.get('idempotency-key')])).toEqual([
      ['1', order!.attempts[0]!.idempotencyKey],
      ['2', order!.attempts[0]!.idempotencyKey],
    ]);
    expect(order!.acknowledged).toBe(true);
  });

  it('mints a new key per attempt with idempotencyKey "new", and sends none with "none"', async () => {
    const flaky: Respond = (_p, _b, n) => (n === 1 ? 500 : 202);
    const fresh = await captureWorld({ ...NO_PAY, orders: 1, retry: { idempotencyKey: 'new' } }, flaky);
    await fresh.world.run();
    const keys = fresh.orderPosts().map((r) => r.headers.get('idempotency-key'));
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    const none = await captureWorld({ ...NO_PAY, orders: 1, retry: { idempotencyKey: 'none' } }, flaky);
    await none.world.run();
    expect(none.orderPosts().map((r) => r.headers.get('idempotency-key'))).toEqual([null, null]);
    expect(none.capture.ledger().orders[0]!.attempts.map((a) => a.idempotencyKey)).toEqual([null, null]);
  });

  it('backs off between attempts and abandons the order after retry.attempts', async () => {
    const w = await captureWorld(
      { ...NO_PAY, orders: 1, arrival: 'fixed', retry: { attempts: 3, initialBackoffMs: 1_000, backoffFactor: 3, jitter: 0 } },
      () => 503,
    );
    await w.world.run();
    const at = w.orderPosts().map((r) => r.at - epoch);
    expect(at).toEqual([1, 1_003, 4_005]);
    const [order] = w.capture.ledger().orders;
    expect(order!.acknowledged).toBe(false);
    expect(w.world.history.filter((e) => e.kind === 'event').map((e) => (e as { name: string }).name)).toEqual(['order.placed', 'order.abandoned']);
  });

  it('takes 409 as an acknowledgement and does not retry a 400', async () => {
    const dup = await captureWorld({ ...NO_PAY, orders: 1 }, () => 409);
    await dup.world.run();
    expect(dup.capture.ledger().orders[0]!.acknowledged).toBe(true);
    const bad = await captureWorld({ ...NO_PAY, orders: 1 }, () => 400);
    await bad.world.run();
    expect(bad.capture.ledger().orders[0]!.attempts).toHaveLength(1);
    expect(bad.capture.summary()).toEqual({ placed: 1, acknowledged: 0, abandoned: 1, cancelled: 0 });
  });

  it('pays at checkout and records the payment id; abandons a declined order without sending it', async () => {
    const paid = await captureWorld({ orders: 2 }, () => 202, { payment: {} });
    await paid.world.run();
    expect(paid.capture.ledger().orders.map((o) => o.paymentId)).toEqual(['pay_000001', 'pay_000002']);
    expect(paid.payment!.ledger().payments.map((p) => p.amount)).toEqual(paid.capture.ledger().orders.map((o) => o.total));
    const declined = await captureWorld({ orders: 2 }, () => 202, { payment: { failureProbability: 1 } });
    await declined.world.run();
    expect(declined.orderPosts()).toEqual([]);
    expect(declined.capture.summary().abandoned).toBe(2);
    const submitted = await captureWorld({ orders: 2, onPaymentFailure: 'submit' }, () => 202, { payment: { failureProbability: 1 } });
    await submitted.world.run();
    expect(submitted.orderPosts()).toHaveLength(2);
  });

  it('cancels acknowledged orders later with cancellations.probability', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 3, cancellations: { probability: 1, after: 60_000 } });
    await w.world.run();
    const cancels = w.middleware.received.filter((r) => r.path.endsWith('/cancel'));
    expect(cancels.map((r) => r.path)).toEqual(['/orders/CAP-000001/cancel', '/orders/CAP-000002/cancel', '/orders/CAP-000003/cancel']);
    expect(JSON.parse(cancels[0]!.body)).toEqual({ ref: 'CAP-000001', reason: 'customer_request' });
    expect(cancels[0]!.at - epoch).toBeGreaterThanOrEqual(60_000);
    expect(w.capture.ledger().orders.every((o) => o.cancelled)).toBe(true);
  });

  it('resolves done once every order is final, and says when it has placed them all', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 3, arrival: 'fixed', ratePerSecond: 1 });
    let summary: unknown;
    void w.capture.done.then((s) => (summary = s));
    expect(w.capture.placedAll()).toBe(false);
    await w.world.run(1_500);
    expect(w.capture.placedAll()).toBe(false);
    expect(summary).toBeUndefined();
    expect(w.capture.finished()).toBe(false);
    await w.world.run();
    expect(w.capture.placedAll()).toBe(true);
    expect(w.capture.finished()).toBe(true);
    expect(summary).toEqual({ placed: 3, acknowledged: 3, abandoned: 0, cancelled: 0 });
  });

  it('writes order.placed and order.acknowledged to the history', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 1 });
    await w.world.run();
    const total = w.capture.ledger().orders[0]!.total;
    expect(w.world.history.filter((e) => e.kind === 'event')).toMatchObject([
      { name: 'order.placed', system: 'capture', corr: 'CAP-000001', data: { total } },
      { name: 'order.acknowledged', corr: 'CAP-000001', attempt: 1 },
    ]);
  });

  it('serves its ledger and orders, and refuses writes with a 4xx that changes nothing', async () => {
    const w = await captureWorld({ ...NO_PAY, orders: 2 });
    await w.world.run();
    const client = w.world.fetchFor('middleware');
    const before = w.capture.ledger();
    const answers = [
      client(`${w.world.url('capture')}${LEDGER_PATH}`),
      client(`${w.world.url('capture')}/orders?ref=CAP-000002`),
      client(`${w.world.url('capture')}/orders/CAP-999999`),
      client(`${w.world.url('capture')}/orders`, { method: 'POST', body: '{not json' }),
    ];
    await w.world.run();
    const [ledger, one, missing, post] = await Promise.all(answers);
    expect(await ledger!.json()).toEqual(before);
    expect(((await one!.json()) as { orders: { ref: string }[] }).orders.map((o) => o.ref)).toEqual(['CAP-000002']);
    expect(missing!.status).toBe(404);
    expect(post!.status).toBe(405);
    expect(((await post!.json()) as { error: string }).error).toContain('use GET');
    expect(w.capture.ledger()).toEqual(before);
  });

  it('sends nothing once the world stops it mid-run, neither a retry nor a cancellation it was waiting to send', async () => {
    const world = await TestWorld.create({
      systems: {
        // Every other order is refused, so retries wait; the accepted ones are cancelled later.
        middleware: (ctx) => new ScriptedReceiver(ctx.clock, (_path, _body, n) => (n % 2 === 0 ? 202 : 503)),
        capture: {
          factory: createCaptureSimulator,
          config: { ...NO_PAY, orders: 50, cancellations: { probability: 1, after: { kind: 'fixed', ms: 60_000 } } },
        },
      },
    });
    await world.advance(1_000);
    expect(world.sim.scheduler.pendingWork).toBeGreaterThan(1);
    await world.stop();
    const stoppedAt = world.history.length;
    // Whatever is still scheduled runs out: the requests already on their way are answered, and nothing new is sent.
    for (let i = 0; i < 100_000 && world.sim.scheduler.runNextInstant(Number.POSITIVE_INFINITY); i++) await drainMicrotasks();
    expect(world.history.slice(stoppedAt).filter((e) => e.kind === 'send' && e.from === 'capture')).toEqual([]);
  });

  it('throws on a bad knob, naming the field and the allowed values', async () => {
    await expect(captureWorld({ arrival: 'steady' })).rejects.toThrow(
      'capture: config.arrival must be one of "fixed", "poisson", "ramp", "burst"; got "steady"',
    );
    await expect(captureWorld({ retry: { idempotencyKey: 'keep' } })).rejects.toThrow(/retry\.idempotencyKey must be one of "reuse", "new", "none"/);
    await expect(captureWorld({ skus: ['NOPE'] })).rejects.toThrow(/not in the catalogue; allowed: FL-CONSU-01/);
    await expect(captureWorld({ orders: 1.5 })).rejects.toThrow(/config\.orders must be an integer/);
  });
});
