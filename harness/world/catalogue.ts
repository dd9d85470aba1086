/**
 * The products every simulated world sells. Capture offers them, the bootstrap
 * creates them in Odoo (matched by `default_code` = sku). Prices with a third
 * decimal are half-cent ties on purpose: they are where systems drift apart.
 */
export type ProductKind = 'consu' | 'product' | 'service';
export type InvoicePolicy = 'order' | 'delivery';

export interface CatalogueProduct {
  sku: string;
  name: string;
  /** Odoo 17 `detailed_type`: consumable, storable, service. */
  kind: ProductKind;
  invoicePolicy: InvoicePolicy;
  /** Tax-excluded unit price in the currency's unit. */
  listPrice: number;
  /** Units put on hand for storable products before the run. */
  initialStock: number;
}

export const SALE_TAX_RATE = 0.15;

export const CATALOGUE: readonly CatalogueProduct[] = [
  { sku: 'FL-CONSU-01', name: 'Packing tape', kind: 'consu', invoicePolicy: 'order', listPrice: 1.005, initialStock: 0 },
  { sku: 'FL-CONSU-02', name: 'Label roll', kind: 'consu', invoicePolicy: 'order', listPrice: 2.675, initialStock: 0 },
  { sku: 'FL-STOCK-01', name: 'Desk lamp', kind: 'product', invoicePolicy: 'delivery', listPrice: 24.99, initialStock: 100000 },
  { sku: 'FL-STOCK-02', name: 'Office chair', kind: 'product', invoicePolicy: 'delivery', listPrice: 149.5, initialStock: 100000 },
  { sku: 'FL-STOCK-03', name: 'USB cable', kind: 'product', invoicePolicy: 'delivery', listPrice: 0.125, initialStock: 100000 },
  { sku: 'FL-SERV-01', name: 'Gift wrapping', kind: 'service', invoicePolicy: 'order', listPrice: 3.335, initialStock: 0 },
];

export function productBySku(sku: string): CatalogueProduct | undefined {
  return CATALOGUE.find((p) => p.sku === sku);
}
