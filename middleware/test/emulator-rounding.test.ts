/**
 * The resilient middleware against the Odoo emulator when the storefront
 * charges from 3-decimal prices and Odoo stores them at 2 (1.005 → 1.01): the
 * order's total must become what was charged, once, and no more.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ROUNDING_PRODUCT_CODE } from '../../harness/odoo/bootstrap.ts';
import { orderTotal } from '../../simulators/shared/money.ts';
import { createResilientMiddleware } from '../resilient/index.ts';
import type { ResilientMiddleware } from '../resilient/index.ts';
import type { FaultSpec } from '../../harness/core/faults.ts';
import { MiddlewareWorld, during, paymentEvent, sampleOrder } from '../../testing/middleware-world.ts';

/** An order of `quantity` × FL-CONSU-01 at 1.005, charged as a storefront pricing with `priceDigits` decimals would. */
function chargedOrder(ref: string, quantity: number, priceDigits: number) {
  const order = sampleOrder(ref, ['FL-CONSU-01']);
  const lines = [{ sku: 'FL-CONSU-01', quantity, unitPrice: 1.005 }];
  return { ...order, lines, total: orderTotal(lines, 0.15, priceDigits) };
}

const dirs: string[] = [];
let world: MiddlewareWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function roundingWorld(config: Record<string, unknown> = {}, options: { dataDir?: string; faults?: FaultSpec[] } = {}) {
  world = await MiddlewareWorld.create(createResilientMiddleware, { config, ...options });
  const read = world.world.read.bind(world.world);
  const saleOrder = (ref: string) => read('sale.order', [['client_order_ref', '=', ref]], ['amount_total', 'order_line'])[0]!;
  const roundingLines = (ref: string) =>
    read(
      'sale.order.line',
      [
        ['order_id', '=', saleOrder(ref).id],
        ['product_id.default_code', '=', ROUNDING_PRODUCT_CODE],
      ],
      ['price_unit', 'product_uom_qty', 'tax_id'],
    ).map((l) => ({
      priceUnit: Number(l.price_unit),
      quantity: Number(l.product_uom_qty),
      taxIds: l.tax_id,
    }));
  const invoices = (ref: string) =>
    read(
      'account.move',
      [
        ['ref', '=', ref],
        ['move_type', '=', 'out_invoice'],
      ],
      ['state', 'payment_state', 'amount_total'],
    );
  const toCash = async (ref: string, total: number) => {
    await world!.world.call(world!.paymentWebhook(paymentEvent(ref, total)));
    await world!.deliver(ref, [
      [1, 'picked'],
      [2, 'shipped'],
      [3, 'delivered'],
    ]);
  };
  return { world, read, saleOrder, roundingLines, invoices, toCash };
}

