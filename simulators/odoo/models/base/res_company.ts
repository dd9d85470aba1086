import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';

export const resCurrency = defineModel({
  name: 'res.currency',
  description: 'Currency',
  order: 'active desc, name',
  fields: {
    name: fields.char({ string: 'Currency', required: true }),
    full_name: fields.char('Name'),
    symbol: fields.char({ string: 'Symbol', required: true }),
    rounding: fields.float({ string: 'Rounding Factor', digits: [12, 6], default: 0.01 }),
    decimal_places: fields.integer({ string: 'Decimal Places', compute: (_env, row) => decimalPlaces(row.rounding as number) }),
    position: fields.selection(
      [
        ['after', 'After Amount'],
        ['before', 'Before Amount'],
      ],
      { string: 'Symbol Position', default: 'after' },
    ),
    currency_unit_label: fields.char('Currency Unit'),
    currency_subunit_label: fields.char('Currency Subunit'),
    rate: fields.float({ string: 'Current Rate', digits: [12, 6], compute: () => 1 }),
    active: fields.boolean({ string: 'Active', default: true }),
  },
});

/** Odoo's `decimal_places`: how many decimals the rounding factor implies. */
function decimalPlaces(rounding: number): number {
  if (!(rounding > 0 && rounding < 1)) return 0;
  return Math.ceil(Math.log10(1 / rounding));
}

export const resCountry = defineModel({
  name: 'res.country',
  description: 'Country',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Country Name', required: true }),
    code: fields.char('Country Code'),
    currency_id: fields.many2one('res.currency', 'Currency'),
  },
});

export const resCountryState = defineModel({
  name: 'res.country.state',
  description: 'Country state',
  order: 'code',
  fields: {
    name: fields.char({ string: 'State Name', required: true }),
    code: fields.char({ string: 'State Code', required: true }),
    country_id: fields.many2one('res.country', { string: 'Country', required: true }),
  },
});

export const resCompany = defineModel({
  name: 'res.company',
  description: 'Companies',
  order: 'sequence, name',
  fields: {
    name: fields.char({ string: 'Company Name', required: true }),
    partner_id: fields.many2one('res.partner', { string: 'Partner', required: true }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', required: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    email: fields.char('Email'),
    phone: fields.char('Phone'),
    country_id: fields.many2one('res.country', 'Country'),
    active: fields.boolean({ string: 'Active', default: true }),
    tax_calculation_rounding_method: fields.selection(
      [
        ['round_per_line', 'Round per Line'],
        ['round_globally', 'Round Globally'],
      ],
      { string: 'Tax Calculation Rounding Method', default: 'round_per_line' },
    ),
    account_sale_tax_id: fields.many2one('account.tax', 'Default Sale Tax'),
    account_purchase_tax_id: fields.many2one('account.tax', 'Default Purchase Tax'),
  },
});
