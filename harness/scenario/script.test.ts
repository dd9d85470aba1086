import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../engine/resolve-middleware.ts';
import { runScenario } from '../engine/run-scenario.ts';
import type { LogisticsLedger } from '../../simulators/logistics/provider.ts';
import type { PaymentLedger } from '../../simulators/payment/gateway.ts';
import type { Scenario } from './scenario.ts';
import { scenarioProblems } from './validate.ts';

const scripted: Scenario = {
  name: 'scripted',
  description: 'Two recorded orders, a payment webhook delivered twice and a parcel whose packed status arrives after shipped',
  orders: { count: 2 },
  script: {
    orders: [
      { ref: 'SHOP-1002', atMs: 1250, lines: [{ sku: 'FL-CONSU-01', quantity: 1 }] },
      {
        ref: 'SHOP-1001',
        atMs: 0,
        lines: [{ sku: 'FL-STOCK-01', quantity: 2, unitPrice: 24.99 }],
        customer: { name: 'Customer 1', email: 'customer1@example.invalid' },
      },
    ],
    payments: [
      { orderRef: 'SHOP-1001', type: 'payment.captured', atMs: 40, deliveredAtMs: [1100, 1900], retriedAtMs: [61_100] },
      { orderRef: 'SHOP-1002', type: 'payment.captured', atMs: 1300, deliveredAtMs: [1350], retriedAtMs: [5000] },
    ],
    shipments: [
      {
        orderRef: 'SHOP-1001',
        events: [
          { status: 'picked', atMs: 300_000, deliveredAtMs: [301_200] },
          { status: 'packed', atMs: 420_000, deliveredAtMs: [1_500_000] },
          { status: 'shipped', atMs: 900_000, deliveredAtMs: [901_000] },
          { status: 'in_transit', atMs: 1_000_000, deliveredAtMs: [1_000_500] },
          { status: 'out_for_delivery', atMs: 1_600_000, deliveredAtMs: [1_600_300] },
          { status: 'delivered', atMs: 1_700_000, deliveredAtMs: [1_700_400, 1_700_900] },
        ],
      },
      {
        orderRef: 'SHOP-1001',
        backorder: true,
        events: [
          { status: 'picked', atMs: 2_000_000, deliveredAtMs: [2_000_100] },
          { status: 'delivered', atMs: 2_500_000, deliveredAtMs: [2_500_100] },
        ],
      },
    ],
  },
  // The gateway's first delivery for SHOP-1001 fails, so its recorded redelivery is sent; SHOP-1002's first succeeds, so its is not.
  faults: [
    {
      link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' },
      kind: 'http-error',
      status: 503,
      schedule: { kind: 'window', fromMs: 1000, toMs: 1200 },
    },
  ],
};

async function run(scenario: Scenario, seed = 1) {
  const middleware = await resolveMiddleware('naive', process.cwd());
  return runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: 'naive', seed });
}

