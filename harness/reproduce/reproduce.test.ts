import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveMiddleware } from '../engine/resolve-middleware.ts';
import { runScenario } from '../engine/run-scenario.ts';
import { readEvidenceFile, readEvidenceText } from './read-evidence.ts';
import { inferScenario } from './infer.ts';
import { reproduce } from './reproduce.ts';
import { buildTimeline, renderTimeline } from './timeline.ts';
import { pseudonymise } from './pii.ts';
import { scenarioProblems } from '../scenario/validate.ts';
import { describeScript } from './script-from-evidence.ts';

const examples = join(import.meta.dirname, '..', '..', 'examples', 'incident');
const bundle = (name: string) =>
  readdirSync(join(examples, name))
    .sort()
    .map((f) => join(examples, name, f));
const shownAs = (path: string) => path.slice(examples.length + 1);

async function sampleTimeline() {
  const names = readdirSync(join(examples, 'samples')).sort();
  const readers = await Promise.all(names.map((n) => readEvidenceFile(join(examples, 'samples', n), n)));
  return buildTimeline(readers.flatMap((r) => r.events));
}

describe('the timeline and the inference over the samples', () => {
  it('shows two Odoo orders for one reference and an invoice posted before the delivery, citing the lines', async () => {
    const timeline = await sampleTimeline();
    expect(timeline.gaps.map((g) => `${g.orderRef} ${g.kind} [${g.evidence.map((c) => `${c.file}:${c.line}`).join(', ')}]`)).toEqual([
      'SHOP-1001 two-odoo-orders [middleware.jsonl:1, middleware.jsonl:2]',
      'SHOP-1001 invoice-before-delivery [middleware.jsonl:3, 3pl-status.jsonl:1]',
      'SHOP-1001 webhook-without-odoo-change [payment-events.jsonl:1]',
    ]);
    const text = renderTimeline(timeline);
    expect(text).toContain('2026-11-27T14:02:00.020Z  middleware middleware info order.accepted {"odoo_order_id":501}  [middleware.jsonl:1]');
    expect(text).toContain('! two-odoo-orders: 2 Odoo sale orders for one reference (ids 501, 502)');
  });

  it('infers each fault from its evidence, and replays what the script carries instead of inferring it as a fault', async () => {
    const inference = inferScenario(await sampleTimeline(), { name: 'sample-incident' });
    const shown = (list: ReadonlyArray<{ fault: object; evidence: Array<{ file: string; line: number }> }>) =>
      list.map((f) => ({ ...f.fault, evidence: f.evidence.map((c) => `${c.file}:${c.line}`) }));
    // The Odoo outage is a fault: nothing in the script makes Odoo answer 503.
    expect(shown(inference.faults)).toEqual([
      expect.objectContaining({ system: 'odoo', kind: 'outage', status: 503, evidence: ['odoo-access.jsonl:1', 'odoo-access.jsonl:2', 'odoo-access.jsonl:3'] }),
    ]);
    // The lost answer, the repeated and the reordered webhooks are in the script, order by order, delivery by delivery.
    const replayed = shown(inference.script!.shows);
    expect(replayed).toContainEqual(
      expect.objectContaining({
        link: { from: 'capture', to: 'middleware', path: '/orders' },
        kind: 'response-lost',
        evidence: ['capture-orders.json:2', 'middleware.jsonl:1'],
      }),
    );
    expect(replayed).toContainEqual(
      expect.objectContaining({ link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'reorder', windowMs: 1_205_000 }),
    );
    expect(replayed).toContainEqual(expect.objectContaining({ link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate' }));
    expect(replayed).toContainEqual(expect.objectContaining({ link: { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' }, kind: 'duplicate' }));
    const script = inference.scenario.script!;
    expect(script.orders!.find((o) => o.ref === 'SHOP-1001')).toMatchObject({ atMs: 0, answersLost: 1 });
    expect(inference.scenario.orders).toEqual({ count: script.orders!.length });
    expect(inference.violations.map((v) => `${v.invariant}: ${v.orders.join(', ')}`)).toEqual([
      'no-duplicate-orders: SHOP-1001',
      'invoice-after-delivery: SHOP-1001',
    ]);
    expect(inference.scenario.expect).toEqual({ naive: { fails: ['invoice-after-delivery', 'no-duplicate-orders'] } });
    expect(inference.insufficient.join('\n')).toMatch(/skus are not in the simulated catalogue/);
  });

  it('scripts each delivery as recorded: a repeat after a 2xx is a duplicate copy, a repeat after a failure a redelivery, a status out of order keeps its arrival time', async () => {
    const inference = inferScenario(await sampleTimeline(), { name: 'sample-incident' });
    const script = inference.script!;
    const cited = (evidence: ReadonlyArray<{ file: string; line: number }>) => evidence.map((c) => `${c.file}:${c.line}`);
    // evt_101 reached the middleware twice, both answered 200: a duplicate, two copies sent whatever happens.
    expect(script.payments.map((p) => ({ ...p.entry, evidence: cited(p.evidence) }))).toEqual([
      {
        orderRef: 'SHOP-1001',
        type: 'payment.captured',
        atMs: 10_000,
        deliveredAtMs: [11_000, 41_000],
        evidence: ['payment-events.jsonl:1', 'payment-events.jsonl:2'],
      },
      { orderRef: 'SHOP-1001', type: 'payment.captured', atMs: 10_000, deliveredAtMs: [41_000], evidence: ['stripe-events.json:4', 'stripe-events.json:11'] },
    ]);
    // packed reached the middleware after shipped; delivered came twice.
    expect(script.shipments.map((p) => ({ ...p.entry, shipmentId: p.shipmentId, cited: p.events.map(cited) }))).toEqual([
      {
        orderRef: 'SHOP-1001',
        shipmentId: 'SHP-77',
        events: [
          { status: 'picked', atMs: 4_080_000, deliveredAtMs: [4_082_000] },
          { status: 'packed', atMs: 4_680_000, deliveredAtMs: [5_885_000] },
          { status: 'shipped', atMs: 5_280_000, deliveredAtMs: [5_281_000] },
          { status: 'delivered', atMs: 71_880_000, deliveredAtMs: [71_883_000, 71_883_000] },
        ],
        cited: [['3pl-status.csv:2'], ['3pl-status.csv:3'], ['3pl-status.csv:4'], ['3pl-status.jsonl:1', '3pl-status.jsonl:2']],
      },
    ]);
    // SHOP-1001 is in both sample exports: one order, both records cited.
    expect(script.orders.map((o) => [o.entry.ref, o.entry.atMs, cited(o.evidence)])).toEqual([
      ['SHOP-1001', 0, ['capture-orders.csv:2', 'capture-orders.json:2']],
      ['SHOP-1002', 60_000, ['capture-orders.csv:4']],
    ]);
    expect(inference.insufficient.join('\n')).toMatch(
      /1 order references appear in more than one capture record \(SHOP-1001: capture-orders.csv:2, capture-orders.json:2\)/,
    );
    expect(scenarioProblems(inference.scenario)).toEqual([]);
  });

  it('replaces personal data with the same fake value wherever it appears', async () => {
    const timeline = await sampleTimeline();
    const events = pseudonymise(timeline.events);
    const text = JSON.stringify(events);
    expect(text).not.toContain('ada@example.org');
    expect(text).not.toContain('Ada Example');
    const fake = (events.find((e) => e.kind === 'order.placed' && e.customer !== undefined) as unknown as { customer: { email: string } }).customer.email;
    expect(text.split(fake).length - 1).toBeGreaterThanOrEqual(2);
  });

  it('leaves a price the export does not give to the catalogue, rather than charging 0', () => {
    const exported = readEvidenceText(
      'orders.json',
      JSON.stringify([{ order_ref: 'X-1', created_at: '2026-11-27T14:00:00Z', lines: [{ sku: 'FL-STOCK-01', quantity: 2 }] }]),
    );
    const inference = inferScenario(buildTimeline(exported.events), { name: 'no-prices' });
    expect(inference.scenario.script?.orders).toEqual([{ ref: 'X-1', atMs: 0, lines: [{ sku: 'FL-STOCK-01', quantity: 2 }] }]);
  });

  it('keeps a recorded total a cent off what Odoo computes (a drift to judge), and not one off by a tax set-up the simulation does not have', () => {
    const order = (ref: string, total: number) => ({
      order_ref: ref,
      created_at: '2026-11-27T14:00:00Z',
      total,
      lines: [{ sku: 'FL-STOCK-01', quantity: 2, unit_price: 24.99 }],
    });
    const exported = readEvidenceText('orders.json', JSON.stringify([order('SAME', 57.48), order('DRIFT', 57.47), order('APART', 60)]));
    const inference = inferScenario(buildTimeline(exported.events), { name: 'totals' });
    expect(inference.scenario.script?.orders?.map((o) => [o.ref, o.total])).toEqual([
      ['SAME', undefined],
      ['DRIFT', 57.47],
      ['APART', undefined],
    ]);
    expect(inference.insufficient).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^1 orders' recorded totals are a cent or two off .*\(DRIFT: 57\.47 recorded, 57\.48 computed\).*amounts-agree judges the drift$/,
        ),
        expect.stringMatching(
          /^1 orders' recorded totals differ .* by more than rounding \(APART: 60 recorded, 57\.48 computed\).*the script charges the computed totals$/,
        ),
      ]),
    );
  });

  it("writes fakes into the scenario's script, or with keepPii the customer as the evidence has it", async () => {
    const exportFile = [join(examples, 'samples', 'capture-orders.json')];
    const kept = await reproduce(exportFile, { name: 'kept', keepPii: true, seeds: 0 });
    expect(kept.scenario.script?.orders?.[0]?.customer).toEqual({ name: 'Ada Example', email: 'ada@example.org' });
    const faked = await reproduce(exportFile, { name: 'faked', seeds: 0 });
    expect(JSON.stringify(faked.scenario)).not.toMatch(/Ada Example|ada@example\.org/);
    expect(faked.scenario.script?.orders?.[0]?.customer?.email).toMatch(/@example\.(com|net|org)$/);
  });
});

describe('timing evidence', () => {
  const at = Date.parse('2026-11-27T14:00:00Z');
  const placed = (ref: string, offsetMs: number) => ({
    kind: 'order.placed' as const,
    system: 'capture' as const,
    file: 'orders.json',
    line: 1 + offsetMs / 1000,
    at: at + offsetMs,
    orderRef: ref,
    lines: [{ sku: 'FL-STOCK-01', quantity: 1, unitPrice: 24.99 }],
    attempts: [],
  });
  const request = (ref: string, offsetMs: number, ms: number, status = 200, line = 1) => ({
    kind: 'http.request' as const,
    system: 'http' as const,
    file: 'odoo-access.jsonl',
    line,
    at: at + offsetMs,
    orderRef: ref,
    method: 'POST',
    path: '/jsonrpc',
    status,
    requestTimeMs: ms,
  });

  it('infers latency on the Odoo link from slow request times, citing the slow requests', () => {
    const events = [
      placed('A', 0),
      placed('B', 10_000),
      ...[800, 900, 1000, 1200, 4000].map((ms, i) => request(i % 2 === 0 ? 'A' : 'B', 1000 + i * 100, ms, 200, i + 1)),
    ];
    const latency = inferScenario(buildTimeline(events), { name: 'slow' }).faults.find((f) => f.fault.kind === 'latency');
    expect(latency?.fault).toEqual({ link: { from: 'middleware', to: 'odoo', path: '/jsonrpc' }, kind: 'latency', meanMs: 1000, jitterMs: 3000 });
    expect(latency?.evidence.map((c) => c.line)).toEqual([3, 4, 5]);
  });

  it('infers a lost answer from the access log alone: the order submitted again after a 2xx', () => {
    const post = (line: number, offsetMs: number, status: number) => ({ ...request('A', offsetMs, 12, status, line), file: 'access.log', path: '/orders' });
    const events = [post(1, 0, 201), post(2, 5_000, 201), post(3, 20_000, 201), { ...request('B', 20_000, 12, 201, 3), file: 'access.log', path: '/orders' }];
    const lost = inferScenario(buildTimeline(events), { name: 'lost' }).faults.find((f) => f.fault.kind === 'response-lost');
    expect(lost?.why).toBe('1 order was submitted again after the middleware had answered them 2xx (access log) (a lost answer)');
    expect(lost?.evidence.map((c) => `${c.file}:${c.line}`)).toEqual(['access.log:1', 'access.log:2']);
  });

  it('says when a source runs ahead of the others instead of trusting its clock', () => {
    const events = [placed('A', 0), placed('B', 10_000), request('A', -3_600_000, 5), request('B', -3_590_000, 5)];
    expect(buildTimeline(events).skew).toEqual([
      "odoo-access.jsonl runs about 3600 s ahead of the capture export (its events for most orders precede the order); correct that source's clock, or the inferred timing is off by as much",
    ]);
  });

  it('says the evidence shows nothing broken, and runs the proof once', async () => {
    const r = await reproduce([join(examples, 'samples', 'capture-orders.csv')], { name: 'quiet', seeds: 5 });
    expect(r.inference.insufficient.join('\n')).toMatch(/the evidence shows no broken invariant/);
    expect(r.proof).toMatchObject({ seedsTried: 1, reproduced: false, expected: [] });
  });
});

describe('the worked examples reproduce their incidents from the bundle alone', () => {
  it('orders duplicated on Black Friday: the scenario fails no-duplicate-orders with naive and holds with resilient', async () => {
    const r = await reproduce(bundle('black-friday-duplicates'), { name: 'black-friday-duplicates', shownAs, seeds: 10 });
    expect(r.readers.map((x) => x.format)).toEqual(['3pl-csv', 'capture-json', 'access-combined', 'middleware-jsonl', 'access-json', 'stripe-events']);
    expect(r.readers.every((x) => x.ignored.length === 0)).toBe(true);
    // The four lost answers are the script's, for the four orders whose answers the evidence shows lost: no fault at random.
    expect(r.inference.faults).toEqual([]);
    expect(r.scenario.script!.orders!.filter((o) => o.answersLost !== undefined).map((o) => o.ref)).toEqual([
      'CAP-000002',
      'CAP-000005',
      'CAP-000011',
      'CAP-000018',
    ]);
    expect(r.scenario.script!.orders).toHaveLength(30);
    expect(describeScript(r.inference.script!)[0]).toBe(
      'script: 30 orders at their recorded times (4 with their lost answers), 30 payment events with each delivery, 31 parcels with 186 statuses and each delivery',
    );
    expect(r.proof?.reproduced).toBe(true);
    expect(r.proof?.seed).toBe(1);
    expect(r.proof?.failed).toEqual(expect.arrayContaining(['no-duplicate-orders']));
    // The same orders break the same invariants as in the evidence.
    expect(r.proof?.orders).toEqual([
      { invariant: 'no-duplicate-orders', evidence: 4, run: 4, sameOrders: true },
      { invariant: 'invoice-after-delivery', evidence: 2, run: 2, sameOrders: true },
    ]);
    const resilient = await runScenario(r.scenario, {
      mode: 'sim',
      odoo: 'emulated',
      middleware: await resolveMiddleware('resilient', process.cwd()),
      middlewareArg: 'resilient',
    });
    expect(resilient.invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name)).toEqual([]);
  });

  it('invoices posted before delivery: split parcels inferred from the 3PL feed fail invoice-after-delivery with naive, not with resilient', async () => {
    const r = await reproduce(bundle('invoices-before-delivery'), { name: 'invoices-before-delivery', shownAs, seeds: 10 });
    const knobs = r.inference.knobs.map((k) => `${k.system}.${k.path}=${JSON.stringify(k.value)}`);
    expect(knobs).toContain('logistics.partial.probability=0.8');
    expect(knobs).toContain('logistics.steps.shipped={"kind":"uniform","minMs":309000,"maxMs":1200000}');
    expect(r.inference.violations.map((v) => v.invariant)).toEqual(['invoice-after-delivery']);
    // Each split is the script's: the sixteen orders that left in two parcels, and only those, are split.
    expect(r.scenario.script!.shipments!.filter((p) => p.backorder === true)).toHaveLength(16);
    // A webhook the middleware failed (404: the order not yet in Odoo) is redelivered only if the replay fails it too.
    expect(r.scenario.script!.payments!.find((p) => p.orderRef === 'CAP-000011')).toMatchObject({ deliveredAtMs: [5193], retriedAtMs: [59_078] });
    expect(r.proof?.reproduced).toBe(true);
    // Exactly the evidence's failure: no knock-on failure from a replayed delivery the real middleware had refused.
    expect(r.proof?.failed).toEqual(['invoice-after-delivery']);
    expect(r.proof?.orders).toEqual([{ invariant: 'invoice-after-delivery', evidence: 16, run: 16 }]);
    const resilient = await runScenario(r.scenario, {
      mode: 'sim',
      odoo: 'emulated',
      middleware: await resolveMiddleware('resilient', process.cwd()),
      middlewareArg: 'resilient',
    });
    expect(resilient.invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name)).toEqual([]);
  });

  it('picks the same seed and the same history from the same evidence', async () => {
    const first = await reproduce(bundle('invoices-before-delivery'), { shownAs, seeds: 3 });
    const again = await reproduce(bundle('invoices-before-delivery'), { shownAs, seeds: 3 });
    expect(again.scenario).toEqual(first.scenario);
    expect(JSON.stringify(again.proof?.result.history)).toBe(JSON.stringify(first.proof?.result.history));
  });
});
