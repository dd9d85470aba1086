import { describe, expect, it } from 'vitest';
import { bootstrapOdoo, ROUNDING_PRODUCT_CODE } from '../bootstrap.ts';
import { createOdooClient } from '../client.ts';
import { CATALOGUE } from '../../world/catalogue.ts';
import { createFakeOdooHandler, fetchTo, FakeOdooFault } from './fake-odoo-server.ts';

type Row = Record<string, unknown> & { id: number };

/** Just enough of Odoo's generic ORM for the bootstrap: tables, `=`/`in` domains, and the stock and login side effects. */
function tableOdoo() {
  const tables: Record<string, Row[]> = {
    'res.users': [{ id: 2, login: 'admin', password: 'admin', active: true }],
    'account.tax': [{ id: 1, type_tax_use: 'sale', amount_type: 'percent', amount: 15, name: '15%' }],
    'product.product': [],
    'stock.warehouse': [{ id: 1, lot_stock_id: [8, 'WH/Stock'] }],
    'stock.quant': [],
    'account.payment.term': [],
  };
  let nextId = 100;
  const writes: string[] = [];
  const matches = (row: Row, domain: unknown[][]) =>
    domain.every(([f, op, v]) => (op === '=' ? row[f as string] === v : op === 'in' ? (v as unknown[]).includes(row[f as string]) : false));
  const pick = (row: Row, fields?: string[]) => (fields === undefined ? row : Object.fromEntries([['id', row.id], ...fields.map((f) => [f, row[f] ?? false])]));
  const handler = createFakeOdooHandler((call) => {
    if (call.service === 'common' && call.method === 'authenticate') {
      const [, login, password] = call.args as string[];
      return tables['res.users']!.find((u) => u.login === login && u.password === password && u.active === true)?.id ?? false;
    }
    const [, uid, , model, method, args = [], kwargs = {}] = call.args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (uid !== 2) throw new FakeOdooFault(3, 'Access Denied');
    const table = tables[model];
    if (table === undefined) throw new FakeOdooFault(2, `Object ${model} doesn't exist`);
    switch (method) {
      case 'search':
        return table
          .filter((r) => matches(r, args[0] as unknown[][]))
          .map((r) => r.id)
          .slice(0, (kwargs.limit as number) ?? undefined);
      case 'search_read':
        return table
          .filter((r) => matches(r, args[0] as unknown[][]))
          .slice(0, (kwargs.limit as number) ?? undefined)
          .map((r) => pick(r, kwargs.fields as string[]));
      case 'read':
        return table.filter((r) => (args[0] as number[]).includes(r.id)).map((r) => pick(r, (args[1] ?? kwargs.fields) as string[]));
      case 'create': {
        const vals = { ...(args[0] as Record<string, unknown>) };
        if (model === 'product.product') {
          vals.taxes_id = (vals.taxes_id as [number, number, number[]][])[0]![2];
          vals.qty_available = 0;
        }
        const row = { id: ++nextId, active: true, ...vals };
        table.push(row);
        writes.push(`create ${model}`);
        return row.id;
      }
      case 'write': {
        for (const row of table.filter((r) => (args[0] as number[]).includes(r.id))) Object.assign(row, args[1]);
        writes.push(`write ${model}`);
        return true;
      }
      case 'action_apply_inventory': {
        for (const quant of table.filter((r) => (args[0] as number[]).includes(r.id))) {
          const product = tables['product.product']!.find((p) => p.id === quant.product_id)!;
          product.qty_available = quant.inventory_quantity;
        }
        writes.push('apply inventory');
        return undefined;
      }
    }
    throw new FakeOdooFault(1, `AttributeError: The method '${method}' does not exist on the model '${model}'`);
  });
  return { tables, writes, handler };
}

