import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { testContext } from './context.ts';

/** Runs one call as `uid` in-process and gives its result, or the error's class and text. */
function runner(odoo: ReturnType<typeof createOdooEmulator>) {
  return (uid: number, model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): unknown => {
    try {
      return odoo.execute(model, method, args, kwargs, { uid });
    } catch (error) {
      return { error: (error as Error).name, message: (error as Error).message };
    }
  };
}

function setUp() {
  const odoo = createOdooEmulator(testContext(), { db: 'odoo' });
  const call = runner(odoo);
  const group = (xmlid: string): number => {
    const [module, name] = xmlid.split('.');
    return (call(2, 'ir.model.data', 'check_object_reference', [module, name]) as [string, number])[1];
  };
  const user = (login: string, groups: string[] | undefined, email: string | false = false): number =>
    call(2, 'res.users', 'create', [
      { name: login, login, password: `${login}-pw-123`, email, ...(groups !== undefined ? { groups_id: [[6, 0, groups.map(group)]] } : {}) },
    ]) as number;
  return { odoo, call, group, user };
}

describe('access rights by group', () => {
  it('refuse a user without groups every partner read, naming the groups that may', () => {
    const { call, user } = setUp();
    const nobody = user('nobody', []);
    expect(call(nobody, 'res.partner', 'search', [[]])).toEqual({
      error: 'AccessError',
      message:
        "You are not allowed to access 'Contact' (res.partner) records.\n\nThis operation is allowed for the following groups:\n" +
        '\t- Extra Rights/Contact Creation\n\t- Inventory/Administrator\n\t- Invoicing/Billing Administrator\n\t- Sales/Administrator\n' +
        '\t- Sales/User: Own Documents Only\n\t- User types/Internal User\n\t- User types/Portal\n\t- User types/Public\n\n' +
        'Contact your administrator to request access if necessary.',
    });
  });

  it('let an internal user read partners but create them only with Contact Creation', () => {
    const { call, user } = setUp();
    const internal = user('internal', ['base.group_user']);
    expect(call(internal, 'res.partner', 'search', [[['id', '=', 1]]])).toEqual([1]);
    expect(call(internal, 'res.partner', 'create', [{ name: 'X' }])).toMatchObject({
      error: 'AccessError',
      message: expect.stringContaining("You are not allowed to create 'Contact' (res.partner) records."),
    });
    const creator = user('creator', ['base.group_user', 'base.group_partner_manager']);
    expect(typeof call(creator, 'res.partner', 'create', [{ name: 'X' }])).toBe('number');
  });

  it('give a new user the Default User Template groups, with the groups they imply', () => {
    const { call, user, group } = setUp();
    const fresh = user('fresh', undefined);
    const groups = (call(2, 'res.users', 'read', [[fresh]], { fields: ['groups_id', 'share'] }) as Array<{ groups_id: number[]; share: boolean }>)[0]!;
    for (const xmlid of [
      'base.group_user',
      'sales_team.group_sale_manager',
      'stock.group_stock_manager',
      'account.group_account_manager',
      'base.group_partner_manager',
    ]) {
      expect(groups.groups_id).toContain(group(xmlid));
    }
    expect(groups.groups_id).not.toContain(group('base.group_system'));
    expect(groups.share).toBe(false);
    const portal = user('portal', ['base.group_portal']);
    expect((call(2, 'res.users', 'read', [[portal]], { fields: ['share'] }) as Array<{ share: boolean }>)[0]!.share).toBe(true);
  });

  it('keep a salesman to their own orders: others are hidden from search and refused on read', () => {
    const { call, user } = setUp();
    const ann = user('ann', ['base.group_user', 'sales_team.group_sale_salesman']);
    const bob = user('bob', ['base.group_user', 'sales_team.group_sale_salesman']);
    const partner = call(2, 'res.partner', 'create', [{ name: 'Customer' }]) as number;
    const order = call(ann, 'sale.order', 'create', [{ partner_id: partner }]) as number;
    expect(call(ann, 'sale.order', 'search', [[]])).toEqual([order]);
    expect(call(bob, 'sale.order', 'search', [[]])).toEqual([]);
    expect(call(bob, 'sale.order', 'search_count', [[]])).toBe(0);
    const refused = {
      error: 'AccessError',
      message:
        'Uh-oh! Looks like you have stumbled upon some top-secret records.\n\nSorry, bob (id=' +
        bob +
        ") doesn't have 'read' access to:\n- Sales Order (sale.order)\n\n" +
        'If you really, really need access, perhaps you can win over your friendly administrator with a batch of freshly baked cookies.',
    };
    expect(call(bob, 'sale.order', 'read', [[order]], { fields: ['name'] })).toEqual(refused);
    expect(call(bob, 'sale.order', 'write', [[order], { note: 'x' }])).toEqual(refused);
    expect(call(bob, 'sale.order', 'action_confirm', [[order]])).toEqual(refused);
    const lead = user('lead', ['base.group_user', 'sales_team.group_sale_salesman_all_leads']);
    expect(call(lead, 'sale.order', 'search', [[]])).toEqual([order]);
  });

  it('answer check_access_rights by the groups, and assert the mode', () => {
    const { call, user } = setUp();
    const sally = user('sally', ['base.group_user', 'sales_team.group_sale_salesman']);
    expect(call(sally, 'account.payment', 'check_access_rights', ['create'], { raise_exception: false })).toBe(false);
    expect(call(sally, 'sale.order', 'check_access_rights', ['create'], { raise_exception: false })).toBe(true);
    expect(call(sally, 'sale.order', 'check_access_rights', ['fly'])).toEqual({
      error: 'AssertionError',
      message: expect.stringContaining('Invalid access mode'),
    });
  });

  it('leave the admin unaffected', () => {
    const { call } = setUp();
    expect(typeof call(2, 'res.config.settings', 'create', [{}])).toBe('number');
    expect(call(2, 'ir.model.access', 'check_access_rights', ['unlink'], { raise_exception: false })).toBe(true);
    expect(call(2, 'ir.model.access', 'search_count', [[['model_id.model', '=', 'account.payment']]])).toBe(2);
  });
});
