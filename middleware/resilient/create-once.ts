/**
 * Creates an order's sale order in Odoo exactly once, however long the fate of
 * a create call stays unknown.
 *
 * Looking for the order before creating it (by `client_order_ref`) is not
 * enough: a create that timed out may still be on its way, reach Odoo after the
 * look-up found nothing, and make a second order beside the retry's. Only a
 * check inside the create's own transaction closes that window, and Odoo 17
 * enforces one that an integration user may use: `crm.tag` has
 * `unique (name)` (sales_team). Every sale order is created with a new tag
 * named after its order ref in `tag_ids` (a `[0, 0, {...}]` command, same
 * transaction), so whichever create reaches Odoo second is refused whole with
 * "Tag name already exists!", whenever it arrives, and leaves no record.
 * External ids (`ir.model.data`, unique on module and name) would be the
 * natural marker, but creating one is a separate call (the order could exist
 * without it) and Odoo refuses it to a sales user.
 */
import { OdooError } from '../../harness/odoo/client.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import { confirmSaleOrder, findOrCreatePartner } from '../shared/odoo-sales.ts';
import type { ProductInfo } from '../shared/odoo-sales.ts';
import type { CaptureOrder } from '../../harness/contracts/capture.ts';
import type { OrderView } from './order-view.ts';
import type { SyncDeps } from './sync-order.ts';

/** The tag that marks the one sale order of an order ref. */
export function orderMarker(ref: string): string {
  return `faultline-order:${ref}`;
}

/** True when Odoo refused a create because the marker tag exists: the order was created before. */
export function isMarkerTaken(error: unknown): boolean {
  return error instanceof OdooError && /Tag name already exists/.test(error.faultString);
}

export interface MarkedOrder {
  id: number;
  state: string;
}

/** The sale order carrying the order's marker, if any. */
export async function findMarkedOrder(client: OdooClient, ref: string): Promise<MarkedOrder | undefined> {
  const [found] = await client.searchRead('sale.order', [['tag_ids.name', '=', orderMarker(ref)]], { fields: ['state'], limit: 1 });
  return found === undefined ? undefined : { id: found.id, state: String(found.state) };
}

/**
 * The order's sale order, created and confirmed. `createRequested` says an
 * earlier attempt (of this incarnation or one before a crash) may have sent a
 * create: only then is Odoo asked first, so the happy path costs no look-up.
 */
export async function createSaleOrderOnce(
  deps: SyncDeps,
  client: OdooClient,
  view: OrderView,
  products: Map<string, ProductInfo>,
  update: (change: (v: OrderView) => void) => OrderView,
): Promise<number> {
  const order = view.order!;
  // The customer first, recorded as a step of its own (progress: an attempt cut short after it does not
  // count as one that got nowhere), and only then the intent to create: a retry after a failure on the
  // customer does not look for an order no create was sent for. Under a lossy link every call an attempt
  // repeats is another chance to fail before it gets anywhere.
  let partnerId = view.partnerId ?? deps.store.partnerId(order.customer.email);
  if (partnerId === undefined) {
    partnerId = await findOrCreatePartner(client, order.customer);
    deps.store.rememberPartner(order.customer.email, partnerId);
  }
  if (view.partnerId === undefined) {
    const found = partnerId;
    update((v) => {
      v.partnerId = found;
    });
  }
  if (view.createRequested === true) {
    const existing = await findMarkedOrder(client, order.ref);
    if (existing !== undefined) return confirmed(client, existing);
  } else {
    // Logged right before the call: if its answer is lost, the next attempt looks first.
    update((v) => {
      v.createRequested = true;
    });
  }
  let id: number;
  try {
    id = await client.create('sale.order', markedOrderValues(order, partnerId, products));
  } catch (error) {
    if (!isMarkerTaken(error)) throw error;
    // An earlier create got there first (its answer lost, or still on its way when we looked).
    const existing = await findMarkedOrder(client, order.ref);
    if (existing === undefined) {
      throw new Error(
        `Odoo holds the tag ${orderMarker(order.ref)} but no sale order carries it (removed by hand?); remove the tag or link the order, then retry the job`,
      );
    }
    return confirmed(client, existing);
  }
  await confirmSaleOrder(client, id);
  return id;
}

async function confirmed(client: OdooClient, order: MarkedOrder): Promise<number> {
  if (order.state === 'draft' || order.state === 'sent') await confirmSaleOrder(client, order.id);
  return order.id;
}

function markedOrderValues(order: CaptureOrder, partnerId: number, products: Map<string, ProductInfo>): Record<string, unknown> {
  return {
    partner_id: partnerId,
    client_order_ref: order.ref,
    tag_ids: [[0, 0, { name: orderMarker(order.ref) }]],
    order_line: order.lines.map((line) => [0, 0, { product_id: products.get(line.sku)!.id, product_uom_qty: line.quantity, price_unit: line.unitPrice }]),
  };
}
