import { DEFAULT_SIM_EPOCH_MS } from '../harness/core/clock.ts';
import type { HistoryEvent } from '../harness/core/history.ts';
import { buildHistoryIndex, builtInInvariants, checkInvariants } from '../harness/invariants/index.ts';
import type { CaptureLedgerOrder } from '../harness/contracts/ledgers.ts';
import type { InvariantInput, OdooSnapshot } from '../harness/invariants/index.ts';

/**
 * Invariant checking speed: a synthetic, healthy history of about a million
 * events (an order-to-cash flow per order, with its network chatter), its
 * ledgers and Odoo snapshot, checked by all nine built-ins. Prints events per
 * second; writes nothing. Target: at least 1,000,000 events/s, linear in size.
 *
 * Checking costs per history event (the index) and per order (the Odoo
 * snapshot, the per-order checks), so the events per order matter. A sim run
 * of happy-path had about 150 (naive) and 780 (resilient); the default here,
 * about 260, sits between; BENCH_CHATTER=0 gives the worst case, 84.
 *
 *   node bench/invariants.bench.ts                      # 1,000,000 events
 *   BENCH_EVENTS=250000 BENCH_CHATTER=0 node bench/invariants.bench.ts
 */
const TARGET_EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);
/** Extra request/delivery/response exchanges per order (polling, retries, reads), beyond the flow's own. */
const CHATTER = Number(process.env.BENCH_CHATTER ?? 60);
const MIDDLEWARE = 'faultline-middleware';
const SHIPMENT_STATES = ['picked', 'packed', 'shipped', 'in_transit', 'out_for_delivery', 'delivered'];

