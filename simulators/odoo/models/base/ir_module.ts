import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';

/**
 * The modules list (`ir.module.module`), so clients can check what is
 * installed and ask for more the way they do on a real server. Installing
 * only changes states here: the emulator's models are fixed when the database
 * is built, so an installed `purchase` brings no purchase.order.
 */

const STATES = [
  ['uninstallable', 'Uninstallable'],
  ['uninstalled', 'Not Installed'],
  ['installed', 'Installed'],
  ['to upgrade', 'To be upgraded'],
  ['to remove', 'To be removed'],
  ['to install', 'To be installed'],
] as const;

interface ModuleInfo {
  readonly name: string;
  readonly shortdesc: string;
  readonly depends: readonly string[];
  readonly application?: boolean;
  readonly autoInstall?: boolean;
  /** Installed only with the business module (sale, stock and their bridges). */
  readonly business?: boolean;
}

const mod = (name: string, shortdesc: string, depends: readonly string[], extra: Partial<ModuleInfo> = {}): ModuleInfo => ({
  name,
  shortdesc,
  depends,
  ...extra,
});

/**
 * The modules of a fresh Odoo 17.0 with sale_management, stock and account and
 * their dependencies and auto-installed bridges (installed), then a few
 * popular ones that are only available. The set is reconstructed from the
 * modules' manifests, not listed from a recorded database.
 */
export const INSTALLED_MODULES: readonly ModuleInfo[] = [
  mod('base', 'Base', []),
  mod('web', 'Web', ['base']),
  mod('base_setup', 'Initial Setup Tools', ['base', 'web']),
  mod('base_import', 'Base import', ['web']),
  mod('bus', 'IM Bus', ['base', 'web']),
  mod('web_tour', 'Tours', ['web']),
  mod('web_editor', 'Web Editor', ['web', 'bus']),
  mod('web_unsplash', 'Unsplash Image Library', ['base_setup', 'web_editor'], { autoInstall: true }),
  mod('http_routing', 'Web Routing', ['web']),
  mod('mail', 'Discuss', ['base', 'base_setup', 'bus', 'web_tour'], { application: true }),
  mod('mail_bot', 'OdooBot', ['mail'], { autoInstall: true }),
  mod('auth_signup', 'Signup', ['base_setup', 'mail', 'web']),
  mod('auth_totp', 'Two-Factor Authentication (TOTP)', ['web'], { autoInstall: true }),
  mod('auth_totp_mail', '2FA Invite mail', ['auth_totp', 'mail'], { autoInstall: true }),
  mod('base_install_request', 'Base - Module Install Request', ['base_setup', 'mail'], { autoInstall: true }),
  mod('privacy_lookup', 'Privacy', ['mail'], { autoInstall: true }),
  mod('portal', 'Customer Portal', ['web', 'web_editor', 'http_routing', 'mail', 'auth_signup']),
  mod('auth_totp_portal', 'TOTPortal', ['portal', 'auth_totp'], { autoInstall: true }),
  mod('iap', 'In-App Purchases', ['web', 'base_setup']),
  mod('iap_mail', 'IAP / Mail', ['iap', 'mail'], { autoInstall: true }),
  mod('partner_autocomplete', 'Partner Autocomplete', ['iap_mail'], { autoInstall: true }),
  mod('digest', 'KPI Digests', ['mail', 'portal', 'resource']),
  mod('resource', 'Resource', ['base', 'web']),
  mod('utm', 'UTM Trackers', ['base', 'web']),
  mod('onboarding', 'Onboarding Toolbox', ['web']),
  mod('uom', 'Units of measure', ['base']),
  mod('product', 'Products & Pricelists', ['base', 'mail', 'uom']),
  mod('analytic', 'Analytic Accounting', ['base', 'mail', 'uom']),
  mod('account', 'Invoicing', ['base_setup', 'onboarding', 'product', 'analytic', 'portal', 'digest'], { application: true }),
  mod('payment', 'Payment Engine', ['onboarding', 'portal']),
  mod('account_payment', 'Payment - Account', ['account', 'payment'], { autoInstall: true }),
  mod('spreadsheet', 'Spreadsheet', ['bus', 'web']),
  mod('spreadsheet_dashboard', 'Spreadsheet dashboard', ['spreadsheet'], { autoInstall: true }),
  mod('spreadsheet_account', 'Spreadsheet Accounting Formulas', ['spreadsheet', 'account'], { autoInstall: true }),
  mod('spreadsheet_dashboard_account', 'Spreadsheet dashboard for accounting', ['spreadsheet_dashboard', 'account'], { autoInstall: true }),
  mod('sales_team', 'Sales Teams', ['base', 'mail'], { business: true }),
  mod('sale', 'Sales', ['sales_team', 'account_payment', 'utm'], { business: true }),
  mod('sale_management', 'Sales', ['sale', 'digest'], { application: true, business: true }),
  mod('spreadsheet_dashboard_sale', 'Spreadsheet dashboard for sales', ['spreadsheet_dashboard', 'sale'], { autoInstall: true, business: true }),
  mod('barcodes', 'Barcode', ['web']),
  mod('barcodes_gs1_nomenclature', 'Barcode - GS1 Nomenclature', ['barcodes', 'uom']),
  mod('stock', 'Inventory', ['product', 'barcodes_gs1_nomenclature', 'digest'], { application: true, business: true }),
  mod('stock_account', 'WMS Accounting', ['stock', 'account'], { autoInstall: true, business: true }),
  mod('sale_stock', 'Sales and Warehouse Management', ['sale', 'stock_account'], { autoInstall: true, business: true }),
  mod('spreadsheet_dashboard_stock_account', 'Spreadsheet dashboard for stock', ['spreadsheet_dashboard', 'stock_account'], {
    autoInstall: true,
    business: true,
  }),
];

