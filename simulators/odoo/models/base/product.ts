import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, type Row, type Vals } from '../../orm/model.ts';

export const productCategory = defineModel({
  name: 'product.category',
  description: 'Product Category',
  order: 'complete_name',
  recName: 'complete_name',
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    complete_name: fields.char({
      string: 'Complete Name',
      store: true,
      compute: (env, row) => {
        const parent = typeof row.parent_id === 'number' ? env.model('product.category').row(row.parent_id) : undefined;
        return parent === undefined ? row.name : `${String(parent.name)} / ${String(row.name)}`;
      },
    }),
    parent_id: fields.many2one('product.category', { string: 'Parent Category', ondelete: 'cascade', index: true }),
    child_id: fields.one2many('product.category', 'parent_id', 'Child Categories'),
  },
});

const DETAILED_TYPES = [
  ['consu', 'Consumable'],
  ['service', 'Service'],
  ['product', 'Storable Product'],
] as const;

/** Odoo 17's product.template `_sanitize_vals`: `type` given alone sets `detailed_type`. */
function typeToDetailedType(vals: Vals): void {
  if ('type' in vals) {
    if (!('detailed_type' in vals)) vals.detailed_type = vals.type;
    delete vals.type;
  }
}

function defaultUom(env: Env): number | false {
  return env.model('uom.uom').search([['name', '=', 'Units']], { limit: 1 })[0] ?? false;
}

function defaultCategory(env: Env): number | false {
  return env.model('product.category').search([['name', '=', 'All']], { limit: 1 })[0] ?? false;
}

function defaultSaleTaxes(env: Env): unknown {
  const tax = env.model('res.company').row(env.companyId)?.account_sale_tax_id;
  return typeof tax === 'number' ? [[6, 0, [tax]]] : [];
}

function defaultPurchaseTaxes(env: Env): unknown {
  const tax = env.model('res.company').row(env.companyId)?.account_purchase_tax_id;
  return typeof tax === 'number' ? [[6, 0, [tax]]] : [];
}

/** "[CODE] Name", or the name when there is no internal reference. */
function withCode(name: unknown, code: unknown): string {
  const text = typeof name === 'string' ? name : '';
  return typeof code === 'string' && code !== '' ? `[${code}] ${text}` : text;
}

function singleVariant(env: Env, row: Row): Row | undefined {
  const variants = env.db.table('product.product').referrers('product_tmpl_id', row.id);
  return variants.length === 1 ? env.model('product.product').row(variants[0]!) : undefined;
}

