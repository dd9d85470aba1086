import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { testContext } from './context.ts';

const NO_SENDER = { error: 'UserError', message: "Unable to send message, please configure the sender's email address." };

function setUp() {
  const odoo = createOdooEmulator(testContext(), { db: 'odoo' });
  const call = (uid: number, model: string, method: string, args: unknown[] = [], kwargs: Record<string, unknown> = {}): unknown => {
    try {
      return odoo.execute(model, method, args, kwargs, { uid });
    } catch (error) {
      return { error: (error as Error).name, message: (error as Error).message };
    }
  };
  const group = (xmlid: string): number => {
    const [module, name] = xmlid.split('.');
    return (call(2, 'ir.model.data', 'check_object_reference', [module, name]) as [string, number])[1];
  };
  const user = (login: string, groups: string[], email: string | false): number =>
    call(2, 'res.users', 'create', [{ name: login, login, password: `${login}-pw-123`, email, groups_id: [[6, 0, groups.map(group)]] }]) as number;
  const partner = call(2, 'res.partner', 'create', [{ name: 'Customer' }]) as number;
  const product = call(2, 'product.product', 'create', [{ name: 'Widget', type: 'consu', invoice_policy: 'order', list_price: 10 }]) as number;
  /** A confirmed order of 2 widgets and its posted invoice, all by the admin. */
  const invoicedOrder = (): { order: number; invoice: number } => {
    const order = call(2, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]) as number;
    call(2, 'sale.order', 'action_confirm', [[order]]);
    const context = { active_model: 'sale.order', active_ids: [order], active_id: order };
    const wizard = call(2, 'sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], { context }) as number;
    call(2, 'sale.advance.payment.inv', 'create_invoices', [[wizard]], { context });
    const invoice = (call(2, 'sale.order', 'read', [[order]], { fields: ['invoice_ids'] }) as Array<{ invoice_ids: number[] }>)[0]!.invoice_ids[0]!;
    call(2, 'account.move', 'action_post', [[invoice]]);
    return { order, invoice };
  };
  const pay = (uid: number, invoice: number, amount?: number): unknown => {
    const context = { active_model: 'account.move', active_ids: [invoice] };
    const wizard = call(uid, 'account.payment.register', 'create', [amount === undefined ? {} : { amount }], { context });
    return call(uid, 'account.payment.register', 'action_create_payments', [[wizard]], { context });
  };
  return { call, user, partner, product, invoicedOrder, pay };
}

describe('posting to the chatter needs a sender with an email address', () => {
  it('refuses a full payment of a sale order invoice by a billing user without an email, and rolls it back', () => {
    const { call, user, invoicedOrder, pay } = setUp();
    const billing = user('billing', ['base.group_user', 'account.group_account_invoice'], false);
    const { invoice } = invoicedOrder();
    expect(pay(billing, invoice)).toEqual(NO_SENDER);
    expect(call(2, 'account.payment', 'search_count', [[]])).toBe(0);
    expect((call(2, 'account.move', 'read', [[invoice]], { fields: ['payment_state'] }) as Array<{ payment_state: string }>)[0]!.payment_state).toBe(
      'not_paid',
    );
  });

  it('lets the same user pay part of it, since only a paid invoice posts on its order', () => {
    const { user, invoicedOrder, pay } = setUp();
    const billing = user('billing', ['base.group_user', 'account.group_account_invoice'], false);
    const { invoice } = invoicedOrder();
    expect(pay(billing, invoice, 5)).toMatchObject({ res_model: 'account.payment' });
  });

  it('lets a billing user with an email pay in full, and notes "Invoice … paid" on the order', () => {
    const { call, user, invoicedOrder, pay } = setUp();
    const billing = user('billing', ['base.group_user', 'account.group_account_invoice'], 'billing@example.com');
    const { order, invoice } = invoicedOrder();
    expect(pay(billing, invoice)).toMatchObject({ res_model: 'account.payment' });
    const notes = call(
      2,
      'mail.message',
      'search_read',
      [
        [
          ['model', '=', 'sale.order'],
          ['res_id', '=', order],
        ],
      ],
      { fields: ['body'] },
    ) as Array<{ body: string }>;
    expect(notes.map((note) => note.body)).toContainEqual(expect.stringMatching(/^<p>Invoice INV\/\d{4}\/00001 paid<\/p>$/));
  });

  it('refuses quantity edits and new lines on a confirmed order by a salesman without an email, but not its confirmation', () => {
    const { call, user, partner, product } = setUp();
    const ann = user('ann', ['base.group_user', 'sales_team.group_sale_salesman'], false);
    const order = call(ann, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]) as number;
    expect(call(ann, 'sale.order', 'action_confirm', [[order]])).toBe(true);
    const [line] = (call(2, 'sale.order', 'read', [[order]], { fields: ['order_line'] }) as Array<{ order_line: number[] }>)[0]!.order_line;
    expect(call(ann, 'sale.order.line', 'write', [[line], { product_uom_qty: 3 }])).toEqual(NO_SENDER);
    expect(call(ann, 'sale.order', 'write', [[order], { order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }])).toEqual(NO_SENDER);
    expect(call(ann, 'sale.order', 'message_post', [[order]], { body: 'hi' })).toEqual(NO_SENDER);
    expect(call(ann, 'sale.order.line', 'write', [[line], { product_uom_qty: 2 }])).toBe(true);
  });

  it('never refuses the admin, who has an email', () => {
    const { call, invoicedOrder, pay } = setUp();
    const { order, invoice } = invoicedOrder();
    expect(pay(2, invoice)).toMatchObject({ res_model: 'account.payment' });
    expect(typeof call(2, 'sale.order', 'message_post', [[order]], { body: 'hi', message_type: 'comment' })).toBe('number');
  });
});