describe('the resilient middleware on a storefront that rounds differently from Odoo', () => {
  it('adds exactly one rounding line, so the order, its invoice and the payment agree with the charge', async () => {
    const { saleOrder, roundingLines, invoices, toCash } = await roundingWorld();
    // 3 × 1.005 = 3.015 → 3.02, tax 0.45: charged 3.47; Odoo's 3 × 1.01 = 3.03, tax 0.45: 3.48.
    const order = chargedOrder('CAP-RND-1', 3, 3);
    expect(order.total).toBe(3.47);
    await world!.world.call(world!.postOrder(order));
    await world!.world.run();

    expect(roundingLines(order.ref)).toEqual([{ priceUnit: -0.01, quantity: 1, taxIds: [] }]);
    expect(saleOrder(order.ref).amount_total).toBe(3.47);
    expect(world!.events('order.rounding_adjusted', order.ref).map((e) => e.data)).toEqual([
      { saleOrderId: saleOrder(order.ref).id, difference: -0.01, charged: 3.47, odooTotal: 3.48 },
    ]);

    await toCash(order.ref, order.total);
    expect(invoices(order.ref)).toEqual([expect.objectContaining({ state: 'posted', payment_state: 'paid', amount_total: 3.47 })]);
    // Reconciliation and later jobs look again: still one line.
    await (world!.middleware as ResilientMiddleware).reconcileNow();
    await world!.world.run();
    expect(roundingLines(order.ref)).toHaveLength(1);
    expect(world!.events('order.rounding_adjusted')).toHaveLength(1);
    expect(world!.events('deadletter')).toEqual([]);
  });

  it('adds no rounding line to an order whose total already is the charge', async () => {
    const { saleOrder, roundingLines, invoices, toCash } = await roundingWorld();
    const order = chargedOrder('CAP-RND-2', 3, 2);
    await world!.world.call(world!.postOrder(order));
    await world!.world.run();
    await toCash(order.ref, order.total);

    expect(roundingLines(order.ref)).toEqual([]);
    expect(saleOrder(order.ref).order_line).toHaveLength(1);
    expect(invoices(order.ref)).toEqual([expect.objectContaining({ state: 'posted', payment_state: 'paid', amount_total: order.total })]);
    expect(world!.events('order.rounding_adjusted')).toEqual([]);
  });

  it('adds one line when the middleware crashes after Odoo committed the first and before it heard back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'faultline-rounding-'));
    dirs.push(dataDir);
    // Odoo commits the rounding line and its answer is lost; the middleware dies at 1 s, before its 10 s client timeout, and is back at 2 s.
    const { roundingLines, invoices, toCash, saleOrder } = await roundingWorld(
      {},
      {
        dataDir,
        faults: [
          { link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'write' } }, kind: 'response-lost', schedule: during(0, 1_000) },
          { system: 'middleware', kind: 'crash', restartAfterMs: 1_000, schedule: during(1_000, 1_001) },
        ],
      },
    );
    const order = chargedOrder('CAP-RND-3', 3, 3);
    await world!.world.call(world!.postOrder(order));
    await world!.world.advance(1_000 - world!.world.elapsed);
    expect(world!.world.drops('response-lost').map((s) => s.path)).toEqual(['/jsonrpc']);
    expect(roundingLines(order.ref)).toHaveLength(1);
    await world!.world.run();
    expect(world!.world.history.filter((e) => e.kind === 'crash')).toHaveLength(1);

    expect(roundingLines(order.ref)).toHaveLength(1);
    expect(saleOrder(order.ref).amount_total).toBe(order.total);
    expect(world!.events('order.rounding_adjusted', order.ref).map((e) => e.data)).toEqual([expect.objectContaining({ difference: -0.01, recovered: true })]);
    await toCash(order.ref, order.total);
    expect(invoices(order.ref)).toEqual([expect.objectContaining({ payment_state: 'paid', amount_total: order.total })]);
  });

  it('adds one line when the first add is held past its timeout and lands after the retry added one', async () => {
    // The first write waits 3 s on the wire; the retry after the 1 s timeout finds no line and adds one; the held write lands after.
    const { saleOrder, roundingLines, invoices, toCash } = await roundingWorld(
      { odooTimeoutMs: 1_000, retryBaseMs: 50 },
      {
        faults: [
          { link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'write' } }, kind: 'delay', ms: 3_000, schedule: during(0, 900) },
        ],
      },
    );
    const order = chargedOrder('CAP-RND-5', 3, 3);
    await world!.world.call(world!.postOrder(order));
    await world!.world.run();

    expect(world!.world.history.filter((e) => e.kind === 'delay')).toHaveLength(1);
    expect(roundingLines(order.ref)).toEqual([{ priceUnit: -0.01, quantity: 1, taxIds: [] }]);
    expect(saleOrder(order.ref).amount_total).toBe(order.total);
    await toCash(order.ref, order.total);
    expect(invoices(order.ref)).toEqual([expect.objectContaining({ payment_state: 'paid', amount_total: order.total })]);
  });

  it('dead-letters an order whose total differs by more than the rounding tolerance, and neither adjusts, ships nor invoices it', async () => {
    const { roundingLines, invoices } = await roundingWorld({ roundingToleranceCents: 1 });
    // 5 × 1.005 = 5.025 → 5.03, tax 0.75: charged 5.78; Odoo's 5.05 + 0.76 = 5.81.
    const order = chargedOrder('CAP-RND-4', 5, 3);
    await world!.world.call(world!.postOrder(order));
    await world!.world.call(world!.paymentWebhook(paymentEvent(order.ref, order.total)));
    await world!.world.run();

    expect(roundingLines(order.ref)).toEqual([]);
    expect(world!.logistics.byRef(order.ref)).toEqual([]);
    expect(invoices(order.ref)).toEqual([]);
    const [deadLetter] = world!.events('deadletter', order.ref);
    expect(deadLetter?.data?.error).toMatch(/totals 5\.81 but the storefront charged 5\.78: 0\.03 is more than the 1-cent rounding tolerance/);
  });
});
