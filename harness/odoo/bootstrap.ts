/**
 * Puts the world's master data into an Odoo over its external API only, so the
 * same code prepares the emulator, a container and a customer's test server:
 * the catalogue's products (matched by `default_code` = sku) with the sale tax,
 * stock on hand for storable ones, the rounding-difference product, a payment
 * term, and the integration user the middlewares log in as. Idempotent: a
 * second run finds everything and changes nothing.
 */
import { CATALOGUE, SALE_TAX_RATE } from '../world/catalogue.ts';
import type { CatalogueProduct } from '../world/catalogue.ts';
import { OdooError } from './client.ts';
import type { OdooClient } from './client.ts';
import { INTEGRATION_USER } from '../contracts/identities.ts';

/**
 * A product no storefront sells: a middleware puts it on a sale order for the
 * cent or two between what the customer was charged and Odoo's rounding of the
 * lines. A service without taxes, invoiced on order, so the line moves the
 * order's and the invoice's totals by exactly its price and waits for no delivery.
 */
export const ROUNDING_PRODUCT_CODE = 'FL-ROUNDING';
const ROUNDING_PRODUCT = { name: 'Rounding difference', detailed_type: 'service', invoice_policy: 'order', list_price: 0 } as const;

/**
 * Groups the integration user needs, by XML id, *added* to the ones Odoo gives
 * every new internal user: a `[6, 0, ids]` replace would drop `base.group_user`
 * and the defaults. Creating customers needs `base.group_partner_manager`
 * (Odoo 17's base/security/ir.model.access.csv gives plain users read only);
 * invoices and `account.payment.register` need `account.group_account_invoice`.
 */
const INTEGRATION_GROUPS = [
  ['base', 'group_partner_manager'],
  ['sales_team', 'group_sale_salesman'],
  ['stock', 'group_stock_user'],
  ['account', 'group_account_invoice'],
] as const;

export interface BootstrapOptions {
  catalogue?: readonly CatalogueProduct[];
  integrationUser?: { login: string; password: string; name?: string; email?: string };
  /** Default SALE_TAX_RATE (0.15). */
  taxRate?: number;
}

export interface BootstrapResult {
  /** product.product ids by sku, the catalogue's only. */
  productIds: Record<string, number>;
  /** The product.product with `default_code` ROUNDING_PRODUCT_CODE. */
  roundingProductId: number;
  saleTaxId: number;
  paymentTermId: number;
  stockLocationId: number | undefined;
  integrationUserId: number;
  /** What this run created or changed; empty when Odoo was already bootstrapped. */
  changes: string[];
}

interface ProductRow {
  id: number;
  default_code: string | false;
  name: string;
  detailed_type: string;
  invoice_policy: string;
  list_price: number;
  taxes_id: number[];
  qty_available?: number;
}

/**
 * `client` is logged in as an administrator (it creates users). Returns the ids
 * the harness may want; middlewares look them up themselves.
 */
export async function bootstrapOdoo(client: OdooClient, options: BootstrapOptions = {}): Promise<BootstrapResult> {
  const catalogue = options.catalogue ?? CATALOGUE;
  const user = { ...INTEGRATION_USER, ...options.integrationUser };
  const taxRate = options.taxRate ?? SALE_TAX_RATE;
  checkCatalogue(catalogue);
  const changes: string[] = [];
  const admin = client.withCorrelationId('bootstrap');

  const saleTaxId = await ensureSaleTax(admin, taxRate, changes);
  const products = await ensureProducts(admin, catalogue, saleTaxId, changes);
  const { [ROUNDING_PRODUCT_CODE]: roundingProductId, ...productIds } = products;
  const stockLocationId = await ensureStock(admin, catalogue, productIds, changes);
  const paymentTermId = await ensurePaymentTerm(admin, changes);
  const integrationUserId = await ensureIntegrationUser(admin, client, user, changes);
  return { productIds, roundingProductId: roundingProductId!, saleTaxId, paymentTermId, stockLocationId, integrationUserId, changes };
}

