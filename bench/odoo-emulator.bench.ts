/**
 * The Odoo emulator's speed: in-process ORM calls (no codec), in-process
 * through handle(Request) with each codec, and over loopback HTTP.
 * Capacity model off. Run: node bench/odoo-emulator.bench.ts
 */
import { createOdooEmulator, type OdooEmulator } from '../simulators/odoo/index.ts';
import { serveOdoo } from '../harness/odoo/targets/serve-emulator.ts';
import { testContext } from '../simulators/odoo/test/context.ts';
import { pythonJson } from '../simulators/odoo/transport/python-json.ts';
import { decodeMethodResponse, encodeMethodCall } from '../harness/wire/xmlrpc.ts';
import { recordResults } from './results.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const ORDERS = 2000;
const ORDER_FIELDS = [
  'name',
  'state',
  'partner_id',
  'client_order_ref',
  'amount_untaxed',
  'amount_tax',
  'amount_total',
  'date_order',
  'invoice_status',
  'order_line',
  'user_id',
  'company_id',
  'currency_id',
  'picking_ids',
  'invoice_ids',
];

/** CPU seconds this process used (user + system): robust to other processes sharing the cores. */
function cpuSeconds(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
}

/** Calls per second of wall time and per second of this process's CPU time. */
function rate(label: string, fn: () => void): number {
  for (let i = 0; i < 200; i++) fn();
  const deadline = performance.now() + SECONDS * 1000;
  let n = 0;
  const start = performance.now();
  const cpuStart = cpuSeconds();
  while (performance.now() < deadline) {
    for (let i = 0; i < 50; i++) fn();
    n += 50;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  const perCpuSecond = n / (cpuSeconds() - cpuStart);
  console.log(
    `${label.padEnd(58)} ${Math.round(perSecond).toString().padStart(8)} /s wall ${Math.round(perCpuSecond).toString().padStart(8)} /s CPU  (${(1000 / perCpuSecond).toFixed(3)} ms CPU each)`,
  );
  return Math.round(perCpuSecond);
}

async function rateAsync(label: string, concurrency: number, fn: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 50; i++) await fn();
  const deadline = performance.now() + SECONDS * 1000;
  let n = 0;
  const start = performance.now();
  const cpuStart = cpuSeconds();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        await fn();
        n++;
      }
    }),
  );
  const perSecond = n / ((performance.now() - start) / 1000);
  const perCpuSecond = n / (cpuSeconds() - cpuStart);
  console.log(
    `${label.padEnd(58)} ${Math.round(perSecond).toString().padStart(8)} /s wall ${Math.round(perCpuSecond).toString().padStart(8)} /s CPU (client and server together)`,
  );
  return Math.round(perCpuSecond);
}

function prepare(emulator: OdooEmulator): { partner: number; product: number } {
  const partner = emulator.execute('res.partner', 'create', [{ name: 'Bench Customer', email: 'bench@example.com' }]) as number;
  const product = emulator.execute('product.product', 'create', [{ name: 'Bench Widget', type: 'consu', list_price: 12.5, default_code: 'BENCH-1' }]) as number;
  for (let i = 0; i < 1000; i++) emulator.execute('res.partner', 'create', [{ name: `Partner ${i}`, city: i % 2 ? 'Lyon' : 'Paris', ref: `P-${i}` }]);
  for (let i = 0; i < ORDERS; i++) {
    const so = emulator.execute('sale.order', 'create', [
      { partner_id: partner, client_order_ref: `CAP-${i}`, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] },
    ]) as number;
    emulator.execute('sale.order', 'action_confirm', [[so]]);
  }
  return { partner, product };
}

const emulator = createOdooEmulator(testContext(), { db: 'bench', accessLogLimit: 10_000 });
const { partner, product } = prepare(emulator);
const figures: Record<string, number> = {};

