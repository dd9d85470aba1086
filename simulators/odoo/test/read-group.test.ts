import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';
import { testContext } from './context.ts';

function shop() {
  const odoo = createOdooEmulator(testContext(), { db: 'odoo' });
  const call = (model: string, method: string, args: unknown[], kwargs: Record<string, unknown> = {}) => odoo.execute(model, method, args, kwargs);
  const a = call('res.partner', 'create', [{ name: 'Alpha' }]) as number;
  const b = call('res.partner', 'create', [{ name: 'Beta' }]) as number;
  const product = call('product.product', 'create', [{ name: 'P', type: 'consu', list_price: 10 }]) as number;
  for (const [partner, qty] of [
    [b, 1],
    [a, 2],
    [b, 3],
  ] as const) {
    call('sale.order', 'create', [{ partner_id: partner, client_order_ref: 'RG', order_line: [[0, 0, { product_id: product, product_uom_qty: qty }]] }]);
  }
  return { call, a, b };
}

describe('read_group', () => {
  it('groups by a many2one in the comodel order, with counts, sums and the domain of each group', () => {
    const { call, a, b } = shop();
    const groups = call('sale.order', 'read_group', [[['client_order_ref', '=', 'RG']], ['amount_untaxed:sum'], ['partner_id', 'state']]) as Array<
      Record<string, unknown>
    >;
    expect(groups).toEqual([
      {
        partner_id: [a, 'Alpha'],
        partner_id_count: 1,
        amount_untaxed: new PyFloat(20),
        __domain: ['&', ['client_order_ref', '=', 'RG'], ['partner_id', '=', a]],
        __context: { group_by: ['state'] },
      },
      {
        partner_id: [b, 'Beta'],
        partner_id_count: 2,
        amount_untaxed: new PyFloat(40),
        __domain: ['&', ['client_order_ref', '=', 'RG'], ['partner_id', '=', b]],
        __context: { group_by: ['state'] },
      },
    ]);
  });

  it('groups dates by month by default, with the range of each group', () => {
    const { call } = shop();
    const [group] = call('sale.order', 'read_group', [[], ['amount_total:max'], ['date_order']], { lazy: false }) as Array<Record<string, unknown>>;
    expect(group).toMatchObject({ __count: 3, amount_total: 34.5 });
    expect(String(group!['date_order'])).toMatch(/^[A-Z][a-z]+ \d{4}$/);
    expect(group!.__range).toEqual({
      date_order: { from: expect.stringMatching(/^\d{4}-\d\d-01 00:00:00$/), to: expect.stringMatching(/^\d{4}-\d\d-01 00:00:00$/) },
    });
  });

  it('refuses an unknown groupby field with ValueError', () => {
    const { call } = shop();
    expect(() => call('sale.order', 'read_group', [[], ['amount_total:sum'], ['nope']])).toThrow("Invalid field 'nope' on model 'sale.order'");
  });
});