export const AVAILABLE_MODULES: readonly ModuleInfo[] = [
  mod('crm', 'CRM', ['base_setup', 'sales_team', 'mail', 'calendar', 'resource', 'utm', 'web_tour', 'contacts', 'digest', 'phone_validation'], {
    application: true,
  }),
  mod('calendar', 'Calendar', ['base', 'mail'], { application: true }),
  mod('contacts', 'Contacts', ['base', 'mail'], { application: true }),
  mod('phone_validation', 'Phone Numbers Validation', ['base', 'mail']),
  mod('sms', 'SMS gateway', ['base', 'iap_mail', 'mail', 'phone_validation']),
  mod('sale_crm', 'Opportunity to Quotation', ['sale', 'crm'], { autoInstall: true }),
  mod('purchase', 'Purchase', ['account'], { application: true }),
  mod('purchase_stock', 'Purchase Stock', ['stock_account', 'purchase'], { autoInstall: true }),
  mod('sale_purchase', 'Sale Purchase', ['sale', 'purchase'], { autoInstall: true }),
  mod('delivery', 'Delivery Costs', ['sale']),
  mod('stock_delivery', 'Delivery - Stock', ['stock', 'delivery'], { autoInstall: true }),
  mod('mrp', 'Manufacturing', ['product', 'stock', 'resource'], { application: true }),
  mod('mrp_account', 'Accounting - MRP', ['mrp', 'stock_account'], { autoInstall: true }),
  mod('sale_mrp', 'Sales and MRP Management', ['mrp', 'sale_stock'], { autoInstall: true }),
  mod('project', 'Project', ['analytic', 'base_setup', 'mail', 'portal', 'rating', 'resource', 'web', 'web_tour', 'digest'], { application: true }),
  mod('rating', 'Customer Rating', ['mail']),
  mod('hr', 'Employees', ['base_setup', 'mail', 'resource', 'web'], { application: true }),
  mod('website', 'Website', ['digest', 'web', 'web_editor', 'http_routing', 'portal', 'social_media', 'auth_signup', 'mail', 'google_recaptcha', 'utm'], {
    application: true,
  }),
  mod('social_media', 'Social Media', ['base']),
  mod('google_recaptcha', 'Google reCAPTCHA integration', ['base_setup']),
  mod('website_sale', 'eCommerce', ['website', 'sale', 'website_payment', 'website_mail', 'portal_rating', 'digest', 'delivery'], { application: true }),
  mod('website_payment', 'Website Payment', ['website', 'account_payment', 'portal'], { autoInstall: true }),
  mod('website_mail', 'Website Mail', ['website', 'mail'], { autoInstall: true }),
  mod('portal_rating', 'Portal Rating', ['portal', 'rating']),
  mod('point_of_sale', 'Point of Sale', ['stock_account', 'barcodes', 'web_editor', 'digest'], { application: true }),
  mod('l10n_us', 'United States - Accounting', ['account']),
  mod('l10n_be', 'Belgium - Accounting', ['account', 'base_iban', 'base_vat']),
  mod('l10n_fr', 'France - Accounting', ['account', 'base_iban', 'base_vat']),
  mod('base_iban', 'IBAN Bank Accounts', ['account', 'web']),
  mod('base_vat', 'VAT Number Validation', ['account']),
];