function synthesize(targetEvents: number): InvariantInput {
  const history: HistoryEvent[] = [];
  let t = DEFAULT_SIM_EPOCH_MS;
  let req = 0;
  const odoo: OdooSnapshot = {
    saleOrders: [],
    pickings: [],
    invoices: [],
    invoiceLines: [],
    payments: [],
    products: [{ id: 1, defaultCode: 'FL-STOCK-01', invoicePolicy: 'delivery' }],
    users: [
      { id: 2, login: 'admin' },
      { id: 7, login: MIDDLEWARE },
    ],
    notes: [],
  };
  const orders: CaptureLedgerOrder[] = [];
  const payments: { paymentId: string; orderRef: string; amount: number; currency: string; status: string; capturedAt: string; refunded: number }[] = [];
  const shipments: {
    shipmentId: string;
    orderRef: string;
    trackingNumber: string;
    createdAt: string;
    lines: [];
    status: string;
    timeline: [];
    deliveries: [];
  }[] = [];

  const push = (event: Record<string, unknown>): void => {
    t += 7;
    history.push({ seq: history.length, t, ...event } as HistoryEvent);
  };
  const exchange = (from: string, to: string, path: string, corr: string): void => {
    const id = ++req;
    push({ kind: 'send', req: id, from, to, method: 'POST', path, corr, attempt: 1 });
    push({ kind: 'deliver', req: id });
    push({ kind: 'response', req: id, status: 200, outcome: 'ok' });
  };
  const call = (model: string, method: string, corr: string, ids?: number[]): void => {
    exchange('middleware', 'odoo', '/jsonrpc', corr);
    push({ kind: 'odoo', principal: MIDDLEWARE, model, method, outcome: 'ok', ...(ids !== undefined && { ids }), corr });
  };

  for (let n = 1; history.length < targetEvents; n++) {
    const ref = `CAP-${String(n).padStart(6, '0')}`;
    const at = new Date(t).toISOString();
    orders.push({
      ref,
      placedAt: at,
      currency: 'USD',
      lines: [{ sku: 'FL-STOCK-01', quantity: 2, unitPrice: 24.99 }],
      taxRate: 0.15,
      total: 57.48,
      acknowledged: true,
      attempts: [{ attempt: 1, at, idempotencyKey: ref, outcome: 'ok', status: 202 }],
      paymentId: `pay_${n}`,
      cancelled: false,
    });
    push({ kind: 'event', system: 'capture', name: 'order.placed', corr: ref, data: { total: 57.48 } });
    exchange('capture', 'payment', '/payments', ref);
    push({ kind: 'event', system: 'payment', name: 'payment.captured', corr: ref, data: { paymentId: `pay_${n}`, amount: 57.48 } });
    payments.push({ paymentId: `pay_${n}`, orderRef: ref, amount: 57.48, currency: 'USD', status: 'captured', capturedAt: at, refunded: 0 });
    exchange('capture', 'middleware', '/orders', ref);
    push({ kind: 'event', system: 'capture', name: 'order.acknowledged', corr: ref });
    push({ kind: 'event', system: 'middleware', name: 'order.accepted', corr: ref });
    call('sale.order', 'search_read', ref);
    call('sale.order', 'create', ref, [n]);
    call('sale.order', 'action_confirm', ref, [n]);
    exchange('middleware', 'logistics', '/shipments', ref);
    for (let c = 0; c < CHATTER; c++) exchange('middleware', 'logistics', '/shipments', ref);
    for (let s = 0; s < SHIPMENT_STATES.length; s++) {
      push({
        kind: 'event',
        system: 'logistics',
        name: 'shipment.status',
        corr: ref,
        data: { shipmentId: `shp_${n}`, seq: s + 1, status: SHIPMENT_STATES[s] },
      });
      exchange('logistics', 'middleware', '/webhooks/logistics', ref);
      push({ kind: 'event', system: 'middleware', name: 'shipment.state', corr: ref, data: { shipmentId: `shp_${n}`, status: SHIPMENT_STATES[s] } });
    }
    shipments.push({
      shipmentId: `shp_${n}`,
      orderRef: ref,
      trackingNumber: `T${n}`,
      createdAt: at,
      lines: [],
      status: 'delivered',
      timeline: [],
      deliveries: [],
    });
    call('stock.picking', 'button_validate', ref, [n]);
    const doneAt = Math.floor(t / 1000) * 1000;
    call('sale.advance.payment.inv', 'create', ref, [n]);
    call('sale.advance.payment.inv', 'create_invoices', ref, [n]);
    t += 1000; // post in a later second than the delivery, as Odoo's dates can tell
    call('account.move', 'action_post', ref, [n]);
    push({ kind: 'event', system: 'middleware', name: 'invoice.posted', corr: ref });
    exchange('payment', 'middleware', '/webhooks/payment', ref);
    call('account.payment.register', 'create', ref, [n]);
    call('account.payment.register', 'action_create_payments', ref, [n]);
    push({ kind: 'event', system: 'middleware', name: 'payment.recorded', corr: ref, data: { paymentId: `pay_${n}` } });

    const uid = { createUid: 7, writeUid: 7, createdAt: t };
    odoo.saleOrders.push({
      id: n,
      name: `S${n}`,
      clientOrderRef: ref,
      state: 'sale',
      amountTotal: 57.48,
      amountUntaxed: 49.98,
      pickingIds: [n],
      invoiceIds: [n],
      ...uid,
    });
    odoo.pickings.push({ id: n, name: `WH/OUT/${n}`, state: 'done', doneAt, origin: `S${n}`, saleId: n, createUid: 7, writeUid: 7 });
    odoo.invoices.push({
      id: n,
      name: `INV/2026/${n}`,
      moveType: 'out_invoice',
      state: 'posted',
      paymentState: 'paid',
      amountTotal: 57.48,
      amountUntaxed: 49.98,
      ref,
      invoiceOrigin: `S${n}`,
      invoiceDate: '2026-01-05',
      ...uid,
    });
    odoo.invoiceLines!.push({ id: n, moveId: n, productId: 1, quantity: 2 });
    odoo.payments.push({
      id: n,
      name: `PBNK1/2026/${n}`,
      amount: 57.48,
      paymentType: 'inbound',
      state: 'posted',
      ref,
      isReconciled: true,
      reconciledInvoiceIds: [n],
      ...uid,
    });
  }
  return {
    history,
    ledgers: { capture: { orders }, payment: { payments, deliveries: [] }, logistics: { shipments } },
    odoo,
    options: { convergenceBoundMs: 3_600_000, middlewareLogin: MIDDLEWARE },
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

const input = synthesize(TARGET_EVENTS);
const events = input.history.length;
const orders = input.ledgers.capture!.orders.length;

const indexRates: number[] = [];
const checkRates: number[] = [];
const checkCpuRates: number[] = [];
let verdicts = checkInvariants(builtInInvariants, input);
for (let i = 0; i < REPEATS; i++) {
  let start = performance.now();
  buildHistoryIndex(input.history);
  indexRates.push(events / ((performance.now() - start) / 1000));
  // A fresh snapshot object each round, so its cached lookups are rebuilt and timed too.
  const round = { ...input, odoo: structuredClone(input.odoo) };
  const cpu = process.cpuUsage();
  start = performance.now();
  verdicts = checkInvariants(builtInInvariants, round);
  checkRates.push(events / ((performance.now() - start) / 1000));
  const used = process.cpuUsage(cpu);
  checkCpuRates.push(events / ((used.user + used.system) / 1e6));
}

const notPassing = verdicts.filter((v) => v.verdict !== 'pass');
console.log(
  `invariants: ${events.toLocaleString('en-US')} history events, ${orders.toLocaleString('en-US')} orders (${Math.round(events / orders)} events per order), median of ${REPEATS}`,
);
console.log(`  history index alone:        ${Math.round(median(indexRates)).toLocaleString('en-US')} events/s`);
console.log(
  `  all nine built-in checks:   ${Math.round(median(checkRates)).toLocaleString('en-US')} events/s of wall time (index, snapshot lookups and every check included)`,
);
// On a shared machine the wall figure drops with other load; CPU time is what one core spends.
console.log(`                              ${Math.round(median(checkCpuRates)).toLocaleString('en-US')} events/s of CPU time`);
if (notPassing.length > 0) {
  console.log(`  unexpected verdicts on the healthy history: ${notPassing.map((v) => `${v.name}=${v.verdict} (${v.summary})`).join('; ')}`);
  process.exitCode = 1;
}
