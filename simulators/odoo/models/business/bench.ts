/**
 * How fast the business models run in-process, with no transport and no
 * capacity model: create + confirm of a sale order (the target is
 * 5,000/s on one core), then the rest of order-to-cash. Prints figures; never
 * asserts. Run: node simulators/odoo/models/business/bench.ts [orders]
 */
import { freshDatabase } from './test/database.ts';

const orders = Number(process.argv[2] ?? 20000);
const t = freshDatabase();
const customer = t.call('res.partner', 'create', [{ name: 'Bench Customer' }]) as number;
const consumable = t.call('product.product', 'create', [{ name: 'Bench Consumable', type: 'consu', list_price: 25 }]) as number;
const storable = t.call('product.product', 'create', [{ name: 'Bench Storable', type: 'product', invoice_policy: 'delivery', list_price: 100 }]) as number;
const stock = t.call('stock.location', 'search', [[['complete_name', '=', 'WH/Stock']]], { limit: 1 }) as number[];
const quant = t.call('stock.quant', 'create', [{ product_id: storable, location_id: stock[0], inventory_quantity: 1e9 }], {
  context: { inventory_mode: true },
}) as number;
t.call('stock.quant', 'action_apply_inventory', [[quant]]);

function measure(label: string, n: number, run: (i: number) => void): void {
  for (let i = 0; i < Math.min(500, n); i++) run(i); // warm-up
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < n; i++) run(i);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time (user + system) is what one core spends; wall time also counts other processes on a shared machine.
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const rate = (s: number): string =>
    Math.round(n / s)
      .toLocaleString('en-US')
      .padStart(8);
  console.log(`${label.padEnd(52)} ${String(n).padStart(7)}: ${rate(cpuSeconds)}/s of CPU time, ${rate(seconds)}/s wall`);
}

measure('create+confirm, 1 consumable line', orders, (i) => {
  const so = t.call('sale.order', 'create', [
    { partner_id: customer, client_order_ref: `B-${i}`, order_line: [[0, 0, { product_id: consumable, product_uom_qty: 2 }]] },
  ]) as number;
  t.call('sale.order', 'action_confirm', [[so]]);
});
measure('create+confirm, consumable + storable lines', orders, (i) => {
  const so = t.call('sale.order', 'create', [
    {
      partner_id: customer,
      client_order_ref: `C-${i}`,
      order_line: [
        [0, 0, { product_id: consumable, product_uom_qty: 2 }],
        [0, 0, { product_id: storable, product_uom_qty: 1 }],
      ],
    },
  ]) as number;
  t.call('sale.order', 'action_confirm', [[so]]);
});
const fields = ['name', 'partner_id', 'date_order', 'state', 'amount_total', 'amount_untaxed', 'client_order_ref', 'user_id', 'invoice_status', 'currency_id'];
measure('search_read 10 sale.order x 10 fields', Math.max(1000, orders / 4), () => {
  t.call('sale.order', 'search_read', [[]], { fields, limit: 10 });
});
measure('order to cash (create..validate..invoice..post..pay)', Math.max(500, orders / 20), (i) => {
  const so = t.call('sale.order', 'create', [
    { partner_id: customer, client_order_ref: `D-${i}`, order_line: [[0, 0, { product_id: consumable, product_uom_qty: 1 }]] },
  ]) as number;
  t.call('sale.order', 'action_confirm', [[so]]);
  const picking = (t.call('sale.order', 'read', [[so]], { fields: ['picking_ids'] }) as Array<{ picking_ids: number[] }>)[0]!.picking_ids[0]!;
  t.call('stock.picking', 'button_validate', [[picking]]);
  const wizard = t.call('sale.advance.payment.inv', 'create', [{ advance_payment_method: 'delivered' }], {
    context: { active_model: 'sale.order', active_ids: [so] },
  });
  t.call('sale.advance.payment.inv', 'create_invoices', [[wizard]]);
  const invoice = (t.call('sale.order', 'read', [[so]], { fields: ['invoice_ids'] }) as Array<{ invoice_ids: number[] }>)[0]!.invoice_ids[0]!;
  t.call('account.move', 'action_post', [[invoice]]);
  const pay = t.call('account.payment.register', 'create', [{}], { context: { active_model: 'account.move', active_ids: [invoice] } });
  t.call('account.payment.register', 'action_create_payments', [[pay]]);
});
