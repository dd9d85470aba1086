import { describe, expect, it } from 'vitest';
import { freshDatabase } from '../../business/test/database.ts';

type Row = Record<string, unknown>;

describe('ir.module.module', () => {
  it('lists the apps of a fresh database with sale_management, stock and account as installed', () => {
    const t = freshDatabase();
    const rows = t.call(
      'ir.module.module',
      'search_read',
      [[['name', 'in', ['sale_management', 'stock', 'account', 'base', 'product', 'uom', 'mail', 'sale_stock', 'purchase']]]],
      {
        fields: ['name', 'state', 'shortdesc'],
      },
    ) as Row[];
    const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
    for (const name of ['sale_management', 'stock', 'account', 'base', 'product', 'uom', 'mail', 'sale_stock'])
      expect(byName[name]).toMatchObject({ state: 'installed' });
    expect(byName.purchase).toMatchObject({ state: 'uninstalled', shortdesc: 'Purchase' });
    expect(byName.account).toMatchObject({ shortdesc: 'Invoicing' });
    expect(t.call('ir.module.module', 'search_count', [[['name', '=', 'quality_control']]])).toBe(0);
  });

  it('installs a module with its dependencies and auto-installed bridges, and says to reload', () => {
    const t = freshDatabase();
    const [purchase] = t.call('ir.module.module', 'search', [[['name', '=', 'purchase']]]) as number[];
    expect(t.call('ir.module.module', 'button_immediate_install', [[purchase]])).toEqual({
      type: 'ir.actions.client',
      tag: 'reload',
      params: { menu_id: false },
    });
    const states = t.call('ir.module.module', 'search_read', [[['name', 'in', ['purchase', 'purchase_stock', 'sale_purchase', 'mrp']]]], {
      fields: ['name', 'state'],
    }) as Row[];
    expect(Object.fromEntries(states.map((r) => [r.name, r.state]))).toEqual({
      purchase: 'installed',
      purchase_stock: 'installed',
      sale_purchase: 'installed',
      mrp: 'uninstalled',
    });
    // Installing again changes nothing.
    t.call('ir.module.module', 'button_immediate_install', [[purchase]]);
    expect(
      t.call('ir.module.module', 'search_count', [
        [
          ['state', '=', 'installed'],
          ['name', '=like', 'purchase%'],
        ],
      ]),
    ).toBe(2);
  });

  it('refuses to delete an installed module or to uninstall one', () => {
    const t = freshDatabase();
    const [stock] = t.call('ir.module.module', 'search', [[['name', '=', 'stock']]]) as number[];
    expect(t.fault('ir.module.module', 'unlink', [[stock]]).message).toBe('You are trying to remove a module that is installed or will be installed.');
    expect(t.fault('ir.module.module', 'button_immediate_uninstall', [[stock]]).faultCode).toBe(2);
  });
});

describe('ir.model.data', () => {
  it('creates, finds and removes external ids of any module', () => {
    const t = freshDatabase();
    const product = t.call('product.product', 'create', [{ name: 'Lamp', default_code: 'FL-1' }]) as number;
    const mark = t.call('ir.model.data', 'create', [
      { module: '__faultline__', name: 'product_product_fl_1', model: 'product.product', res_id: product, noupdate: true },
    ]) as number;
    expect(t.call('ir.model.data', 'search_read', [[['module', '=', '__faultline__']]], { fields: ['name', 'model', 'res_id', 'complete_name'] })).toEqual([
      { id: mark, name: 'product_product_fl_1', model: 'product.product', res_id: product, complete_name: '__faultline__.product_product_fl_1' },
    ]);
    expect(t.call('ir.model.data', 'check_object_reference', ['__faultline__', 'product_product_fl_1'])).toEqual(['product.product', product]);
    expect(t.call('ir.model.data', 'unlink', [[mark]])).toBe(true);
    expect(t.call('ir.model.data', 'search_count', [[['module', '=', '__faultline__']]])).toBe(0);
  });

  it('refuses a second external id with the same module and name, and names with spaces', () => {
    const t = freshDatabase();
    const vals = { module: '__faultline__', name: 'twice', model: 'res.partner', res_id: 1 };
    t.call('ir.model.data', 'create', [vals]);
    const duplicate = t.fault('ir.model.data', 'create', [vals]);
    expect([duplicate.faultCode, duplicate.message]).toEqual([
      2,
      'The operation cannot be completed: duplicate key value violates unique constraint "ir_model_data_module_name_uniq_index"\nDETAIL:  Key (module, name)=(__faultline__, twice) already exists.\n',
    ]);
    expect(t.fault('ir.model.data', 'create', [{ ...vals, name: 'with space' }]).message).toBe(
      'The operation cannot be completed: External IDs cannot contain spaces',
    );
    expect(t.call('ir.model.data', 'search_count', [[['module', '=', '__faultline__']]])).toBe(1);
  });
});
