/**
 * A storefront's orders as recorded, replacing generated load: each with its
 * reference, lines, customer and arrival time, placed exactly then. What the
 * record leaves out (prices, customer, total) is filled in as a generated
 * order would have it, so a script can be as short as refs, times and skus.
 */
import type { CaptureLine } from '../../harness/contracts/capture.ts';
import { productBySku } from '../../harness/world/catalogue.ts';
import { orderTotal } from '../shared/money.ts';
import { KnobError, isPlainObject } from '../shared/knobs.ts';
import type { Customer } from '../shared/seeded-data.ts';

export interface ScriptedOrderLine {
  sku: string;
  quantity: number;
  /** Default: the catalogue's list price. */
  unitPrice?: number;
}

export interface ScriptedOrder {
  ref: string;
  /** When the storefront places it, in ms after the run starts. */
  atMs: number;
  lines: readonly ScriptedOrderLine[];
  /** Default: `systems.capture.currency`. */
  currency?: string;
  /** Default: a fake customer from the run's seeded faker. */
  customer?: Partial<Customer> & { name: string; email: string };
  /** What the storefront charges; default: the total Odoo computes for the lines. */
  total?: number;
  /**
   * How many of its first submissions the middleware took but whose answer never came back (the storefront
   * timed out and retried): those orders' lost answers, and only theirs, as recorded. Default 0.
   */
  answersLost?: number;
}

const ORDER_KEYS = ['ref', 'atMs', 'lines', 'currency', 'customer', 'total', 'answersLost'];
const LINE_KEYS = ['sku', 'quantity', 'unitPrice'];
const CUSTOMER_KEYS = ['name', 'email', 'street', 'city', 'zip', 'countryCode'];
const LARGEST_QUANTITY = 1_000_000;

function unknownKey(where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  const key = Object.keys(value).find((k) => !allowed.includes(k));
  if (key !== undefined) throw new KnobError(`${where}.${key} is not a field of a scripted order; allowed fields: ${allowed.join(', ')}`);
}

const positive = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= max;

function readLine(where: string, value: unknown): ScriptedOrderLine {
  if (!isPlainObject(value)) throw new KnobError(`${where} must be { sku, quantity, unitPrice? }; got ${JSON.stringify(value)}`);
  unknownKey(where, value, LINE_KEYS);
  if (typeof value.sku !== 'string' || productBySku(value.sku) === undefined) {
    throw new KnobError(
      `${where}.sku must be a catalogue sku (harness/world/catalogue.ts: FL-CONSU-01, FL-STOCK-01, …); got ${JSON.stringify(value.sku)}; map a product the simulated catalogue does not sell to one of the same kind`,
    );
  }
  if (!positive(value.quantity, LARGEST_QUANTITY))
    throw new KnobError(`${where}.quantity must be a number above 0, at most ${LARGEST_QUANTITY}; got ${JSON.stringify(value.quantity)}`);
  if (value.unitPrice !== undefined && !(typeof value.unitPrice === 'number' && Number.isFinite(value.unitPrice) && value.unitPrice >= 0)) {
    throw new KnobError(`${where}.unitPrice must be a price of 0 or more; got ${JSON.stringify(value.unitPrice)}`);
  }
  return { sku: value.sku, quantity: value.quantity, ...(value.unitPrice !== undefined && { unitPrice: value.unitPrice as number }) };
}

function readCustomer(where: string, value: unknown): ScriptedOrder['customer'] {
  if (!isPlainObject(value)) throw new KnobError(`${where} must be { name, email, street?, city?, zip?, countryCode? }; got ${JSON.stringify(value)}`);
  unknownKey(where, value, CUSTOMER_KEYS);
  for (const key of CUSTOMER_KEYS) {
    const required = key === 'name' || key === 'email';
    if ((required || value[key] !== undefined) && !(typeof value[key] === 'string' && value[key] !== ''))
      throw new KnobError(
        `${where}.${key} must be ${required ? 'a non-empty string (the middleware needs it)' : 'a non-empty string'}; got ${JSON.stringify(value[key])}`,
      );
  }
  return value as ScriptedOrder['customer'];
}

