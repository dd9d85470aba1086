import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { shop } from './fixtures.ts';

describe('invoicing', () => {
  it('faults after committing when no payment term exists, and returns the action with res_id when one does', () => {
    const s = shop();
    const plain = s.order([[s.consumable, 1]]);
    s.confirm(plain);
    const wizard = s.call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], {
      context: { active_model: 'sale.order', active_ids: [plain] },
    });
    const action = s.call('sale.advance.payment.inv', 'create_invoices', [[wizard]]) as Record<string, Record<string, unknown>>;
    // null is Python's None: the XML-RPC transport turns it into fault 1 after commit.
    expect(action.context!.default_invoice_payment_term_id).toBeNull();
    expect(s.read('sale.order', plain, ['invoice_ids', 'invoice_status'])).toMatchObject({ invoice_status: 'invoiced' });

    const immediate = (s.call('account.payment.term', 'search', [[['name', '=', 'Immediate Payment']]], { limit: 1 }) as number[])[0]!;
    const termed = s.order([[s.consumable, 1]], { payment_term_id: immediate });
    s.confirm(termed);
    const wizard2 = s.call('sale.advance.payment.inv', 'create', [{}], { context: { active_model: 'sale.order', active_ids: [termed] } });
    const action2 = s.call('sale.advance.payment.inv', 'create_invoices', [[wizard2]]) as Record<string, unknown>;
    expect(action2.res_id).toBe((s.read('sale.order', termed, ['invoice_ids']).invoice_ids as number[])[0]);
  });

  it('refuses to invoice delivered-quantity goods before delivery, then invoices what was delivered', () => {
    const s = shop();
    const order = s.order([[s.storable, 5]]);
    s.confirm(order);
    const wizard = s.call('sale.advance.payment.inv', 'create', [{}], { context: { active_model: 'sale.order', active_ids: [order] } });
    expect(s.fault('sale.advance.payment.inv', 'create_invoices', [[wizard]]).message).toBe(MSG.nothingToInvoice);
    s.deliver(order);
    const invoice = s.invoice(order);
    expect(s.read('account.move', invoice, ['amount_total', 'ref', 'invoice_origin'])).toMatchObject({ amount_total: 575, ref: '', invoice_origin: 'S00001' });
  });

  it('numbers the first draft of the journal at once, later drafts at posting, without gaps', () => {
    const s = shop();
    const invoices = [1, 2, 3].map(() => {
      const order = s.order([[s.consumable, 1]]);
      s.confirm(order);
      return s.invoice(order);
    });
    expect(invoices.map((id) => s.read('account.move', id, ['name']).name)).toEqual(['INV/2026/00001', '/', '/']);
    s.post(invoices[2]!);
    s.post(invoices[1]!);
    expect(invoices.map((id) => s.read('account.move', id, ['name']).name)).toEqual(['INV/2026/00001', 'INV/2026/00003', 'INV/2026/00002']);
    expect(s.fault('account.move', 'action_post', [[invoices[1]!]]).message).toBe(MSG.mustBeDraft('INV/2026/00003', invoices[1]!));
  });

  it('re-uses the number of a deleted first draft', () => {
    const s = shop();
    const first = s.order([[s.consumable, 1]]);
    s.confirm(first);
    const draft = s.invoice(first);
    expect(s.call('account.move', 'unlink', [[draft]])).toBe(true);
    expect(s.read('sale.order', first, ['invoice_ids', 'invoice_status'])).toMatchObject({ invoice_ids: [], invoice_status: 'to invoice' });
    const again = s.invoice(first);
    expect(s.read('account.move', again, ['name'])).toMatchObject({ name: 'INV/2026/00001' });
  });

  it('makes a draft credit note, and a reversed invoice with modify_moves', () => {
    const s = shop();
    const order = s.order([[s.consumable, 2]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    // Odoo 17 requires the journal on the wizard (transcript 15).
    const journal = (s.call('account.journal', 'search', [[['type', '=', 'sale']]], { limit: 1 }) as number[])[0]!;
    expect(() =>
      s.call('account.move.reversal', 'create', [{ reason: 'damaged' }], { context: { active_model: 'account.move', active_ids: [invoice] } }),
    ).toThrow('Field: Journal (journal_id)');
    const refundWizard = s.call('account.move.reversal', 'create', [{ reason: 'damaged', journal_id: journal }], {
      context: { active_model: 'account.move', active_ids: [invoice] },
    });
    const refund = (s.call('account.move.reversal', 'refund_moves', [[refundWizard]]) as Record<string, unknown>).res_id as number;
    expect(s.read('account.move', refund, ['name', 'state', 'move_type', 'amount_total', 'reversed_entry_id'])).toMatchObject({
      name: 'RINV/2026/00001',
      state: 'draft',
      move_type: 'out_refund',
      amount_total: 57.5,
    });
    expect(s.read('sale.order.line', (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!, ['qty_invoiced'])).toMatchObject({
      qty_invoiced: 0,
    });
    const modify = s.call('account.move.reversal', 'create', [{ journal_id: journal }], { context: { active_model: 'account.move', active_ids: [invoice] } });
    s.call('account.move.reversal', 'modify_moves', [[modify]]);
    expect(s.read('account.move', invoice, ['payment_state', 'amount_residual'])).toMatchObject({ payment_state: 'reversed', amount_residual: 0 });
  });

  it('invoices a delivered-quantity service from the quantity written by hand', () => {
    const s = shop();
    const service = s.call('product.product', 'create', [{ name: 'Setup', type: 'service', invoice_policy: 'delivery', list_price: 80 }]) as number;
    const order = s.order([[service, 2]]);
    s.confirm(order);
    expect(s.read('sale.order', order, ['picking_ids', 'invoice_status'])).toMatchObject({ picking_ids: [], invoice_status: 'no' });
    const line = (s.read('sale.order', order, ['order_line']).order_line as number[])[0]!;
    s.call('sale.order.line', 'write', [[line], { qty_delivered: 1 }]);
    expect(s.read('sale.order.line', line, ['qty_delivered', 'qty_to_invoice'])).toMatchObject({ qty_delivered: 1, qty_to_invoice: 1 });
    expect(s.read('account.move', s.invoice(order), ['amount_untaxed'])).toMatchObject({ amount_untaxed: 80 });
  });
});
