import type { Env } from '../../orm/env.ts';
import { seedModelAccess, seedModels, xmlId } from './ir.ts';
import { ADMIN_GROUPS, GROUPS } from './security/index.ts';
import { seedModules } from './ir_module.ts';

/** Who the fresh database's admin is; configurable per emulator. */
export interface AdminSettings {
  readonly login: string;
  readonly password: string;
  readonly companyName: string;
}

/**
 * The master data of a fresh Odoo 17 with sale_management, stock and account
 * (generic chart) installed and no demo data. Creation order fixes the ids,
 * which match a real fresh database where the transcripts show them: admin
 * uid 2, first new partner 7, USD 1, Customer Invoices journal 1, Bank 6,
 * WH/Stock 8, Partners/Customers 5, payment terms Immediate 1 and 30 Days 4.
 */
export function seedBaseData(env: Env, admin: AdminSettings): void {
  const create = (model: string, vals: Record<string, unknown>): number => env.model(model).create(vals);
  seedModels(env);
  seedModules(env);
  const groups = seedGroups(env);
  seedModelAccess(env);

  const usd = create('res.currency', {
    name: 'USD',
    full_name: 'United States dollar',
    symbol: '$',
    rounding: 0.01,
    position: 'before',
    currency_unit_label: 'Dollars',
    currency_subunit_label: 'Cents',
  });
  create('res.currency', {
    name: 'EUR',
    full_name: 'Euro',
    symbol: '€',
    rounding: 0.01,
    position: 'after',
    currency_unit_label: 'Euros',
    currency_subunit_label: 'Cents',
    active: false,
  });
  const us = create('res.country', { name: 'United States', code: 'US', currency_id: usd });
  create('res.country', { name: 'Belgium', code: 'BE' });
  create('res.country', { name: 'France', code: 'FR' });

  const companyPartner = create('res.partner', { name: admin.companyName, is_company: true, country_id: us });
  const company = create('res.company', { name: admin.companyName, partner_id: companyPartner, currency_id: usd, country_id: us });
  env.db.companyId = company;
  env.model('res.partner').write([companyPartner], { company_id: company });

  const user = (name: string, login: string, password: string | false, active: boolean, groupIds?: readonly number[], partnerActive = true): number => {
    const uid = create('res.users', {
      name,
      login,
      password,
      active,
      company_id: company,
      ...(groupIds !== undefined ? { groups_id: [[6, 0, groupIds]] } : {}),
    });
    if (!partnerActive) env.model('res.partner').write([env.model('res.users').row(uid)!.partner_id as number], { active: false });
    return uid;
  };
  user('OdooBot', '__system__', false, false);
  const adminUid = user('Administrator', admin.login, admin.password, true);
  if (adminUid !== 2) throw new Error(`seed: admin must be uid 2, got ${adminUid}`);
  user('Public user', 'public', false, false, [groups.get('base.group_public')!], false);
  const defaultUser = user('Default User Template', 'default', false, false, undefined, false);
  xmlId(env, 'base.default_user', 'res.users', defaultUser);
  user('Portal User Template', 'portaltemplate', false, false, [groups.get('base.group_portal')!], false);
  env.model('res.partner').write([env.model('res.users').row(adminUid)!.partner_id as number], { email: 'admin@example.com' });
  env.model('res.users').write([adminUid], { groups_id: [[6, 0, ADMIN_GROUPS.map((xmlid) => groups.get(xmlid)!)]] });
  xmlId(env, 'base.main_partner', 'res.partner', companyPartner);
  xmlId(env, 'base.main_company', 'res.company', company);
  xmlId(env, 'base.user_admin', 'res.users', adminUid);
  xmlId(env, 'base.partner_admin', 'res.partner', env.model('res.users').row(adminUid)!.partner_id as number);
  xmlId(env, 'base.USD', 'res.currency', usd);

  seedUom(env);
  xmlId(env, 'uom.product_uom_unit', 'uom.uom', env.model('uom.uom').search([['name', '=', 'Units']])[0]!);
  const all = create('product.category', { name: 'All' });
  xmlId(env, 'product.product_category_all', 'product.category', all);
  create('product.category', { name: 'Saleable', parent_id: all });

  seedAccounting(env, company);
  seedStock(env, company, companyPartner, admin.companyName);
}

/** The groups of a fresh database in their id order, with their categories and implied groups. */
function seedGroups(env: Env): Map<string, number> {
  const categories = new Map<string, number>();
  const groups = new Map<string, number>();
  for (const group of GROUPS) {
    let category: number | false = false;
    if (group.category !== false) {
      category = categories.get(group.category) ?? env.model('ir.module.category').create({ name: group.category });
      categories.set(group.category, category);
    }
    const id = env
      .model('res.groups')
      .create({ name: group.name, category_id: category, share: group.xmlid === 'base.group_portal' || group.xmlid === 'base.group_public' });
    groups.set(group.xmlid, id);
    xmlId(env, group.xmlid, 'res.groups', id);
  }
  for (const group of GROUPS) {
    if (group.implied.length > 0)
      env.model('res.groups').write([groups.get(group.xmlid)!], { implied_ids: [[6, 0, group.implied.map((xmlid) => groups.get(xmlid)!)]] });
  }
  return groups;
}