console.log(`in-process, ORM path (emulator.execute, no codec), ${SECONDS}s each`);
figures.searchReadPartnersPerSec = rate('search_read res.partner (10 rows x 6 fields of 1,007)', () => {
  emulator.execute('res.partner', 'search_read', [[['city', '=', 'Lyon']]], { fields: ['name', 'city', 'ref', 'email', 'parent_id', 'active'], limit: 10 });
});
figures.searchReadOrdersPerSec = rate(`search_read sale.order, newest 10 x 15 fields of ${ORDERS}`, () => {
  emulator.execute('sale.order', 'search_read', [[['state', '=', 'sale']]], { fields: ORDER_FIELDS, limit: 10 });
});
let ref = 0;
figures.searchReadByRefPerSec = rate(`search_read sale.order by client_order_ref (1 of ${ORDERS})`, () => {
  emulator.execute('sale.order', 'search_read', [[['client_order_ref', '=', `CAP-${ref++ % ORDERS}`]]], { fields: ORDER_FIELDS });
});
figures.createPartnerPerSec = rate('create res.partner', () => {
  emulator.execute('res.partner', 'create', [{ name: 'New', email: 'n@example.com' }]);
});
let k = 0;
figures.createConfirmPerSec = rate('sale.order create (1 line) + action_confirm', () => {
  const so = emulator.execute('sale.order', 'create', [
    { partner_id: partner, client_order_ref: `B-${k++}`, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] },
  ]) as number;
  emulator.execute('sale.order', 'action_confirm', [[so]]);
});

const fresh = createOdooEmulator(testContext(), { db: 'bench', accessLogLimit: 10_000 });
prepare(fresh);
const xmlBody = encodeMethodCall('execute_kw', [
  'bench',
  2,
  'admin',
  'sale.order',
  'search_read',
  [[['state', '=', 'sale']]],
  { fields: ORDER_FIELDS, limit: 10 },
]);
const jsonBody = pythonJson({
  jsonrpc: '2.0',
  method: 'call',
  id: 1,
  params: {
    service: 'object',
    method: 'execute_kw',
    args: ['bench', 2, 'admin', 'sale.order', 'search_read', [[['state', '=', 'sale']]], { fields: ORDER_FIELDS, limit: 10 }],
  },
});
console.log('\nin-process through handle(Request) (codec included, no sockets)');
figures.handleXmlRpcSearchReadPerSec = await rateAsync('XML-RPC search_read sale.order', 1, async () => {
  const response = await fresh.handle(new Request('http://odoo/xmlrpc/2/object', { method: 'POST', body: xmlBody }));
  decodeMethodResponse(await response.text());
});
figures.handleJsonRpcSearchReadPerSec = await rateAsync('JSON-RPC search_read sale.order', 1, async () => {
  const response = await fresh.handle(new Request('http://odoo/jsonrpc', { method: 'POST', body: jsonBody, headers: { 'content-type': 'application/json' } }));
  JSON.parse(await response.text());
});

console.log('\nover loopback HTTP (served emulator, client in the same process, 8 in flight)');
const served = await serveOdoo({ port: 0, db: 'bench', emulator: { accessLogLimit: 10_000 } });
prepare(served.emulator);
figures.loopbackXmlRpcPerSec = await rateAsync('XML-RPC search_read sale.order', 8, async () => {
  const response = await fetch(`${served.url}/xmlrpc/2/object`, {
    method: 'POST',
    body: xmlBody,
    headers: { 'content-type': 'text/xml' },
    signal: AbortSignal.timeout(10_000),
  });
  decodeMethodResponse(await response.text());
});
figures.loopbackJsonRpcPerSec = await rateAsync('JSON-RPC search_read sale.order', 8, async () => {
  const response = await fetch(`${served.url}/jsonrpc`, {
    method: 'POST',
    body: jsonBody,
    headers: { 'content-type': 'application/json' },
    signal: AbortSignal.timeout(10_000),
  });
  JSON.parse(await response.text());
});
await served.close();

console.log('\ncodec alone (sale.order search_read answer, 10 rows x 15 fields)');
const answer = fresh.execute('sale.order', 'search_read', [[['state', '=', 'sale']]], { fields: ORDER_FIELDS, limit: 10 });
const { encodeMethodResponse } = await import('../harness/wire/xmlrpc.ts');
const encoded = encodeMethodResponse(answer);
figures.codecEncodePerSec = rate('encode response (this codec)', () => void encodeMethodResponse(answer));
figures.codecDecodePerSec = rate('decode response (this codec)', () => void decodeMethodResponse(encoded));
const load = (await import('node:os')).loadavg();
console.log(`\nload average while measuring: ${load.map((x) => x.toFixed(1)).join(' ')} (figures are per CPU-second of this process)`);
// The machine is shared: the 1-minute load average says how crowded it was when these figures were taken.
figures.loadAverage1m = Math.round(load[0]! * 10) / 10;
recordResults('odoo-emulator', figures);
