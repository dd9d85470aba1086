import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

type Row = Record<string, unknown>;

function postedInvoice(s: ReturnType<typeof shop>): { invoice: number; line: number } {
  const order = s.order([[s.consumable, 2]]);
  s.confirm(order);
  const invoice = s.invoice(order);
  s.post(invoice);
  const line = (s.read('account.move', invoice, ['invoice_line_ids']).invoice_line_ids as number[])[0]!;
  return { invoice, line };
}

describe('edits of posted entries', () => {
  it('refuses new taxes on an item of a posted invoice, but not the same taxes written again', () => {
    const s = shop();
    const { line } = postedInvoice(s);
    const taxes = s.read('account.move.line', line, ['tax_ids']).tax_ids as number[];
    const fault = s.fault('account.move.line', 'write', [[line], { tax_ids: [[6, 0, []]] }]);
    expect([fault.faultCode, fault.message]).toEqual([2, MSG.postedTaxes]);
    expect(s.call('account.move.line', 'write', [[line], { tax_ids: [[6, 0, taxes]] }])).toBe(true);
  });

  it('lets the price of an unpaid posted invoice change, as Odoo does without lock dates, and the totals follow', () => {
    const s = shop();
    const { invoice, line } = postedInvoice(s);
    s.call('account.move.line', 'write', [[line], { price_unit: 20 }]);
    expect(s.read('account.move', invoice, ['amount_total', 'amount_residual'])).toMatchObject({ amount_total: 46, amount_residual: 46 });
  });

  it('refuses amount changes on a paid invoice, through its items or its invoice_line_ids', () => {
    const s = shop();
    const { invoice, line } = postedInvoice(s);
    s.pay(s.payWizard(invoice));
    const name = String(s.read('account.move', invoice, ['name']).name);
    const viaLine = s.fault('account.move.line', 'write', [[line], { quantity: 1 }]);
    expect([viaLine.faultCode, viaLine.message]).toEqual([2, MSG.reconciledEntry(name, invoice)]);
    expect(s.fault('account.move', 'write', [[invoice], { invoice_line_ids: [[1, line, { price_unit: 1 }]] }]).message).toBe(
      MSG.reconciledEntry(name, invoice),
    );
    expect(s.fault('account.move', 'write', [[invoice], { invoice_line_ids: [[0, 0, { name: 'extra', price_unit: 5, quantity: 1 }]] }]).message).toBe(
      MSG.reconciledEntry(name, invoice),
    );
    expect(s.fault('account.move.line', 'unlink', [[line]]).message).toBe(MSG.reconciledEntry(name, invoice));
    // A label is not an amount.
    expect(s.call('account.move.line', 'write', [[line], { name: 'Renamed' }])).toBe(true);
    expect(s.read('account.move', invoice, ['amount_total', 'payment_state'])).toMatchObject({ amount_total: 57.5, payment_state: 'paid' });
  });

  it('allows every edit again once the invoice is reset to draft', () => {
    const s = shop();
    const { invoice, line } = postedInvoice(s);
    s.pay(s.payWizard(invoice));
    s.call('account.move', 'button_draft', [[invoice]]);
    s.call('account.move.line', 'write', [[line], { quantity: 1, tax_ids: [[6, 0, []]] }]);
    expect(s.read('account.move', invoice, ['amount_total'])).toMatchObject({ amount_total: 25 });
  });
});

describe("char fields and [field, '=', False]", () => {
  // Odoo 17's expression.py turns (field, '=', False) into "field IS NULL" and stores '' as '', so an empty string is not False in a domain.
  it('matches NULL only, while != False keeps the empty strings', () => {
    const s = shop();
    const empty = s.call('res.partner', 'create', [{ name: 'Empty ref', ref: '' }]) as number;
    const unset = s.call('res.partner', 'create', [{ name: 'No ref' }]) as number;
    const set = s.call('res.partner', 'create', [{ name: 'Ref', ref: 'R1' }]) as number;
    const search = (leaf: unknown[]): unknown => s.call('res.partner', 'search', [[leaf, ['id', 'in', [empty, unset, set]]]]);
    expect(search(['ref', '=', false])).toEqual([unset]);
    expect(search(['ref', '!=', false])).toEqual([empty, set]);
    expect(search(['ref', '=', ''])).toEqual([empty]);
    expect(search(['ref', 'in', [false]])).toEqual([unset]);
    expect((s.call('res.partner', 'read', [[empty, unset]], { fields: ['ref'] }) as Row[]).map((r) => r.ref)).toEqual(['', false]);
  });

  it("finds invoices of orders without a customer reference by ref = '' and not by ref = False", () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    expect(
      s.call('account.move', 'search', [
        [
          ['ref', '=', false],
          ['id', '=', invoice],
        ],
      ]),
    ).toEqual([]);
    expect(
      s.call('account.move', 'search', [
        [
          ['ref', '=', ''],
          ['id', '=', invoice],
        ],
      ]),
    ).toEqual([invoice]);
  });
});
