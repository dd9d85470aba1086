import { describe, expect, it } from 'vitest';
import { converges } from './converges.ts';
import { captureOrder, gatewayPayment, HistoryBuilder, judge, namedOrders, payment, runInput, saleOrder, snapshot } from './test-fixtures.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

interface Lags {
  /** From order.placed to the sale order's creation in Odoo. */
  order?: number;
  /** From the 3PL's delivered event to the middleware's view of it. */
  shipment?: number;
  /** From the invoice's posting to the payment's recording. */
  money?: number;
}

/** One order's life: placed at `start`, paid at once, delivered ten hours later, then invoiced and its payment recorded. */
function flow(history: HistoryBuilder, ref: string, id: number, start: number, lags: Lags = {}): Record<string, number> {
  const seqs: Record<string, number> = {};
  const at = (ms: number) => history.at(start + ms);
  seqs['placed'] = at(0).event('capture', 'order.placed', ref);
  at(500).event('payment', 'payment.captured', ref, { paymentId: `pay_${ref}`, amount: 2.31 });
  seqs['created'] = at(lags.order ?? SECOND).odoo({ model: 'sale.order', method: 'create', ids: [id], corr: ref });
  seqs['delivered'] = at(10 * HOUR).event('logistics', 'shipment.status', ref, { shipmentId: `shp_${ref}`, seq: 1, status: 'delivered' });
  seqs['seen'] = at(10 * HOUR + (lags.shipment ?? 2 * SECOND)).event('middleware', 'shipment.state', ref, { shipmentId: `shp_${ref}`, status: 'delivered' });
  seqs['posted'] = at(11 * HOUR).event('middleware', 'invoice.posted', ref);
  seqs['recorded'] = at(11 * HOUR + (lags.money ?? 3 * SECOND)).event('middleware', 'payment.recorded', ref, { paymentId: `pay_${ref}` });
  return seqs;
}

/** Events of several orders interleave in a real history: order them by time and renumber. */
function sorted(history: HistoryBuilder, seqs: Record<string, number>[]): Record<string, number>[] {
  const order = history.events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  const renumber = new Map(order.map(({ i }, j) => [i, j]));
  history.events.splice(0, history.events.length, ...order.map(({ e }, j) => ({ ...e, seq: j })));
  return seqs.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, renumber.get(v)!])));
}

describe('converges', () => {
  it('passes when each fact is caught up within the bound, though the whole lifecycle takes hours', () => {
    const history = new HistoryBuilder();
    flow(history, 'CAP-000001', 1, 0);
    flow(history, 'CAP-000002', 2, MINUTE, { shipment: 5 * SECOND });
    sorted(history, []);
    const verdict = judge(converges, runInput({ history: history.events, options: { convergenceBoundMs: MINUTE } }));
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain(
      "slowest CAP-000002: the middleware's shipment view differed from the 3PL's for 5.0 s (shipment.status delivered → shipment.state delivered)",
    );
  });

  it('fails with the slowest orders first, each with the events that opened and closed its longest disagreement', () => {
    const history = new HistoryBuilder();
    flow(history, 'CAP-000001', 1, 0);
    const slowOrder = flow(history, 'CAP-000002', 2, 0, { order: 20 * MINUTE });
    const lostWebhook = flow(history, 'CAP-000003', 3, 0, { shipment: 2 * HOUR });
    const [two, three] = sorted(history, [slowOrder, lostWebhook]);
    const verdict = judge(converges, runInput({ history: history.events, options: { convergenceBoundMs: 15 * MINUTE } }));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples.map((v) => v.orderRef)).toEqual(['CAP-000003', 'CAP-000002']);
    expect(verdict.examples[0]!.events).toEqual([three!['delivered'], three!['seen']]);
    expect(verdict.examples[1]!.events).toEqual([two!['placed'], two!['created']]);
    expect(verdict.examples[1]!.message).toBe('Odoo had no sale order for 20m 0s (order.placed → sale.order.create), over the 15m 0s bound');
  });

  it('measures money from the invoice it can be put on, not from the capture hours before', () => {
    const history = new HistoryBuilder();
    flow(history, 'CAP-000001', 1, 0, { money: 20 * MINUTE });
    const verdict = judge(converges, runInput({ history: history.events, options: { convergenceBoundMs: 15 * MINUTE } }));
    expect(verdict.examples[0]!.message).toContain('Odoo lacked the captured payment for 20m 0s (invoice.posted → payment.recorded)');
  });

  it('fails naming an order whose systems still disagree at the end, however fast it went', () => {
    const history = new HistoryBuilder();
    for (const [i, ref] of ['CAP-000001', 'CAP-000002'].entries()) flow(history, ref, i + 1, 0);
    sorted(history, []);
    const verdict = judge(
      converges,
      runInput({
        history: history.events,
        ledgers: {
          capture: { orders: [captureOrder('CAP-000001'), captureOrder('CAP-000002')] },
          payment: { payments: [gatewayPayment('CAP-000001', 2.31), gatewayPayment('CAP-000002', 2.31)], deliveries: [] },
        },
        odoo: snapshot({ saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002')], payments: [payment(31, 'CAP-000001', 2.31)] }),
        options: { convergenceBoundMs: HOUR },
      }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.message).toContain('never converged: gateway 2.31 vs Odoo 0.00');
  });

  it("fails when the middleware's last shipment state is not the 3PL's", () => {
    const history = new HistoryBuilder();
    flow(history, 'CAP-000001', 1, 0);
    const shipment = {
      shipmentId: 'shp_CAP-000001',
      orderRef: 'CAP-000001',
      trackingNumber: 'T',
      createdAt: '',
      lines: [],
      status: 'returned',
      timeline: [],
      deliveries: [],
    };
    const verdict = judge(
      converges,
      runInput({ history: history.events, ledgers: { logistics: { shipments: [shipment] } }, options: { convergenceBoundMs: HOUR } }),
    );
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('3PL says shp_CAP-000001 is returned, the middleware says delivered');
  });

  it('is unknown without a bound when every order agrees at the end', () => {
    const history = new HistoryBuilder();
    flow(history, 'CAP-000001', 1, 0, { order: 20 * MINUTE });
    const verdict = judge(converges, runInput({ history: history.events }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.summary).toContain('slowest CAP-000001');
  });
});

describe('converges without the ledgers to settle an open disagreement', () => {
  it('is unknown, naming the order, rather than passing', () => {
    const history = new HistoryBuilder();
    history.event('capture', 'order.placed', 'CAP-000001');
    history.event('capture', 'order.acknowledged', 'CAP-000001');
    const verdict = judge(converges, runInput({ history: history.events, options: { convergenceBoundMs: HOUR } }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.summary).toContain('CAP-000001 (order)');
  });
});