for (const transport of ['jsonrpc', 'xmlrpc'] as const) {
  describe(`bootstrapOdoo over ${transport}`, () => {
    it('creates the catalogue, stock, a payment term and the integration user, and changes nothing when run again', async () => {
      const odoo = tableOdoo();
      const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', transport, fetch: fetchTo(odoo.handler) });
      const first = await bootstrapOdoo(admin);
      expect(Object.keys(first.productIds).sort()).toEqual(CATALOGUE.map((p) => p.sku).sort());
      expect(first.saleTaxId).toBe(1);
      const lamp = odoo.tables['product.product']!.find((p) => p.default_code === 'FL-STOCK-01')!;
      expect(lamp).toMatchObject({ detailed_type: 'product', invoice_policy: 'delivery', list_price: 24.99, taxes_id: [1], qty_available: 100000 });
      expect(odoo.tables['res.users']!.find((u) => u.login === 'faultline-middleware')).toMatchObject({ password: 'faultline' });
      expect(first.changes.length).toBeGreaterThan(0);

      const writesBefore = odoo.writes.length;
      const second = await bootstrapOdoo(admin);
      expect(second.changes).toEqual([]);
      expect(odoo.writes.length).toBe(writesBefore);
      expect(second.productIds).toEqual(first.productIds);
    });

    it('creates the rounding-difference product untaxed, as a service invoiced on order, outside the catalogue ids', async () => {
      const odoo = tableOdoo();
      const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', transport, fetch: fetchTo(odoo.handler) });
      const result = await bootstrapOdoo(admin);
      const rounding = odoo.tables['product.product']!.find((p) => p.default_code === ROUNDING_PRODUCT_CODE)!;
      expect(rounding).toMatchObject({ detailed_type: 'service', invoice_policy: 'order', taxes_id: [] });
      expect(result.roundingProductId).toBe(rounding.id);
      expect(result.productIds).not.toHaveProperty(ROUNDING_PRODUCT_CODE);
    });

    it('takes away a tax someone put on the rounding-difference product', async () => {
      const odoo = tableOdoo();
      const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', transport, fetch: fetchTo(odoo.handler) });
      await bootstrapOdoo(admin);
      const rounding = odoo.tables['product.product']!.find((p) => p.default_code === ROUNDING_PRODUCT_CODE)!;
      rounding.taxes_id = [1];
      const again = await bootstrapOdoo(admin);
      expect(again.changes).toEqual([`product ${ROUNDING_PRODUCT_CODE}: taxes_id`]);
      expect(rounding.taxes_id).toEqual([[6, 0, []]]);
    });

    it('repairs a product whose price drifted, and resets a password that no longer works', async () => {
      const odoo = tableOdoo();
      const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', transport, fetch: fetchTo(odoo.handler) });
      await bootstrapOdoo(admin);
      odoo.tables['product.product']!.find((p) => p.default_code === 'FL-CONSU-01')!.list_price = 9;
      odoo.tables['res.users']!.find((u) => u.login === 'faultline-middleware')!.password = 'changed';
      const again = await bootstrapOdoo(admin);
      expect(again.changes).toEqual(['product FL-CONSU-01: list_price', 'res.users faultline-middleware: password']);
    });
  });
}

describe('bootstrapOdoo on a bad catalogue', () => {
  it('refuses a catalogue that sells the rounding-difference product', async () => {
    const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', fetch: fetchTo(tableOdoo().handler) });
    await expect(bootstrapOdoo(admin, { catalogue: [{ ...CATALOGUE[0]!, sku: ROUNDING_PRODUCT_CODE }] })).rejects.toThrow(/keeps for rounding differences/);
  });

  it('refuses a sku listed twice', async () => {
    const admin = createOdooClient({ url: 'http://odoo.test', db: 'faultline', login: 'admin', password: 'admin', fetch: fetchTo(tableOdoo().handler) });
    await expect(bootstrapOdoo(admin, { catalogue: [CATALOGUE[0]!, CATALOGUE[0]!] })).rejects.toThrow(/twice/);
  });
});
