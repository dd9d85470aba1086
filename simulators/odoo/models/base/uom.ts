import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';

export const uomCategory = defineModel({
  name: 'uom.category',
  description: 'Product UoM Categories',
  fields: {
    name: fields.char({ string: 'Unit of Measure Category', required: true }),
    uom_ids: fields.one2many('uom.uom', 'category_id', 'Uom'),
  },
});

export const uomUom = defineModel({
  name: 'uom.uom',
  description: 'Product Unit of Measure',
  order: 'factor DESC, id',
  fields: {
    name: fields.char({ string: 'Unit of Measure', required: true }),
    category_id: fields.many2one('uom.category', { string: 'Category', required: true, ondelete: 'restrict' }),
    factor: fields.float({ string: 'Ratio', digits: [12, 12], default: 1, required: true }),
    factor_inv: fields.float({ string: 'Bigger Ratio', digits: [12, 12], compute: (_env, row) => (row.factor ? 1 / (row.factor as number) : 0) }),
    rounding: fields.float({ string: 'Rounding Precision', digits: [12, 12], default: 0.01, required: true }),
    uom_type: fields.selection(
      [
        ['bigger', 'Bigger than the reference Unit of Measure'],
        ['reference', 'Reference Unit of Measure for this category'],
        ['smaller', 'Smaller than the reference Unit of Measure'],
      ],
      { string: 'Type', default: 'reference', required: true },
    ),
    active: fields.boolean({ string: 'Active', default: true }),
  },
});
