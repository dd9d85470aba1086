import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';

export const accountAccount = defineModel({
  name: 'account.account',
  description: 'Account',
  order: 'code, company_id',
  displayName: (_env, row) => `${String(row.code)} ${String(row.name)}`,
  fields: {
    name: fields.char({ string: 'Account Name', required: true }),
    code: fields.char({ string: 'Code', required: true }),
    account_type: fields.selection(
      [
        ['asset_receivable', 'Receivable'],
        ['asset_cash', 'Bank and Cash'],
        ['asset_current', 'Current Assets'],
        ['asset_non_current', 'Non-current Assets'],
        ['asset_prepayments', 'Prepayments'],
        ['asset_fixed', 'Fixed Assets'],
        ['liability_payable', 'Payable'],
        ['liability_credit_card', 'Credit Card'],
        ['liability_current', 'Current Liabilities'],
        ['liability_non_current', 'Non-current Liabilities'],
        ['equity', 'Equity'],
        ['equity_unaffected', 'Current Year Earnings'],
        ['income', 'Income'],
        ['income_other', 'Other Income'],
        ['expense', 'Expenses'],
        ['expense_depreciation', 'Depreciation'],
        ['expense_direct_cost', 'Cost of Revenue'],
        ['off_balance', 'Off-Balance Sheet'],
      ],
      { string: 'Type', required: true },
    ),
    reconcile: fields.boolean({ string: 'Allow Reconciliation', default: false }),
    deprecated: fields.boolean({ string: 'Deprecated', default: false }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    currency_id: fields.many2one('res.currency', 'Account Currency'),
  },
});

export const accountTaxGroup = defineModel({
  name: 'account.tax.group',
  description: 'Tax Group',
  order: 'sequence asc, id',
  fields: {
    name: fields.char({ string: 'Name', required: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
  },
});

export const accountTax = defineModel({
  name: 'account.tax',
  description: 'Tax',
  order: 'sequence,id',
  fields: {
    name: fields.char({ string: 'Tax Name', required: true }),
    type_tax_use: fields.selection(
      [
        ['sale', 'Sales'],
        ['purchase', 'Purchases'],
        ['none', 'None'],
      ],
      { string: 'Tax Type', required: true, default: 'sale' },
    ),
    tax_scope: fields.selection(
      [
        ['service', 'Services'],
        ['consu', 'Goods'],
      ],
      'Tax Scope',
    ),
    amount_type: fields.selection(
      [
        ['group', 'Group of Taxes'],
        ['fixed', 'Fixed'],
        ['percent', 'Percentage of Price'],
        ['division', 'Percentage of Price Tax Included'],
      ],
      { string: 'Tax Computation', required: true, default: 'percent' },
    ),
    amount: fields.float({ string: 'Amount', digits: [16, 4], required: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    sequence: fields.integer({ string: 'Sequence', required: true, default: 1 }),
    description: fields.char('Description'),
    invoice_label: fields.char('Label on Invoices'),
    price_include: fields.boolean({ string: 'Included in Price', default: false }),
    include_base_amount: fields.boolean({ string: 'Affect Base of Subsequent Taxes', default: false }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    tax_group_id: fields.many2one('account.tax.group', { string: 'Tax Group', required: true }),
    country_id: fields.many2one('res.country', 'Country'),
  },
});

export const accountJournal = defineModel({
  name: 'account.journal',
  description: 'Journal',
  order: 'sequence, type, code',
  fields: {
    name: fields.char({ string: 'Journal Name', required: true }),
    code: fields.char({ string: 'Short Code', required: true }),
    type: fields.selection(
      [
        ['sale', 'Sales'],
        ['purchase', 'Purchase'],
        ['cash', 'Cash'],
        ['bank', 'Bank'],
        ['general', 'Miscellaneous'],
      ],
      { string: 'Type', required: true },
    ),
    active: fields.boolean({ string: 'Active', default: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    default_account_id: fields.many2one('account.account', { string: 'Default Account', ondelete: 'restrict' }),
    suspense_account_id: fields.many2one('account.account', 'Suspense Account'),
    currency_id: fields.many2one('res.currency', 'Currency'),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    refund_sequence: fields.boolean({ string: 'Dedicated Credit Note Sequence', default: false }),
    payment_sequence: fields.boolean({ string: 'Dedicated Payment Sequence', default: true }),
  },
});

export const accountPaymentTerm = defineModel({
  name: 'account.payment.term',
  description: 'Payment Terms',
  order: 'sequence, id',
  fields: {
    name: fields.char({ string: 'Payment Terms', required: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    note: fields.html('Description on the Invoice'),
    sequence: fields.integer({ string: 'Sequence', required: true, default: 10 }),
    line_ids: fields.one2many('account.payment.term.line', 'payment_id', 'Terms'),
    company_id: fields.many2one('res.company', 'Company'),
    early_discount: fields.boolean({ string: 'Early Discount', default: false }),
  },
});

export const accountPaymentTermLine = defineModel({
  name: 'account.payment.term.line',
  description: 'Payment Terms Line',
  order: 'id',
  fields: {
    value: fields.selection(
      [
        ['percent', 'Percent'],
        ['fixed', 'Fixed'],
      ],
      { string: 'Type', required: true, default: 'percent' },
    ),
    value_amount: fields.float({ string: 'Value', digits: [16, 2], default: 100 }),
    nb_days: fields.integer({ string: 'Days', default: 0 }),
    delay_type: fields.selection(
      [
        ['days_after', 'Days after invoice date'],
        ['days_after_end_of_month', 'Days after end of month'],
        ['days_after_end_of_next_month', 'Days after end of next month'],
        ['days_end_of_month_on_the', 'Days end of month on the'],
      ],
      { string: 'Delay Type', required: true, default: 'days_after' },
    ),
    payment_id: fields.many2one('account.payment.term', { string: 'Payment Terms', required: true, ondelete: 'cascade', index: true }),
  },
});
