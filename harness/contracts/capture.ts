/**
 * The capture platform's messages to a middleware (simulators/CONTRACTS.md,
 * "Capture platform → middleware"): the order it submits and the later
 * cancel, with the validators a receiver checks them with at the door. The
 * storefront (simulators/capture) builds them; the middlewares parse them.
 */
import { type Obj, type Parsed, fail, isNum, isObj, isText } from './parsed.ts';

/** A receiver needs only a name and an email: a storefront may not know the address. */
export interface CaptureCustomer {
  name: string;
  email: string;
  street?: string;
  city?: string;
  zip?: string;
  countryCode?: string;
}

export interface CaptureLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

/** The body of `POST /orders` as a receiver may rely on it once parsed. */
export interface CaptureOrder {
  ref: string;
  placedAt: string;
  currency: string;
  customer: CaptureCustomer;
  lines: CaptureLine[];
  taxRate: number;
  total: number;
}

/** The body of `POST /orders` as the simulated storefront sends it: it always knows the whole address. */
export interface CapturedOrder extends CaptureOrder {
  customer: Required<CaptureCustomer>;
}

/** The largest amount whose cents are still exact in a double (2^53 - 1 cents). */
export const MAX_AMOUNT = Math.floor(Number.MAX_SAFE_INTEGER / 100);

export function parseCaptureOrder(body: unknown): Parsed<CaptureOrder> {
  if (!isObj(body)) return fail('order must be a JSON object with ref, placedAt, currency, customer, lines, taxRate, total');
  if (!isText(body.ref)) return fail('order.ref must be a non-empty string such as "CAP-000001"');
  if (!isText(body.currency)) return fail(`order ${body.ref}: currency must be a code such as "USD"`);
  if (!isObj(body.customer) || !isText(body.customer.name) || !isText(body.customer.email))
    return fail(`order ${body.ref}: customer needs a name and an email`);
  if (!Array.isArray(body.lines) || body.lines.length === 0) return fail(`order ${body.ref}: lines must be a non-empty array of {sku, quantity, unitPrice}`);
  const lines: CaptureLine[] = [];
  for (const [i, line] of body.lines.entries()) {
    if (!isObj(line) || !isText(line.sku) || !isNum(line.quantity) || line.quantity <= 0 || !isNum(line.unitPrice) || line.unitPrice < 0) {
      return fail(`order ${body.ref}: lines[${i}] must be {sku: string, quantity > 0, unitPrice >= 0}`);
    }
    lines.push({ sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice });
  }
  if (!isNum(body.total)) return fail(`order ${body.ref}: total must be a number`);
  // Each value finite is not enough: 1e300 × 1e300 overflows to Infinity in every system downstream.
  const tooLarge = [body.total, ...lines.flatMap((l) => [l.quantity, l.unitPrice, l.quantity * l.unitPrice])].some((v) => !(Math.abs(v) <= MAX_AMOUNT));
  if (tooLarge) return fail(`order ${body.ref}: quantities, prices, line amounts and the total must stay at most ${MAX_AMOUNT} (cents must be exact)`);
  const c = body.customer;
  const customer: CaptureCustomer = { name: c.name as string, email: c.email as string };
  for (const key of ['street', 'city', 'zip', 'countryCode'] as const) if (typeof c[key] === 'string') customer[key] = c[key];
  return {
    ok: true,
    value: {
      ref: body.ref,
      placedAt: typeof body.placedAt === 'string' ? body.placedAt : '',
      currency: body.currency,
      customer,
      lines,
      taxRate: isNum(body.taxRate) ? body.taxRate : 0,
      total: body.total,
    },
  };
}

export interface CancelRequest {
  ref: string;
  reason: string;
}

/**
 * `POST /orders/{ref}/cancel` with the path segment as it arrived: a
 * malformed percent-encoding is the client's mistake (400), not a crash.
 */
export function parseCancelPath(segment: string, body: unknown): Parsed<CancelRequest> {
  let ref: string;
  try {
    ref = decodeURIComponent(segment);
  } catch {
    return fail(`the order reference in /orders/${segment}/cancel has a malformed percent-encoding; escape "%" as %25`);
  }
  return parseCancelRequest(ref, body);
}

/** `POST /orders/{ref}/cancel` `{ref, reason}`: the path names the order; a body ref must agree. */
export function parseCancelRequest(pathRef: string, body: unknown): Parsed<CancelRequest> {
  if (body !== undefined && body !== null && !isObj(body)) return fail('cancel request body must be a JSON object {ref, reason}');
  const b = (body ?? {}) as Obj;
  if (b.ref !== undefined && b.ref !== pathRef) return fail(`cancel request for ${pathRef} names order ${String(b.ref)} in its body; they must agree`);
  return { ok: true, value: { ref: pathRef, reason: typeof b.reason === 'string' ? b.reason : '' } };
}
