import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, modelMethod, recordMethod, type Vals } from '../../orm/model.ts';
import { typeError } from '../../orm/errors.ts';

/**
 * On-hand stock per product and location. Only storable products have quants
 * (consumables bypass reservation, as in Odoo). Inventory mode: a client sets
 * `inventory_quantity`, then `action_apply_inventory` makes it the quantity.
 */
export const stockQuant = defineModel({
  name: 'stock.quant',
  description: 'Quants',
  order: 'id',
  recName: 'product_id',
  fields: {
    product_id: fields.many2one('product.product', { string: 'Product', required: true, index: true, ondelete: 'restrict' }),
    location_id: fields.many2one('stock.location', { string: 'Location', required: true, index: true }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    quantity: fields.float({ string: 'Quantity', readonly: true, default: 0.0 }),
    reserved_quantity: fields.float({ string: 'Reserved Quantity', readonly: true, default: 0.0 }),
    inventory_quantity: fields.float({ string: 'Counted Quantity', default: 0.0 }),
    inventory_quantity_set: fields.boolean({ string: 'Inventory Quantity Set', default: false }),
    inventory_diff_quantity: fields.float({
      string: 'Difference',
      readonly: true,
      store: true,
      compute: (_env, row) => (row.inventory_quantity_set === true ? Number(row.inventory_quantity ?? 0) - Number(row.quantity ?? 0) : 0),
    }),
    available_quantity: fields.float({
      string: 'Available Quantity',
      compute: (_env, row) => Number(row.quantity ?? 0) - Number(row.reserved_quantity ?? 0),
    }),
    inventory_date: fields.date({ string: 'Scheduled Date' }),
    user_id: fields.many2one('res.users', { string: 'Assigned To' }),
  },
  displayName: (env, row) => (typeof row.product_id === 'number' ? env.model('product.product').displayName(row.product_id) : ''),
  hooks: {
    beforeCreate(_env, vals) {
      if (vals.inventory_quantity !== undefined && vals.inventory_quantity_set === undefined) vals.inventory_quantity_set = true;
      // Outside inventory mode a client cannot set the quantity directly; Odoo ignores it too.
    },
    beforeWrite(_env, _ids, vals) {
      if (vals.inventory_quantity !== undefined && vals.inventory_quantity_set === undefined) vals.inventory_quantity_set = true;
    },
  },
  methods: {
    // stock.quant.create in inventory mode counts on the quant that already holds
    // the product at that location (same id back), instead of adding a second one.
    create: modelMethod(
      ['vals_list'],
      ({ env, model, args }) => {
        const single = !Array.isArray(args.vals_list);
        if (args.vals_list === null || typeof args.vals_list !== 'object') throw typeError(`'${typeof args.vals_list}' object is not iterable`);
        const list = (single ? [args.vals_list] : args.vals_list) as Vals[];
        const ids = list.map((vals) => {
          if (env.context.inventory_mode === true && vals.inventory_quantity !== undefined && vals.lot_id === undefined && vals.package_id === undefined) {
            const [existing] = model.search(
              [
                ['product_id', '=', vals.product_id],
                ['location_id', '=', vals.location_id],
              ],
              { limit: 1, order: 'id' },
            );
            if (existing !== undefined) {
              model.write([existing], { inventory_quantity: vals.inventory_quantity });
              return existing;
            }
          }
          return model.create(vals);
        });
        return single ? ids[0] : ids;
      },
      1,
    ),
    // Returns None in Odoo: over XML-RPC the client gets fault 1 after the adjustment is committed.
    action_apply_inventory: recordMethod([], ({ model, ids }) => {
      for (const id of ids) {
        const row = model.row(id);
        if (row === undefined || row.inventory_quantity_set !== true) continue;
        model.write([id], { quantity: Number(row.inventory_quantity ?? 0), inventory_quantity: 0, inventory_quantity_set: false });
      }
      return undefined;
    }),
    action_set_inventory_quantity_to_zero: recordMethod([], ({ model, ids }) => {
      model.write(ids, { inventory_quantity: 0, inventory_quantity_set: false });
      return undefined;
    }),
  },
});
