import { freshDatabase, type TestDatabase } from './database.ts';

type Row = Record<string, unknown>;

/** A fresh database with a customer, a consumable (25.00, ordered qty) and a storable (100.00, delivered qty, 50 on hand). */
export function shop(): TestDatabase & {
  customer: number;
  consumable: number;
  storable: number;
  read(model: string, id: number, fields: string[]): Row;
  order(lines: Array<[product: number, qty: number, price?: number]>, extra?: Row): number;
  confirm(order: number): void;
  picking(order: number): number;
  deliver(order: number): void;
  invoice(order: number): number;
  post(invoice: number): void;
  payWizard(invoice: number): number;
  pay(wizard: number): number;
} {
  const t = freshDatabase();
  const customer = t.call('res.partner', 'create', [{ name: 'Test Customer' }]) as number;
  const consumable = t.call('product.product', 'create', [{ name: 'Consumable', type: 'consu', invoice_policy: 'order', list_price: 25 }]) as number;
  const storable = t.call('product.product', 'create', [{ name: 'Storable', type: 'product', invoice_policy: 'delivery', list_price: 100 }]) as number;
  const stock = (t.call('stock.location', 'search', [[['complete_name', '=', 'WH/Stock']]], { limit: 1 }) as number[])[0]!;
  const quant = t.call('stock.quant', 'create', [{ product_id: storable, location_id: stock, inventory_quantity: 50 }], {
    context: { inventory_mode: true },
  }) as number;
  t.call('stock.quant', 'action_apply_inventory', [[quant]]);
  const read = (model: string, id: number, fields: string[]): Row => (t.call(model, 'read', [[id]], { fields }) as Row[])[0]!;
  const api = {
    ...t,
    customer,
    consumable,
    storable,
    read,
    order(lines: Array<[number, number, number?]>, extra: Row = {}): number {
      const orderLines = lines.map(([product, qty, price]) => [
        0,
        0,
        price === undefined ? { product_id: product, product_uom_qty: qty } : { product_id: product, product_uom_qty: qty, price_unit: price },
      ]);
      return t.call('sale.order', 'create', [{ partner_id: customer, order_line: orderLines, ...extra }]) as number;
    },
    confirm(order: number): void {
      t.call('sale.order', 'action_confirm', [[order]]);
    },
    picking(order: number): number {
      return (read('sale.order', order, ['picking_ids']).picking_ids as number[])[0]!;
    },
    deliver(order: number): void {
      t.call('stock.picking', 'button_validate', [[api.picking(order)]]);
    },
    invoice(order: number): number {
      const wizard = t.call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], {
        context: { active_model: 'sale.order', active_ids: [order] },
      });
      try {
        t.call('sale.advance.payment.inv', 'create_invoices', [[wizard]]);
      } catch {
        // create_invoices' action may hold a None; the invoice exists either way.
      }
      const invoices = read('sale.order', order, ['invoice_ids']).invoice_ids as number[];
      return invoices[invoices.length - 1]!;
    },
    post(invoice: number): void {
      t.call('account.move', 'action_post', [[invoice]]);
    },
    payWizard(invoice: number): number {
      return t.call('account.payment.register', 'create', [{}], { context: { active_model: 'account.move', active_ids: [invoice] } }) as number;
    },
    pay(wizard: number): number {
      return (t.call('account.payment.register', 'action_create_payments', [[wizard]]) as Row).res_id as number;
    },
  };
  return api;
}