async function ensureSaleTax(client: OdooClient, rate: number, changes: string[]): Promise<number> {
  const percent = Math.round(rate * 10000) / 100;
  const [found] = await client.search(
    'account.tax',
    [
      ['type_tax_use', '=', 'sale'],
      ['amount_type', '=', 'percent'],
      ['amount', '=', percent],
    ],
    { limit: 1 },
  );
  if (found !== undefined) return found;
  changes.push(`account.tax ${percent}% (sale)`);
  return client.create('account.tax', { name: `${percent}%`, amount: percent, amount_type: 'percent', type_tax_use: 'sale' });
}

/** The catalogue's products with the sale tax, and the rounding product with none; ids by sku. */
async function ensureProducts(client: OdooClient, catalogue: readonly CatalogueProduct[], taxId: number, changes: string[]): Promise<Record<string, number>> {
  const specs: { sku: string; wanted: Record<string, unknown>; taxIds: number[] }[] = [
    ...catalogue.map((p) => ({
      sku: p.sku,
      wanted: { name: p.name, detailed_type: p.kind, invoice_policy: p.invoicePolicy, list_price: p.listPrice },
      taxIds: [taxId],
    })),
    // Explicitly no taxes: Odoo gives a new product the company's default sale tax otherwise.
    { sku: ROUNDING_PRODUCT_CODE, wanted: { ...ROUNDING_PRODUCT }, taxIds: [] },
  ];
  const rows = await client.searchRead<ProductRow & Record<string, unknown>>('product.product', [['default_code', 'in', specs.map((p) => p.sku)]], {
    fields: ['default_code', 'name', 'detailed_type', 'invoice_policy', 'list_price', 'taxes_id'],
  });
  const bySku = new Map(rows.map((r) => [String(r.default_code), r]));
  const ids: Record<string, number> = {};
  for (const { sku, wanted, taxIds } of specs) {
    const row = bySku.get(sku);
    if (row === undefined) {
      ids[sku] = await client.create('product.product', { ...wanted, default_code: sku, taxes_id: [[6, 0, taxIds]] });
      changes.push(`product ${sku}`);
      continue;
    }
    ids[sku] = row.id;
    const drift: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(wanted)) if (!sameValue(field, row[field], value)) drift[field] = value;
    // Taxes someone added to a catalogue product are theirs to keep; a taxed rounding line would move the total by more than its price.
    const taxesOk = taxIds.length === 0 ? row.taxes_id.length === 0 : taxIds.every((id) => row.taxes_id.includes(id));
    if (!taxesOk) drift.taxes_id = [[6, 0, taxIds]];
    if (Object.keys(drift).length > 0) {
      await client.write('product.product', [row.id], drift);
      changes.push(`product ${sku}: ${Object.keys(drift).join(', ')}`);
    }
  }
  return ids;
}

async function ensureStock(
  client: OdooClient,
  catalogue: readonly CatalogueProduct[],
  productIds: Record<string, number>,
  changes: string[],
): Promise<number | undefined> {
  const storable = catalogue.filter((p) => p.kind === 'product' && p.initialStock > 0);
  if (storable.length === 0) return undefined;
  const [warehouse] = await client.searchRead('stock.warehouse', [], { fields: ['lot_stock_id'], limit: 1 });
  const lot = warehouse?.lot_stock_id;
  if (!Array.isArray(lot) || typeof lot[0] !== 'number')
    throw new Error('Odoo has no warehouse with a stock location; install the Inventory app (stock) before bootstrapping');
  const locationId = lot[0];
  const onHand = await client.read<ProductRow & Record<string, unknown>>(
    'product.product',
    storable.map((p) => productIds[p.sku]!),
    ['qty_available'],
  );
  const qty = new Map(onHand.map((r) => [r.id, Number(r.qty_available ?? 0)]));
  for (const product of storable) {
    const id = productIds[product.sku]!;
    if ((qty.get(id) ?? 0) >= product.initialStock) continue;
    const quantId = await client.create(
      'stock.quant',
      { product_id: id, location_id: locationId, inventory_quantity: product.initialStock },
      { context: { inventory_mode: true } },
    );
    // Returns None: over XML-RPC that is fault 1 *after* the commit; the client reports it as a None result.
    await client.executeKw('stock.quant', 'action_apply_inventory', [[quantId]], { context: { inventory_mode: true } }, { acceptNone: true });
    changes.push(`stock ${product.sku} = ${product.initialStock}`);
  }
  return locationId;
}

