/**
 * How many orders per second of wall time the resilient middleware carries
 * end to end in sim mode: order accepted, sale order created and confirmed,
 * shipment booked, payment and four shipment webhooks, delivery validated,
 * invoice posted, payment registered. Prints figures; asserts nothing.
 *
 *   node middleware/bench/resilient-throughput.ts [orders=2000] [odoo=fake|emulator] [store=memory|file] [transport=jsonrpc|xmlrpc]
 */
import { createResilientMiddleware } from '../resilient/index.ts';
import { paymentEvent, sampleOrder, shipmentEvent, TestWorld, URLS } from '../test/test-world.ts';
import type { SystemContext, SystemFactory } from '../../harness/core/system.ts';
import { createOdooClient } from '../../harness/odoo/client.ts';
import { bootstrapOdoo } from '../../harness/odoo/bootstrap.ts';
import { createOdooEmulator } from '../../simulators/odoo/index.ts';
import type { OdooEmulator } from '../../simulators/odoo/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const orders = Number(process.argv[2] ?? 2000);
const odooKind = process.argv[3] ?? 'fake';
const storeKind = process.argv[4] ?? 'memory';
const transport = process.argv[5] ?? 'jsonrpc';
const ratePerSecond = 2000;

async function main(): Promise<void> {
  const dataDir = storeKind === 'file' ? mkdtempSync(join(tmpdir(), 'faultline-bench-')) : undefined;
  let emulator: OdooEmulator | undefined;
  const world = new TestWorld(createResilientMiddleware as SystemFactory, {
    config: { concurrency: 64, reconcileIntervalMs: 3_600_000, odooTransport: transport },
    ...(dataDir !== undefined && { dataDir }),
    ...(odooKind === 'emulator' && { odoo: (context: SystemContext) => (emulator = createOdooEmulator(context, { db: 'faultline', accessLogLimit: 0 })) }),
  });
  if (emulator !== undefined) {
    const admin = createOdooClient({ url: URLS.odoo, db: 'faultline', login: 'admin', password: 'admin', fetch: world.net.fetchFor('harness'), timeoutMs: 30_000 });
    await world.drive(bootstrapOdoo(admin));
  }
  await world.boot();
  const odooCalls = () => world.net.exchanges.filter((e) => e.from === 'middleware' && e.url.startsWith(URLS.odoo)).length;
  const skus = odooKind === 'emulator' ? ['FL-STOCK-01', 'FL-STOCK-02'] : ['FL-STOCK-01', 'FL-CONSU-01'];

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < orders; i++) {
    const ref = `CAP-${String(i + 1).padStart(6, '0')}`;
    const order = sampleOrder(ref, i % 3 === 0 ? skus.slice(0, 1) : skus);
    world.scheduler.setTimer((i * 1000) / ratePerSecond, () => {
      void world.postOrder(order).then(() => world.paymentWebhook(paymentEvent(ref, order.total)));
    });
    // The 3PL's events, a little later; the shipment id is known once the middleware booked it.
    world.scheduler.setTimer((i * 1000) / ratePerSecond + 500, () => {
      const [shipment] = world.logistics.byRef(ref);
      if (shipment === undefined) return;
      let chain: Promise<unknown> = Promise.resolve();
      for (const [seq, status] of [[1, 'picked'], [2, 'packed'], [3, 'shipped'], [4, 'delivered']] as const) {
        chain = chain.then(() => world.logisticsWebhook(shipmentEvent(ref, shipment.shipmentId, seq, status)));
      }
    });
  }
  await world.net.run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const settled =
    emulator === undefined
      ? new Set(world.odoo.payments.map((p) => p.memo)).size
      : (emulator.execute('account.move', 'search_count', [[['move_type', '=', 'out_invoice'], ['payment_state', '=', 'paid']]]) as number);
  const saleOrders = emulator === undefined ? world.odoo.orders.length : (emulator.execute('sale.order', 'search_count', [[]]) as number);
  await world.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
  const heapMb = process.memoryUsage().heapUsed / 1e6;
  console.log(`resilient middleware, sim mode, odoo=${odooKind} over ${transport}, store=${storeKind}, ${orders} orders`);
  console.log(`  settled (invoice posted and paid): ${settled}/${orders}; sale orders: ${saleOrders}; shipments: ${world.logistics.shipments.length}; dead letters: ${world.events('deadletter').length}`);
  console.log(`  wall time ${seconds.toFixed(2)} s → ${(orders / seconds).toFixed(0)} orders/s end to end`);
  console.log(`  CPU time ${cpuSeconds.toFixed(2)} s → ${(orders / cpuSeconds).toFixed(0)} orders per CPU-second (${((cpuSeconds / orders) * 1000).toFixed(2)} ms per order, Odoo, fakes and network included)`);
  console.log(`  Odoo calls per order: ${(odooCalls() / orders).toFixed(1)}; messages total: ${world.net.exchanges.length}; heap ${heapMb.toFixed(0)} MB`);
}

await main();