export const productTemplate = defineModel({
  name: 'product.template',
  description: 'Product',
  order: 'priority desc, name',
  displayName: (env, row) => withCode(row.name, singleVariant(env, row)?.default_code),
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    sequence: fields.integer({ string: 'Sequence', default: 1 }),
    priority: fields.selection(
      [
        ['0', 'Normal'],
        ['1', 'Favorite'],
      ],
      { string: 'Favorite', default: '0' },
    ),
    description: fields.html('Description'),
    description_sale: fields.text('Sales Description'),
    description_purchase: fields.text('Purchase Description'),
    detailed_type: fields.selection(DETAILED_TYPES, { string: 'Product Type', required: true, default: 'consu' }),
    type: fields.selection(DETAILED_TYPES, { string: 'Type', compute: (_env, row) => row.detailed_type, store: true }),
    invoice_policy: fields.selection(
      [
        ['order', 'Ordered quantities'],
        ['delivery', 'Delivered quantities'],
      ],
      { string: 'Invoicing Policy', default: 'order' },
    ),
    list_price: fields.float({ string: 'Sales Price', digits: [16, 2], default: 1 }),
    standard_price: fields.float({
      string: 'Cost',
      digits: [16, 2],
      compute: (env, row) => (singleVariant(env, row)?.standard_price as number | undefined) ?? 0,
    }),
    default_code: fields.char({ string: 'Internal Reference', compute: (env, row) => singleVariant(env, row)?.default_code ?? false }),
    barcode: fields.char({ string: 'Barcode', compute: (env, row) => singleVariant(env, row)?.barcode ?? false }),
    categ_id: fields.many2one('product.category', { string: 'Product Category', required: true, default: defaultCategory }),
    uom_id: fields.many2one('uom.uom', { string: 'Unit of Measure', required: true, default: defaultUom }),
    uom_po_id: fields.many2one('uom.uom', { string: 'Purchase Unit of Measure', required: true, default: defaultUom }),
    taxes_id: fields.many2many('account.tax', { string: 'Customer Taxes', default: defaultSaleTaxes }),
    supplier_taxes_id: fields.many2many('account.tax', { string: 'Vendor Taxes', default: defaultPurchaseTaxes }),
    sale_ok: fields.boolean({ string: 'Can be Sold', default: true }),
    purchase_ok: fields.boolean({ string: 'Can be Purchased', default: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    company_id: fields.many2one('res.company', 'Company'),
    weight: fields.float({ string: 'Weight', digits: [16, 2] }),
    volume: fields.float({ string: 'Volume', digits: [16, 2] }),
    product_variant_ids: fields.one2many('product.product', 'product_tmpl_id', 'Products'),
    product_variant_id: fields.many2one('product.product', {
      string: 'Product',
      compute: (env, row) => env.db.table('product.product').referrers('product_tmpl_id', row.id)[0] ?? false,
    }),
    product_variant_count: fields.integer({
      string: '# Product Variants',
      compute: (env, row) => env.db.table('product.product').referrers('product_tmpl_id', row.id).length,
    }),
    qty_available: fields.float({ string: 'Quantity On Hand', compute: () => 0 }),
    virtual_available: fields.float({ string: 'Forecasted Quantity', compute: () => 0 }),
  },
  hooks: {
    beforeCreate(_env, vals) {
      typeToDetailedType(vals);
    },
    afterCreate(env, ids) {
      // A template gets its single variant, unless the variant is creating the template.
      if (env.context.create_product_product === false) return;
      const variants = env.withContext({ create_product_product: false }).model('product.product');
      for (const id of ids) variants.create({ product_tmpl_id: id });
    },
    beforeWrite(_env, _ids, vals) {
      typeToDetailedType(vals);
    },
  },
});

export const productProduct = defineModel({
  name: 'product.product',
  description: 'Product Variant',
  order: 'default_code, name, id',
  inherits: { 'product.template': 'product_tmpl_id' },
  displayName: (env, row) => withCode(env.model('product.template').row(row.product_tmpl_id as number)?.name, row.default_code),
  fields: {
    product_tmpl_id: fields.many2one('product.template', { string: 'Product Template', required: true, ondelete: 'cascade', index: true }),
    default_code: fields.char('Internal Reference'),
    barcode: fields.char('Barcode'),
    standard_price: fields.float({ string: 'Cost', digits: [16, 2] }),
    active: fields.boolean({ string: 'Active', default: true }),
    lst_price: fields.float({
      string: 'Sales Price',
      digits: [16, 2],
      compute: (env, row) => (env.model('product.template').row(row.product_tmpl_id as number)?.list_price as number | undefined) ?? 0,
    }),
    qty_available: fields.float({ string: 'Quantity On Hand', compute: () => 0 }),
    virtual_available: fields.float({ string: 'Forecasted Quantity', compute: () => 0 }),
  },
  hooks: {
    beforeCreate(env, vals) {
      if (typeof vals.product_tmpl_id === 'number') return;
      const templateFields = env.db.registry.models.get('product.template')!.fields;
      const own = env.db.registry.models.get('product.product')!.fields;
      const templateVals: Vals = {};
      for (const key of Object.keys(vals)) {
        if (own.get(key)?.delegatedVia !== undefined && templateFields.has(key)) {
          templateVals[key] = vals[key];
          delete vals[key];
        }
      }
      vals.product_tmpl_id = env.withContext({ create_product_product: false }).model('product.template').create(templateVals);
    },
  },
});