function seedUom(env: Env): void {
  const categories = env.model('uom.category');
  const unit = categories.create({ name: 'Unit' });
  const weight = categories.create({ name: 'Weight' });
  const time = categories.create({ name: 'Working Time' });
  const length = categories.create({ name: 'Length / Distance' });
  categories.create({ name: 'Surface' });
  const volume = categories.create({ name: 'Volume' });
  const uoms = env.model('uom.uom');
  uoms.create({ name: 'Units', category_id: unit, factor: 1, rounding: 0.01, uom_type: 'reference' });
  uoms.create({ name: 'Dozens', category_id: unit, factor: 1 / 12, rounding: 0.01, uom_type: 'bigger' });
  uoms.create({ name: 'kg', category_id: weight, factor: 1, rounding: 0.01, uom_type: 'reference' });
  uoms.create({ name: 'g', category_id: weight, factor: 1000, rounding: 0.01, uom_type: 'smaller' });
  uoms.create({ name: 'Days', category_id: time, factor: 1, rounding: 0.01, uom_type: 'reference' });
  uoms.create({ name: 'Hours', category_id: time, factor: 8, rounding: 0.01, uom_type: 'smaller' });
  uoms.create({ name: 'm', category_id: length, factor: 1, rounding: 0.01, uom_type: 'reference' });
  uoms.create({ name: 'km', category_id: length, factor: 0.001, rounding: 0.01, uom_type: 'bigger' });
  uoms.create({ name: 'L', category_id: volume, factor: 1, rounding: 0.01, uom_type: 'reference' });
}

function seedAccounting(env: Env, company: number): void {
  const account = (code: string, name: string, accountType: string, reconcile = false): number =>
    env.model('account.account').create({ code, name, account_type: accountType, reconcile, company_id: company });
  const receivable = account('121000', 'Account Receivable', 'asset_receivable', true);
  const payable = account('211000', 'Account Payable', 'liability_payable', true);
  const taxReceived = account('251000', 'Tax Received', 'liability_current');
  const taxPaid = account('131000', 'Tax Paid', 'asset_current');
  const sales = account('400000', 'Product Sales', 'income');
  const expenses = account('600000', 'Expenses', 'expense');
  const bank = account('101401', 'Bank', 'asset_cash');
  const cash = account('101501', 'Cash', 'asset_cash');
  account('101402', 'Bank Suspense Account', 'asset_current');
  account('101403', 'Outstanding Receipts', 'asset_current', true);
  account('101404', 'Outstanding Payments', 'asset_current', true);
  account('999999', 'Undistributed Profits/Losses', 'equity_unaffected');
  account('441000', 'Foreign Exchange Gain', 'income_other');
  account('641000', 'Foreign Exchange Loss', 'expense');
  account('110100', 'Stock Valuation', 'asset_current');
  // The cash-difference accounts of the generic chart: where payment write-offs usually go.
  account('642000', 'Cash Difference Loss', 'expense');
  account('442000', 'Cash Difference Gain', 'income_other');
  void taxPaid;
  void payable;
  void receivable;

  const group = env.model('account.tax.group').create({ name: 'Tax 15%', company_id: company });
  const taxes = env.model('account.tax');
  const saleTax = taxes.create({
    name: '15%',
    type_tax_use: 'sale',
    amount_type: 'percent',
    amount: 15,
    tax_group_id: group,
    company_id: company,
    invoice_label: '15%',
    description: '15%',
  });
  const purchaseTax = taxes.create({
    name: '15%',
    type_tax_use: 'purchase',
    amount_type: 'percent',
    amount: 15,
    tax_group_id: group,
    company_id: company,
    invoice_label: '15%',
    description: '15%',
  });
  env.model('res.company').write([company], { account_sale_tax_id: saleTax, account_purchase_tax_id: purchaseTax });
  xmlId(env, `account.${company}_sale_tax_template`, 'account.tax', saleTax);
  void taxReceived;

  const journals = env.model('account.journal');
  journals.create({ name: 'Customer Invoices', code: 'INV', type: 'sale', sequence: 5, default_account_id: sales, refund_sequence: true, company_id: company });
  journals.create({
    name: 'Vendor Bills',
    code: 'BILL',
    type: 'purchase',
    sequence: 6,
    default_account_id: expenses,
    refund_sequence: true,
    company_id: company,
  });
  journals.create({ name: 'Miscellaneous Operations', code: 'MISC', type: 'general', sequence: 9, company_id: company });
  journals.create({ name: 'Exchange Difference', code: 'EXCH', type: 'general', sequence: 9, company_id: company });
  journals.create({ name: 'Cash Basis Taxes', code: 'CABA', type: 'general', sequence: 9, company_id: company });
  journals.create({ name: 'Bank', code: 'BNK1', type: 'bank', sequence: 10, default_account_id: bank, company_id: company });
  journals.create({ name: 'Cash', code: 'CSH1', type: 'cash', sequence: 10, default_account_id: cash, company_id: company });
  journals.create({ name: 'Inventory Valuation', code: 'STJ', type: 'general', sequence: 9, company_id: company });

  const terms = env.model('account.payment.term');
  const term = (name: string, sequence: number, lines: Array<Record<string, unknown>>): number =>
    terms.create({ name, sequence, line_ids: lines.map((line) => [0, 0, line]) });
  term('Immediate Payment', 1, [{ value: 'percent', value_amount: 100, nb_days: 0 }]);
  term('15 Days', 2, [{ value: 'percent', value_amount: 100, nb_days: 15 }]);
  term('21 Days', 3, [{ value: 'percent', value_amount: 100, nb_days: 21 }]);
  term('30 Days', 4, [{ value: 'percent', value_amount: 100, nb_days: 30 }]);
  term('45 Days', 5, [{ value: 'percent', value_amount: 100, nb_days: 45 }]);
  term('End of Following Month', 6, [{ value: 'percent', value_amount: 100, nb_days: 31, delay_type: 'days_after_end_of_next_month' }]);
  term('10 Days after End of Next Month', 7, [{ value: 'percent', value_amount: 100, nb_days: 10, delay_type: 'days_after_end_of_next_month' }]);
  term('30% Now, Balance 60 Days', 8, [
    { value: 'percent', value_amount: 30, nb_days: 0 },
    { value: 'percent', value_amount: 70, nb_days: 60 },
  ]);
}

