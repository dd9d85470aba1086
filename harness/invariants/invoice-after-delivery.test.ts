import { describe, expect, it } from 'vitest';
import { invoiceAfterDelivery } from './invoice-after-delivery.ts';
import { captureOrder, HistoryBuilder, invoice, judge, namedOrders, picking, runInput, saleOrder, snapshot, T0 } from './test-fixtures.ts';

const lamp = captureOrder('CAP-000001', { lines: [{ sku: 'FL-STOCK-01', quantity: 1, unitPrice: 24.99 }] });
const tape = captureOrder('CAP-000002');

/** Odoo keeps date_done to the second. */
function secondOf(ms: number): number {
  return T0 + Math.floor(ms / 1000) * 1000;
}

/**
 * The 3PL delivered the lamp's parcel: at `seenAt` by the harness's clock (the
 * history; null: the history missed it) and at `stampedAt` by the 3PL's own.
 */
interface Parcel {
  seenAt: number | null;
  stampedAt: number;
}

function world(options: { postAt: number; doneAt: number | null; lines?: boolean; parcel?: Parcel }) {
  const history = new HistoryBuilder();
  const parcel = options.parcel;
  if (parcel !== undefined && parcel.seenAt !== null) {
    history.at(parcel.seenAt).event('logistics', 'shipment.status', 'CAP-000001', { shipmentId: 'shp_000001', seq: 1, status: 'delivered' });
  }
  if (options.doneAt !== null) history.at(options.doneAt).odoo({ model: 'stock.picking', method: 'button_validate', ids: [11], corr: 'CAP-000001' });
  history.at(options.postAt).odoo({ model: 'account.move', method: 'action_post', ids: [21], corr: 'CAP-000001' });
  history.at(100).odoo({ model: 'account.move', method: 'action_post', ids: [22], corr: 'CAP-000002' });
  for (const [i, e] of history.events.sort((a, b) => a.t - b.t).entries()) e.seq = i;
  return runInput({
    history: history.events,
    ledgers: {
      capture: { orders: [lamp, tape] },
      ...(parcel !== undefined && {
        logistics: {
          shipments: [
            {
              shipmentId: 'shp_000001',
              orderRef: 'CAP-000001',
              trackingNumber: 'FLT1',
              createdAt: new Date(T0).toISOString(),
              lines: [{ sku: 'FL-STOCK-01', quantity: 1 }],
              status: 'delivered',
              timeline: [{ seq: 1, status: 'delivered', at: new Date(T0 + parcel.stampedAt).toISOString() }],
              deliveries: [],
            },
          ],
        },
      }),
    },
    odoo: snapshot({
      saleOrders: [saleOrder(1, 'CAP-000001'), saleOrder(2, 'CAP-000002')],
      pickings: [picking(11, 1, options.doneAt === null ? {} : { state: 'done', doneAt: secondOf(options.doneAt) })],
      invoices: [invoice(21, 'CAP-000001'), invoice(22, 'CAP-000002')],
      invoiceLines:
        options.lines === false
          ? null
          : [
              { id: 1, moveId: 21, productId: 103, quantity: 1 },
              { id: 2, moveId: 22, productId: 101, quantity: 2 },
            ],
      products: [
        { id: 101, defaultCode: 'FL-CONSU-01', invoicePolicy: 'order' },
        { id: 103, defaultCode: 'FL-STOCK-01', invoicePolicy: 'delivery' },
      ],
    }),
  });
}

describe('invoice-after-delivery', () => {
  it('passes when the delivery-policy invoice is posted after its picking is done, and ignores order-policy invoices', () => {
    const verdict = judge(invoiceAfterDelivery, world({ doneAt: 5_000, postAt: 9_000 }));
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain('1 posted invoice');
  });

  it('fails naming the order whose invoice was posted before its delivery', () => {
    const verdict = judge(invoiceAfterDelivery, world({ doneAt: 9_000, postAt: 5_000 }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.records).toContainEqual({ model: 'account.move', id: 21 });
    expect(verdict.examples[0]!.records).toContainEqual({ model: 'stock.picking', id: 11 });
  });

  it('sees a posting earlier in the same second as the validation that finished the delivery', () => {
    const verdict = judge(invoiceAfterDelivery, world({ doneAt: 9_700, postAt: 9_300 }));
    expect(verdict.verdict).toBe('fail');
  });

  it('fails when the invoice is posted and the delivery never done', () => {
    const verdict = judge(invoiceAfterDelivery, world({ doneAt: null, postAt: 5_000 }));
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('no done delivery');
  });

  it('falls back to the capture ledger for the goods when Odoo does not serve invoice lines', () => {
    expect(judge(invoiceAfterDelivery, world({ doneAt: 9_000, postAt: 5_000, lines: false })).verdict).toBe('fail');
    expect(judge(invoiceAfterDelivery, world({ doneAt: 5_000, postAt: 9_000, lines: false })).verdict).toBe('pass');
  });

  it('is unknown when neither Odoo nor the capture ledger says what an invoice holds', () => {
    const input = world({ doneAt: 5_000, postAt: 9_000, lines: false });
    expect(judge(invoiceAfterDelivery, { ...input, ledgers: {} }).verdict).toBe('unknown');
  });

  it('judges by invoice date when the history has no posting call', () => {
    const input = world({ doneAt: 2 * 86_400_000, postAt: 5_000 });
    const withoutPosting = { ...input, history: [...input.history].filter((e) => !(e.kind === 'odoo' && e.method === 'action_post')) };
    const verdict = judge(invoiceAfterDelivery, withoutPosting);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.message).toContain('dated 2026-01-05');
  });
});

