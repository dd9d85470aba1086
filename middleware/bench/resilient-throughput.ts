/**
 * How many orders per second of wall time the resilient middleware carries
 * end to end in sim mode, on the sim engine with the Odoo emulator: order
 * accepted, sale order created and confirmed, shipment booked, payment and
 * four shipment webhooks, delivery validated, invoice posted, payment
 * registered. Prints figures; asserts nothing.
 *
 *   node middleware/bench/resilient-throughput.ts [orders=2000] [store=memory|file] [transport=jsonrpc|xmlrpc]
 */
import { createResilientMiddleware } from '../resilient/index.ts';
import type { SystemFactory } from '../../harness/core/system.ts';
import { MiddlewareWorld, paymentEvent, sampleOrder, shipmentEvent } from '../../testing/middleware-world.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const orders = Number(process.argv[2] ?? 2000);
const storeKind = process.argv[3] ?? 'memory';
const transport = process.argv[4] ?? 'jsonrpc';
const ratePerSecond = 2000;

async function main(): Promise<void> {
  const dataDir = storeKind === 'file' ? mkdtempSync(join(tmpdir(), 'faultline-bench-')) : undefined;
  const w = await MiddlewareWorld.create(createResilientMiddleware as SystemFactory, {
    config: { concurrency: 64, reconcileIntervalMs: 3_600_000, odooTransport: transport },
    odoo: { accessLogLimit: 0 },
    ...(dataDir !== undefined && { dataDir }),
  });
  const { world } = w;
  const skus = ['FL-STOCK-01', 'FL-STOCK-02'];

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < orders; i++) {
    const ref = `CAP-${String(i + 1).padStart(6, '0')}`;
    const order = sampleOrder(ref, i % 3 === 0 ? skus.slice(0, 1) : skus);
    world.sim.scheduler.setTimer((i * 1000) / ratePerSecond, () => {
      void w.postOrder(order).then(() => w.paymentWebhook(paymentEvent(ref, order.total)));
    });
    // The 3PL's events, a little later; the shipment id is known once the middleware booked it.
    world.sim.scheduler.setTimer((i * 1000) / ratePerSecond + 500, () => {
      const [shipment] = w.logistics.byRef(ref);
      if (shipment === undefined) return;
      let chain: Promise<unknown> = Promise.resolve();
      for (const [seq, status] of [
        [1, 'picked'],
        [2, 'packed'],
        [3, 'shipped'],
        [4, 'delivered'],
      ] as const) {
        chain = chain.then(() => w.logisticsWebhook(shipmentEvent(ref, shipment.shipmentId, seq, status)));
      }
    });
  }
  await world.run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const settled = world.odoo.execute('account.move', 'search_count', [
    [
      ['move_type', '=', 'out_invoice'],
      ['payment_state', '=', 'paid'],
    ],
  ]) as number;
  const saleOrders = world.odoo.execute('sale.order', 'search_count', [[]]) as number;
  const odooCalls = world.sends('middleware', 'odoo').length;
  await w.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(`resilient middleware, sim mode, Odoo emulator over ${transport}, store=${storeKind}, ${orders} orders`);
  console.log(
    `  settled (invoice posted and paid): ${settled}/${orders}; sale orders: ${saleOrders}; shipments: ${w.logistics.shipments.length}; dead letters: ${w.events('deadletter').length}`,
  );
  console.log(`  wall time ${seconds.toFixed(2)} s → ${(orders / seconds).toFixed(0)} orders/s end to end`);
  console.log(
    `  CPU time ${cpuSeconds.toFixed(2)} s → ${(orders / cpuSeconds).toFixed(0)} orders per CPU-second (${((cpuSeconds / orders) * 1000).toFixed(2)} ms per order, Odoo, peers and network included)`,
  );
  console.log(`  Odoo calls per order: ${(odooCalls / orders).toFixed(1)}; messages total: ${world.sim.network.messages}; heap ${heapMb.toFixed(0)} MB`);
}

await main();
