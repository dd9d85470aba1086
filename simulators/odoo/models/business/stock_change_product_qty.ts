import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';

/**
 * "Update Quantity" on a product (stock.change.product.qty): counts
 * `new_quantity` at the company's warehouse stock location through an
 * inventory adjustment, as stock's change_product_qty does.
 */
export const stockChangeProductQty = defineModel({
  name: 'stock.change.product.qty',
  description: 'Change Product Quantity',
  transient: true,
  fields: {
    product_id: fields.many2one('product.product', { string: 'Product', required: true }),
    product_tmpl_id: fields.many2one('product.template', { string: 'Template', required: true }),
    product_variant_count: fields.integer({ string: 'Variant Count', compute: () => 1 }),
    new_quantity: fields.float({ string: 'New Quantity on Hand', required: true, default: 1 }),
  },
  methods: {
    change_product_qty: recordMethod([], ({ env, model, ids }) => {
      for (const id of ids) {
        const wizard = model.row(id);
        if (wizard === undefined) continue;
        const location = stockLocation(env);
        const quants = env.withContext({ inventory_mode: true }).model('stock.quant');
        const quant = quants.call('create', [], {
          vals_list: { product_id: wizard.product_id, location_id: location, inventory_quantity: wizard.new_quantity },
        }) as number;
        quants.call('action_apply_inventory', [quant]);
      }
      return { type: 'ir.actions.act_window_close' };
    }),
  },
});

function stockLocation(env: Env): number {
  const [warehouse] = env.model('stock.warehouse').search([['company_id', '=', env.companyId]], { limit: 1 });
  return env.model('stock.warehouse').get(warehouse!, 'lot_stock_id') as number;
}