describe('invoice-after-delivery with down payments', () => {
  it('counts a down payment on an order of delivered-quantity goods as billing those goods', () => {
    const input = world({ doneAt: 9_000, postAt: 5_000 });
    const odoo = input.odoo!;
    const downPayment = {
      ...input,
      odoo: {
        ...odoo,
        invoiceLines: [{ id: 1, moveId: 21, productId: 900, quantity: 1 }, ...odoo.invoiceLines!.slice(1)],
        products: [...odoo.products, { id: 900, defaultCode: null, invoicePolicy: 'order' }],
      },
    };
    const verdict = judge(invoiceAfterDelivery, downPayment);
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('FL-STOCK-01 by down payment');
  });

  it('lets a down payment on an order of ordered-quantity goods be posted at once', () => {
    const input = world({ doneAt: 9_000, postAt: 5_000 });
    const odoo = input.odoo!;
    const onTapeOnly = {
      ...input,
      odoo: {
        ...odoo,
        invoices: odoo.invoices.slice(1),
        invoiceLines: [{ id: 2, moveId: 22, productId: 900, quantity: 1 }],
        products: [{ id: 900, defaultCode: null, invoicePolicy: 'order' }],
      },
    };
    expect(judge(invoiceAfterDelivery, onTapeOnly).verdict).toBe('pass');
  });
});

describe('invoice-after-delivery with a rounding difference', () => {
  it('does not take a rounding-difference line for a down payment on the goods still to deliver', () => {
    const input = world({ doneAt: 9_000, postAt: 5_000 });
    const odoo = input.odoo!;
    const roundingOnly = {
      ...input,
      odoo: {
        ...odoo,
        invoiceLines: [{ id: 1, moveId: 21, productId: 950, quantity: 1 }, ...odoo.invoiceLines!.slice(1)],
        products: [...odoo.products, { id: 950, defaultCode: 'FL-ROUNDING', invoicePolicy: 'order' }],
      },
    };
    expect(judge(invoiceAfterDelivery, roundingOnly).verdict).toBe('pass');
  });

  it("judges the 3PL's delivery by the harness's clock, not by the 3PL's own, which a clock skew moves", () => {
    // The 3PL's clock runs 2 s ahead: it stamps the delivery at 10 s, after the posting at 9 s, though it happened at 8 s.
    const skewed = judge(invoiceAfterDelivery, world({ doneAt: 5_000, postAt: 9_000, parcel: { seenAt: 8_000, stampedAt: 10_000 } }));
    expect(skewed.verdict).toBe('pass');
    const early = judge(invoiceAfterDelivery, world({ doneAt: 5_000, postAt: 9_000, parcel: { seenAt: 9_500, stampedAt: 7_500 } }));
    expect(early.verdict).toBe('fail');
    expect(early.examples[0]!.message).toContain('but the 3PL delivered shp_000001');
  });

  it("falls back to the 3PL's own stamp for a delivery the history did not see", () => {
    const verdict = judge(invoiceAfterDelivery, world({ doneAt: 5_000, postAt: 9_000, parcel: { seenAt: null, stampedAt: 10_000 } }));
    expect(verdict.verdict).toBe('fail');
  });

  it('still fails a goods invoice posted before delivery when it also holds a rounding line', () => {
    const input = world({ doneAt: 9_000, postAt: 5_000 });
    const odoo = input.odoo!;
    const withRounding = {
      ...input,
      odoo: {
        ...odoo,
        invoiceLines: [...odoo.invoiceLines!, { id: 3, moveId: 21, productId: 950, quantity: 1 }],
        products: [...odoo.products, { id: 950, defaultCode: 'FL-ROUNDING', invoicePolicy: 'order' }],
      },
    };
    const verdict = judge(invoiceAfterDelivery, withRounding);
    expect(namedOrders(verdict)).toEqual(['CAP-000001']);
    expect(verdict.examples[0]!.message).toContain('(FL-STOCK-01)');
  });
});