describe('automatic chatter (mail.thread creation notes and tracking)', () => {
  const messages = (call: ReturnType<typeof setUp>['call'], model: string, id: number): Array<Record<string, unknown>> =>
    call(
      2,
      'mail.message',
      'search_read',
      [
        [
          ['model', '=', model],
          ['res_id', '=', id],
        ],
      ],
      { fields: ['body', 'message_type', 'subtype_id', 'tracking_value_ids'], order: 'id' },
    ) as Array<Record<string, unknown>>;

  it('logs a creation note, and one tracking message per confirmed order with its state change as a mail.tracking.value', () => {
    const { call, partner, product } = setUp();
    const order = call(2, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]) as number;
    call(2, 'sale.order', 'action_confirm', [[order]]);
    const chatter = messages(call, 'sale.order', order);
    expect(chatter.map((m) => [m.body, (m.subtype_id as [number, string])[1]])).toEqual([
      ['<p>Sales Order created</p>', 'Note'],
      ['', 'Sales Order Confirmed'],
    ]);
    const tracking = call(2, 'mail.tracking.value', 'read', [chatter[1]!.tracking_value_ids], {
      fields: ['field_id', 'old_value_char', 'new_value_char'],
    }) as Array<Record<string, unknown>>;
    expect(tracking.map((t) => [(t.field_id as [number, string])[1], t.old_value_char, t.new_value_char])).toEqual([
      ['Status (Sales Order)', 'Quotation', 'Sales Order'],
    ]);
  });

  it('tracks nothing while the order that started the tracking is a draft (sale._track_finalize), and deletes the messages with the document', () => {
    const { call, partner, product } = setUp();
    const order = call(2, 'sale.order', 'create', [{ partner_id: partner, order_line: [[0, 0, { product_id: product, product_uom_qty: 2 }]] }]) as number;
    call(2, 'sale.order', 'write', [[order], { order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] }]);
    expect(messages(call, 'sale.order', order)).toHaveLength(1);
    call(2, 'sale.order', 'action_cancel', [[order]]);
    expect(messages(call, 'sale.order', order)).toHaveLength(2);
    call(2, 'sale.order', 'action_draft', [[order]]);
    expect(messages(call, 'sale.order', order)).toHaveLength(2);
    call(2, 'sale.order', 'unlink', [[order]]);
    expect(messages(call, 'sale.order', order)).toEqual([]);
  });

  it('notifies a salesperson assigned by someone else, which needs the sender to have an email', () => {
    const { call, user, partner, product } = setUp();
    const ann = user('ann', ['base.group_user', 'sales_team.group_sale_salesman'], false);
    const order = call(2, 'sale.order', 'create', [
      { partner_id: partner, user_id: ann, order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]] },
    ]) as number;
    const [note] = messages(call, 'sale.order', order);
    expect(note).toMatchObject({ message_type: 'user_notification' });
    expect(String(note!.body)).toContain('You have been assigned to the Sales Order S0');
    expect(call(ann, 'sale.order', 'create', [{ partner_id: partner, user_id: 2 }])).toEqual(NO_SENDER);
  });
});