async function ensurePaymentTerm(client: OdooClient, changes: string[]): Promise<number> {
  // Any term will do: orders with one make create_invoices answer without a None inside.
  const [found] = await client.search('account.payment.term', [], { limit: 1 });
  if (found !== undefined) return found;
  changes.push('account.payment.term Immediate Payment');
  return client.create('account.payment.term', { name: 'Immediate Payment', line_ids: [[0, 0, { value: 'percent', value_amount: 100, nb_days: 0 }]] });
}

async function ensureIntegrationUser(
  client: OdooClient,
  adminClient: OdooClient,
  user: { login: string; password: string; name: string; email: string },
  changes: string[],
): Promise<number> {
  const groups = await findGroups(client);
  const [found] = await client.searchRead<{ id: number; email: string | false; groups_id: number[]; active: boolean }>(
    'res.users',
    [['login', '=', user.login]],
    { fields: ['email', 'groups_id', 'active'], limit: 1, context: { active_test: false } },
  );
  if (found === undefined) {
    changes.push(`res.users ${user.login}`);
    // Created without groups_id so Odoo applies its defaults for an internal user, then the needed groups are added.
    const id = await client.create('res.users', { name: user.name, login: user.login, password: user.password, email: user.email });
    if (groups.length > 0) await client.write('res.users', [id], { groups_id: groups.map((group) => [4, group]) });
    return id;
  }
  const drift: Record<string, unknown> = {};
  const missingGroups = groups.filter((group) => !found.groups_id.includes(group));
  if (missingGroups.length > 0) drift.groups_id = missingGroups.map((group) => [4, group]);
  if (found.email === false || found.email === '') drift.email = user.email;
  if (!found.active) drift.active = true;
  if (!(await canLogIn(adminClient, user))) drift.password = user.password;
  if (Object.keys(drift).length > 0) {
    await client.write('res.users', [found.id], drift);
    changes.push(`res.users ${user.login}: ${Object.keys(drift).join(', ')}`);
  }
  return found.id;
}

/** Group ids by XML id, when the server exposes ir.model.data; without them the user gets Odoo's defaults. */
async function findGroups(client: OdooClient): Promise<number[]> {
  try {
    const rows = await client.searchRead(
      'ir.model.data',
      [
        ['model', '=', 'res.groups'],
        ['name', 'in', INTEGRATION_GROUPS.map(([, name]) => name)],
      ],
      { fields: ['module', 'name', 'res_id'] },
    );
    return rows.filter((r) => INTEGRATION_GROUPS.some(([m, n]) => r.module === m && r.name === n)).map((r) => Number(r.res_id));
  } catch (error) {
    if (error instanceof OdooError && error.kind === 'fault') return [];
    throw error;
  }
}

async function canLogIn(adminClient: OdooClient, user: { login: string; password: string }): Promise<boolean> {
  const probe = adminClient.withCredentials(user.login, user.password);
  try {
    await probe.authenticate({ correlationId: 'bootstrap' });
    return true;
  } catch (error) {
    if (error instanceof OdooError && error.isAccessDenied) return false;
    throw error;
  }
}

/**
 * Odoo stores list_price at its 'Product Price' precision (2 decimals), so the
 * catalogue's 1.005 reads back as 1.01: that is not drift.
 */
function sameValue(field: string, stored: unknown, wanted: unknown): boolean {
  if (field === 'list_price' && typeof stored === 'number' && typeof wanted === 'number') return Math.abs(stored - wanted) <= 0.005 + 1e-9;
  return stored === wanted;
}

function checkCatalogue(catalogue: readonly CatalogueProduct[]): void {
  const seen = new Set<string>();
  for (const p of catalogue) {
    if (p.sku === ROUNDING_PRODUCT_CODE)
      throw new TypeError(`catalogue lists sku ${ROUNDING_PRODUCT_CODE}, which the bootstrap keeps for rounding differences; choose another sku`);
    if (typeof p.sku !== 'string' || p.sku === '')
      throw new TypeError(`catalogue product ${JSON.stringify(p.name)} has no sku; every product needs one (it becomes default_code)`);
    if (seen.has(p.sku)) throw new TypeError(`catalogue lists sku ${p.sku} twice; skus must be unique`);
    seen.add(p.sku);
  }
}