/**
 * Reads a list of scripted orders, stopping at the first mistake with where it is. The result is in
 * arrival order (a stable sort, so orders with one time keep the script's order).
 */
export function readOrderScript(where: string, value: unknown): ScriptedOrder[] {
  if (!Array.isArray(value))
    throw new KnobError(`${where} must be a list of orders { ref, atMs, lines, currency?, customer?, total? }; got ${JSON.stringify(value)}`);
  const seen = new Map<string, number>();
  const orders = value.map((order, i): ScriptedOrder => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(order)) throw new KnobError(`${at} must be an order { ref, atMs, lines, … }; got ${JSON.stringify(order)}`);
    unknownKey(at, order, ORDER_KEYS);
    if (typeof order.ref !== 'string' || order.ref.trim() === '')
      throw new KnobError(`${at}.ref must be the order's reference, a non-empty string; got ${JSON.stringify(order.ref)}`);
    const before = seen.get(order.ref);
    if (before !== undefined)
      throw new KnobError(
        `${at}.ref "${order.ref}" is also ${where}[${before}]'s: a storefront places each order once (its retries come from systems.capture.retry and the faults)`,
      );
    seen.set(order.ref, i);
    if (!(typeof order.atMs === 'number' && Number.isFinite(order.atMs) && order.atMs >= 0))
      throw new KnobError(`${at}.atMs must be the ms after the run's start when the order arrives, 0 or more; got ${JSON.stringify(order.atMs)}`);
    if (!Array.isArray(order.lines) || order.lines.length === 0)
      throw new KnobError(`${at}.lines must be a non-empty list of { sku, quantity, unitPrice? }; got ${JSON.stringify(order.lines)}`);
    const lines = order.lines.map((line, j) => readLine(`${at}.lines[${j}]`, line));
    if (new Set(lines.map((l) => l.sku)).size !== lines.length) throw new KnobError(`${at}.lines names one sku twice; put its quantities on one line`);
    if (order.currency !== undefined && !(typeof order.currency === 'string' && /^[A-Z]{3}$/.test(order.currency)))
      throw new KnobError(`${at}.currency must be an ISO 4217 code such as "USD"; got ${JSON.stringify(order.currency)}`);
    if (order.total !== undefined && !(typeof order.total === 'number' && Number.isFinite(order.total) && order.total >= 0))
      throw new KnobError(`${at}.total must be an amount of 0 or more; got ${JSON.stringify(order.total)}`);
    if (
      order.answersLost !== undefined &&
      !(Number.isSafeInteger(order.answersLost) && (order.answersLost as number) >= 0 && (order.answersLost as number) <= 100)
    ) {
      throw new KnobError(`${at}.answersLost must be a whole number of submissions from 0 to 100; got ${JSON.stringify(order.answersLost)}`);
    }
    return {
      ref: order.ref,
      atMs: order.atMs,
      lines,
      ...(order.currency !== undefined && { currency: order.currency as string }),
      ...(order.customer !== undefined && { customer: readCustomer(`${at}.customer`, order.customer) }),
      ...(order.total !== undefined && { total: order.total as number }),
      ...(order.answersLost !== undefined && { answersLost: order.answersLost as number }),
    };
  });
  return orders
    .map((order, i) => ({ order, i }))
    .sort((a, b) => a.order.atMs - b.order.atMs || a.i - b.i)
    .map((x) => x.order);
}

/** The lines as the storefront sends them: the recorded price, else the catalogue's. */
export function scriptedLines(order: ScriptedOrder): CaptureLine[] {
  return order.lines.map((line) => ({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice ?? productBySku(line.sku)!.listPrice }));
}

/** The recorded total, else what the storefront computes for the lines, as a generated order's. */
export function scriptedTotal(order: ScriptedOrder, lines: readonly CaptureLine[], taxRate: number, priceDigits: number): number {
  return order.total ?? orderTotal(lines, taxRate, priceDigits);
}