const KNOWN = new Map([...INSTALLED_MODULES, ...AVAILABLE_MODULES].map((info) => [info.name, info]));

export const irModuleModule = defineModel({
  name: 'ir.module.module',
  description: 'Module',
  order: 'application desc, sequence, name',
  recName: 'shortdesc',
  fields: {
    name: fields.char({ string: 'Technical Name', required: true, readonly: true, index: true }),
    shortdesc: fields.char({ string: 'Module Name', readonly: true }),
    summary: fields.char({ string: 'Summary', readonly: true }),
    author: fields.char({ string: 'Author', readonly: true }),
    website: fields.char({ string: 'Website', readonly: true }),
    license: fields.char({ string: 'License', readonly: true, default: 'LGPL-3' }),
    latest_version: fields.char({ string: 'Latest Version', readonly: true }),
    installed_version: fields.char({
      string: 'Latest Version',
      compute: (_env, row) => (row.state === 'installed' || row.state === 'to upgrade' ? row.latest_version : false),
    }),
    sequence: fields.integer({ string: 'Sequence', default: 100 }),
    application: fields.boolean({ string: 'Application', readonly: true, default: false }),
    auto_install: fields.boolean({ string: 'Automatic Installation', default: false }),
    demo: fields.boolean({ string: 'Demo Data', default: false, readonly: true }),
    state: fields.selection(STATES, { string: 'Status', readonly: true, default: 'uninstalled', index: true }),
  },
  hooks: {
    beforeUnlink(env, ids) {
      const modules = env.model('ir.module.module');
      for (const id of ids) {
        const state = modules.row(id)?.state;
        if (state === 'installed' || state === 'to upgrade' || state === 'to remove' || state === 'to install') {
          throw new UserError('You are trying to remove a module that is installed or will be installed.');
        }
      }
    },
  },
  methods: {
    // Odoo installs the dependencies, then every auto_install module whose dependencies are all installed.
    button_immediate_install: recordMethod([], ({ env, ids }) => {
      installModules(env, ids);
      return { type: 'ir.actions.client', tag: 'reload', params: { menu_id: false } };
    }),
    button_install: recordMethod([], ({ env, ids }) => {
      installModules(env, ids);
      return true;
    }),
    button_immediate_uninstall: recordMethod([], () => {
      throw new UserError('The Odoo emulator does not uninstall modules: its models are fixed when the database is built.');
    }),
    button_uninstall: recordMethod([], () => {
      throw new UserError('The Odoo emulator does not uninstall modules: its models are fixed when the database is built.');
    }),
  },
});

function installModules(env: Env, ids: readonly number[]): void {
  const modules = env.model('ir.module.module');
  const byName = new Map<string, number>();
  for (const id of modules.search([])) byName.set(String(modules.get(id, 'name')), id);
  const installed = new Set<string>();
  for (const [name, id] of byName) if (modules.get(id, 'state') === 'installed') installed.add(name);
  const install = (name: string, requiredBy: string | undefined): void => {
    if (installed.has(name)) return;
    const id = byName.get(name);
    if (id === undefined || modules.get(id, 'state') === 'uninstallable') {
      throw new UserError(
        `You try to install module "${requiredBy ?? name}" that depends on module "${name}".\nBut the latter module is not available in your system.`,
      );
    }
    installed.add(name);
    for (const dependency of KNOWN.get(name)?.depends ?? []) install(dependency, name);
    modules.setStored([id], { state: 'installed' });
  };
  for (const id of ids) {
    const name = String(modules.get(id, 'name'));
    install(name, undefined);
  }
  let added = true;
  while (added) {
    added = false;
    for (const info of KNOWN.values()) {
      if (info.autoInstall !== true || installed.has(info.name) || !byName.has(info.name)) continue;
      if (info.depends.every((dependency) => installed.has(dependency))) {
        install(info.name, undefined);
        added = true;
      }
    }
  }
}

/** The modules list of a fresh database; the sale and stock ones only when the business models are there. */
export function seedModules(env: Env): void {
  const modules = env.model('ir.module.module');
  const business = env.db.registry.models.has('sale.order');
  for (const info of [...INSTALLED_MODULES, ...AVAILABLE_MODULES]) {
    const installed = INSTALLED_MODULES.includes(info) && (info.business !== true || business);
    modules.create({
      name: info.name,
      shortdesc: info.shortdesc,
      author: 'Odoo S.A.',
      website: 'https://www.odoo.com',
      latest_version: '17.0.1.0',
      application: info.application === true,
      auto_install: info.autoInstall === true,
      state: installed ? 'installed' : 'uninstalled',
    });
  }
}