function seedStock(env: Env, company: number, companyPartner: number, companyName: string): void {
  const locations = env.model('stock.location');
  const location = (name: string, usage: string, parent: number | false, extra: Record<string, unknown> = {}): number =>
    locations.create({ name, usage, location_id: parent, ...extra });
  const physical = location('Physical Locations', 'view', false);
  const partners = location('Partners', 'view', false);
  const virtual = location('Virtual Locations', 'view', false);
  const vendors = location('Vendors', 'supplier', partners);
  const customers = location('Customers', 'customer', partners);
  location('Inter-company transit', 'transit', physical, { active: false });
  const view = location('WH', 'view', physical, { company_id: company });
  const stock = location('Stock', 'internal', view, { company_id: company });
  location('Input', 'internal', view, { company_id: company, active: false });
  location('Quality Control', 'internal', view, { company_id: company, active: false });
  location('Output', 'internal', view, { company_id: company, active: false });
  location('Packing Zone', 'internal', view, { company_id: company, active: false });
  location('Inventory adjustment', 'inventory', virtual, { company_id: company });
  location('Production', 'production', virtual, { company_id: company });
  location('Scrap', 'inventory', virtual, { company_id: company, scrap_location: true });

  const warehouse = env.model('stock.warehouse').create({
    name: companyName,
    code: 'WH',
    company_id: company,
    partner_id: companyPartner,
    view_location_id: view,
    lot_stock_id: stock,
  });
  xmlId(env, 'stock.warehouse0', 'stock.warehouse', warehouse);
  xmlId(env, 'stock.stock_location_stock', 'stock.location', stock);
  xmlId(env, 'stock.stock_location_customers', 'stock.location', customers);
  xmlId(env, 'stock.stock_location_suppliers', 'stock.location', vendors);
  const types = env.model('stock.picking.type');
  const type = (name: string, code: string, sequenceCode: string, sequence: number, src: number | false, dest: number | false, active = true): number =>
    types.create({
      name,
      code,
      sequence_code: sequenceCode,
      sequence,
      warehouse_id: warehouse,
      default_location_src_id: src,
      default_location_dest_id: dest,
      company_id: company,
      active,
    });
  const inType = type('Receipts', 'incoming', 'IN', 1, vendors, stock);
  const outType = type('Delivery Orders', 'outgoing', 'OUT', 5, stock, customers);
  type('Pick', 'internal', 'PICK', 3, stock, stock, false);
  type('Pack', 'internal', 'PACK', 4, stock, stock, false);
  const intType = type('Internal Transfers', 'internal', 'INT', 2, stock, stock, false);
  env.model('stock.warehouse').write([warehouse], { in_type_id: inType, out_type_id: outType, int_type_id: intType });
}