describe('a scenario with a recorded script', () => {
  it('places the recorded orders at their times and replays each recorded delivery at its time', async () => {
    const result = await run(scripted);
    const { capture } = result.observations.ledgers;
    // The ledgers as the simulators write them (the invariants' view types only what they judge).
    const payment = result.observations.ledgers.payment as unknown as PaymentLedger;
    const logistics = result.observations.ledgers.logistics as unknown as LogisticsLedger;
    const start = Date.parse(capture!.orders[0]!.placedAt);
    const ms = (iso: string) => Date.parse(iso) - start;
    expect(capture!.orders.map((o) => [o.ref, ms(o.placedAt), o.lines, o.customer?.name, o.acknowledged])).toEqual([
      ['SHOP-1001', 0, [{ sku: 'FL-STOCK-01', quantity: 2, unitPrice: 24.99 }], 'Customer 1', true],
      ['SHOP-1002', 1250, [{ sku: 'FL-CONSU-01', quantity: 1, unitPrice: 1.005 }], expect.any(String), true],
    ]);
    expect(payment.deliveries.map((d) => [d.orderRef, d.copy, d.attempt, ms(d.at), d.status])).toEqual([
      ['SHOP-1001', 0, 1, 1100, 503],
      ['SHOP-1002', 0, 1, 1350, 200],
      ['SHOP-1001', 1, 1, 1900, 200],
      ['SHOP-1001', 0, 2, 61_100, 200],
    ]);
    const [parcel, backorder, ...others] = logistics.shipments.filter((s) => s.orderRef === 'SHOP-1001');
    expect(others).toEqual([]);
    expect(backorder!.backorderOf).toBe(parcel!.shipmentId);
    expect([...parcel!.lines, ...backorder!.lines]).toEqual([
      { sku: 'FL-STOCK-01', quantity: 1 },
      { sku: 'FL-STOCK-01', quantity: 1 },
    ]);
    expect(backorder!.timeline.map((t) => [t.status, ms(t.at)])).toEqual([
      ['picked', 2_000_000],
      ['delivered', 2_500_000],
    ]);
    expect(parcel!.timeline.map((t) => [t.status, ms(t.at)])).toEqual([
      ['picked', 300_000],
      ['packed', 420_000],
      ['shipped', 900_000],
      ['in_transit', 1_000_000],
      ['out_for_delivery', 1_600_000],
      ['delivered', 1_700_000],
    ]);
    expect(parcel!.deliveries.map((d) => [d.shipmentStatus, ms(d.at)])).toEqual([
      ['picked', 301_200],
      ['shipped', 901_000],
      ['in_transit', 1_000_500],
      ['packed', 1_500_000],
      ['out_for_delivery', 1_600_300],
      ['delivered', 1_700_400],
      ['delivered', 1_700_900],
    ]);
  });

  it('loses the answers the script says were lost, for that order only: the storefront retries it', async () => {
    const lost: Scenario = {
      ...scripted,
      faults: [],
      script: { orders: scripted.script!.orders!.map((o) => (o.ref === 'SHOP-1002' ? { ...o, answersLost: 1 } : o)) },
    };
    const result = await run(lost);
    const attempts = result.observations.ledgers.capture!.orders.map((o) => [
      o.ref,
      (o as unknown as { attempts: Array<{ outcome: string }> }).attempts.map((a) => a.outcome),
    ]);
    expect(attempts).toEqual([
      ['SHOP-1001', ['ok']],
      ['SHOP-1002', ['no_answer', 'ok']],
    ]);
    const duplicates = result.invariants.find((v) => v.name === 'no-duplicate-orders')!;
    expect(duplicates.examples.map((e) => e.orderRef)).toEqual(['SHOP-1002']);
    expect([...result.history].filter((e) => e.kind === 'event' && e.name === 'order.answer-lost').map((e) => (e as { corr?: string }).corr)).toEqual([
      'SHOP-1002',
    ]);
  });

  it('declines a payment the script records as failed, and the storefront abandons that order', async () => {
    const declined: Scenario = {
      ...scripted,
      faults: [],
      script: { orders: scripted.script!.orders, payments: [{ orderRef: 'SHOP-1002', type: 'payment.failed', atMs: 1300, deliveredAtMs: [1350] }] },
    };
    const result = await run(declined);
    const payment = result.observations.ledgers.payment as unknown as PaymentLedger;
    expect(payment.payments.map((p) => [p.orderRef, p.status])).toEqual([
      ['SHOP-1001', 'captured'],
      ['SHOP-1002', 'failed'],
    ]);
    expect(result.observations.ledgers.capture!.orders.map((o) => [o.ref, o.acknowledged])).toEqual([
      ['SHOP-1001', true],
      ['SHOP-1002', false],
    ]);
  });

  it('gives the same history for the same seed', async () => {
    const [first, again] = [await run(scripted, 3), await run(scripted, 3)];
    expect(JSON.stringify(again.history)).toBe(JSON.stringify(first.history));
  });

  it('refuses live mode, saying why', async () => {
    const middleware = await resolveMiddleware('naive', process.cwd());
    await expect(runScenario(scripted, { mode: 'live', odoo: 'emulated', middleware, middlewareArg: 'naive' })).rejects.toThrow(
      /replays a recorded script .* sim mode only/,
    );
  });

  it('names each mistake in a script by its path', () => {
    const problems = scenarioProblems({
      name: 'bad-script',
      description: 'd',
      orders: { count: 3, ratePerSecond: 5 },
      script: {
        orders: [{ ref: 'A', atMs: 0, lines: [{ sku: 'NOT-SOLD', quantity: 1 }] }],
        payments: [{ orderRef: 'A', type: 'payment.captured', atMs: 100, deliveredAtMs: [50] }],
        shipments: [{ orderRef: 'A', events: [{ status: 'teleported', atMs: 0, deliveredAtMs: [] }] }],
        refunds: [],
      },
      systems: { capture: { script: [] } },
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      expect.stringMatching(/^script\.refunds: unknown key/),
      expect.stringMatching(/^systems\.capture\.script: is set by the run from script\.orders/),
      expect.stringMatching(/^script\.orders\[0\]\.lines\[0\]\.sku: must be a catalogue sku .* got "NOT-SOLD"/),
      expect.stringMatching(/^script\.payments\[0\]\.deliveredAtMs\[0\]: \(50\) is before the event happened/),
      expect.stringMatching(/^script\.shipments\[0\]\.events\[0\]\.status: must be one of picked, packed/),
    ]);
  });

  it('holds the load to the script: the count matches, generated-load knobs are refused, deliveries name scripted orders', () => {
    const problems = scenarioProblems({
      name: 'loose-script',
      description: 'd',
      orders: { count: 3, arrival: 'burst' },
      script: {
        orders: [
          { ref: 'A', atMs: 0, lines: [{ sku: 'FL-STOCK-01', quantity: 1 }] },
          { ref: 'A', atMs: 5, lines: [{ sku: 'FL-STOCK-01', quantity: 1 }] },
        ],
      },
    });
    expect(problems.map((p) => `${p.path}: ${p.message}`)).toEqual([expect.stringMatching(/^script\.orders\[1\]\.ref: "A" is also script\.orders\[0\]'s/)]);
    const more = scenarioProblems({
      name: 'loose-script',
      description: 'd',
      orders: { count: 3, arrival: 'burst' },
      script: {
        orders: [{ ref: 'A', atMs: 0, lines: [{ sku: 'FL-STOCK-01', quantity: 1 }] }],
        shipments: [{ orderRef: 'B', events: [{ status: 'picked', atMs: 0, deliveredAtMs: [0] }] }],
      },
    });
    expect(more.map((p) => `${p.path}: ${p.message}`)).toEqual([
      'orders.count: must be 1, the number of orders script.orders places (got 3)',
      'orders.arrival: has no effect with script.orders, which fixes each order and its arrival time; remove it',
      'script.shipments[0].orderRef: "B" is no order in script.orders: add the order, or leave out what it cannot receive',
    ]);
  });
});
