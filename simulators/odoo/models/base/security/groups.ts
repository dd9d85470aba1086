/**
 * The access groups of a fresh Odoo 17.0 with sale_management, stock and
 * account (no demo data), in their database id order, as the real server lists
 * them: external id, name, category (the part before the '/' in Odoo's access
 * error texts), and the groups each implies. Facts read from a fresh server,
 * not code.
 */
export interface GroupInfo {
  readonly xmlid: string;
  readonly name: string;
  readonly category: string | false;
  readonly implied: readonly string[];
}

export const GROUPS: readonly GroupInfo[] = [
  { xmlid: 'base.group_user', name: 'Internal User', category: 'User types', implied: ['mail.group_mail_template_editor', 'base.group_no_one'] },
  { xmlid: 'base.group_erp_manager', name: 'Access Rights', category: 'Administration', implied: ['base.group_user'] },
  { xmlid: 'base.group_sanitize_override', name: 'Bypass HTML Field Sanitize', category: false, implied: [] },
  {
    xmlid: 'base.group_system',
    name: 'Settings',
    category: 'Administration',
    implied: ['base.group_erp_manager', 'base.group_sanitize_override', 'mail.group_mail_template_editor'],
  },
  { xmlid: 'base.group_multi_company', name: 'Multi Companies', category: 'Extra Rights', implied: [] },
  { xmlid: 'base.group_multi_currency', name: 'Multi Currencies', category: 'Extra Rights', implied: [] },
  { xmlid: 'base.group_no_one', name: 'Technical Features', category: 'Extra Rights', implied: [] },
  { xmlid: 'base.group_allow_export', name: 'Access to export feature', category: 'Technical', implied: [] },
  { xmlid: 'base.group_partner_manager', name: 'Contact Creation', category: 'Extra Rights', implied: [] },
  { xmlid: 'base.group_portal', name: 'Portal', category: 'User types', implied: [] },
  { xmlid: 'base.group_public', name: 'Public', category: 'User types', implied: [] },
  { xmlid: 'uom.group_uom', name: 'Manage Multiple Units of Measure', category: 'Technical', implied: [] },
  { xmlid: 'mail.group_mail_template_editor', name: 'Mail Template Editor', category: 'Technical', implied: [] },
  { xmlid: 'mail.group_mail_notification_type_inbox', name: 'Receive notifications in Odoo', category: 'Technical', implied: [] },
  { xmlid: 'analytic.group_analytic_accounting', name: 'Analytic Accounting', category: 'Technical', implied: [] },
  { xmlid: 'product.group_product_pricelist', name: 'Basic Pricelists', category: 'Technical', implied: [] },
  { xmlid: 'product.group_sale_pricelist', name: 'Advanced Pricelists', category: 'Technical', implied: ['product.group_product_pricelist'] },
  { xmlid: 'product.group_stock_packaging', name: 'Manage Product Packaging', category: 'Technical', implied: [] },
  { xmlid: 'product.group_product_variant', name: 'Manage Product Variants', category: 'Technical', implied: [] },
  { xmlid: 'product.group_discount_per_so_line', name: 'Discount on lines', category: 'Technical', implied: [] },
  { xmlid: 'sales_team.group_sale_salesman', name: 'User: Own Documents Only', category: 'Sales', implied: ['base.group_user'] },
  { xmlid: 'sales_team.group_sale_salesman_all_leads', name: 'User: All Documents', category: 'Sales', implied: ['sales_team.group_sale_salesman'] },
  {
    xmlid: 'sales_team.group_sale_manager',
    name: 'Administrator',
    category: 'Sales',
    implied: ['mail.group_mail_template_editor', 'sales_team.group_sale_salesman_all_leads'],
  },
  { xmlid: 'account.group_delivery_invoice_address', name: 'Delivery Address', category: 'Technical', implied: [] },
  { xmlid: 'account.group_account_readonly', name: 'Show Accounting Features - Readonly', category: 'Technical', implied: ['base.group_user'] },
  { xmlid: 'account.group_account_invoice', name: 'Billing', category: 'Invoicing', implied: ['base.group_user'] },
  {
    xmlid: 'account.group_account_user',
    name: 'Show Full Accounting Features',
    category: 'Technical',
    implied: ['account.group_account_invoice', 'account.group_account_readonly'],
  },
  { xmlid: 'account.group_account_manager', name: 'Billing Administrator', category: 'Invoicing', implied: ['account.group_account_invoice'] },
  { xmlid: 'account.group_warning_account', name: 'A warning can be set on a partner (Account)', category: 'Technical', implied: [] },
  { xmlid: 'account.group_cash_rounding', name: 'Allow the cash rounding management', category: 'Technical', implied: [] },
  { xmlid: 'account.group_sale_receipts', name: 'Sale Receipt', category: 'Technical', implied: [] },
  { xmlid: 'account.group_purchase_receipts', name: 'Purchase Receipt', category: 'Technical', implied: [] },
  { xmlid: 'account.group_validate_bank_account', name: 'Validate bank account', category: 'Bank', implied: [] },
  { xmlid: 'spreadsheet_dashboard.group_dashboard_manager', name: 'Admin', category: 'Dashboard', implied: [] },
  { xmlid: 'stock.group_stock_multi_locations', name: 'Manage Multiple Stock Locations', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_multi_warehouses', name: 'Manage Multiple Warehouses', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_user', name: 'User', category: 'Inventory', implied: ['base.group_user'] },
  { xmlid: 'stock.group_stock_manager', name: 'Administrator', category: 'Inventory', implied: ['stock.group_stock_user'] },
  { xmlid: 'stock.group_production_lot', name: 'Manage Lots / Serial Numbers', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_lot_print_gs1', name: 'Print GS1 Barcodes for Lot & Serial Numbers', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_lot_on_delivery_slip', name: 'Display Serial & Lot Number in Delivery Slips', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_tracking_lot', name: 'Manage Packages', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_adv_location', name: 'Manage Push and Pull inventory flows', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_tracking_owner', name: 'Manage Different Stock Owners', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_warning_stock', name: 'A warning can be set on a partner (Stock)', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_sign_delivery', name: 'Require a signature on your delivery orders', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_storage_categories', name: 'Manage Storage Categories', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_reception_report', name: 'Use Reception Report', category: 'Technical', implied: [] },
  { xmlid: 'stock.group_stock_picking_wave', name: 'Use wave pickings', category: 'Technical', implied: [] },
  { xmlid: 'stock_account.group_lot_on_invoice', name: 'Display Serial & Lot Number on Invoices', category: 'Technical', implied: [] },
  { xmlid: 'stock_account.group_stock_accounting_automatic', name: 'Stock Accounting Automatic', category: 'Technical', implied: [] },
  { xmlid: 'sale.group_auto_done_setting', name: 'Lock Confirmed Sales', category: 'Technical', implied: [] },
  { xmlid: 'sale.group_warning_sale', name: 'A warning can be set on a product or a customer (Sale)', category: 'Technical', implied: [] },
  { xmlid: 'sale.group_proforma_sales', name: 'Pro-forma Invoices', category: 'Technical', implied: [] },
  { xmlid: 'sale_management.group_sale_order_template', name: 'Quotation Templates', category: 'Technical', implied: [] },
];

/** The groups of the Default User Template (base.default_user): what `res.users.create` gives when `groups_id` is not set (res_users.py `_default_groups`). */
export const DEFAULT_USER_GROUPS: readonly string[] = [
  'base.group_allow_export',
  'stock.group_stock_manager',
  'sales_team.group_sale_manager',
  'account.group_account_invoice',
  'account.group_account_manager',
  'base.group_partner_manager',
  'base.group_user',
  'mail.group_mail_template_editor',
  'base.group_no_one',
  'stock.group_stock_user',
  'sales_team.group_sale_salesman_all_leads',
  'sales_team.group_sale_salesman',
];

/** The admin's groups (uid 2) in a fresh database. */
export const ADMIN_GROUPS: readonly string[] = [
  'base.group_erp_manager',
  'base.group_allow_export',
  'spreadsheet_dashboard.group_dashboard_manager',
  'stock.group_stock_manager',
  'sales_team.group_sale_manager',
  'account.group_account_invoice',
  'account.group_account_manager',
  'base.group_sanitize_override',
  'base.group_partner_manager',
  'base.group_user',
  'mail.group_mail_template_editor',
  'base.group_system',
  'base.group_no_one',
  'stock.group_stock_user',
  'sales_team.group_sale_salesman_all_leads',
  'sales_team.group_sale_salesman',
  'account.group_validate_bank_account',
];
