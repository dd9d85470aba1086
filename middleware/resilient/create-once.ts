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
import { confirmSaleOrder, createPartner, customerKey, findPartner } from '../shared/odoo-sales.ts';
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
  // Whether an earlier attempt (of this incarnation or one before a crash) may have sent the create.
  const createMayBeSent = view.createRequested === true;
  let partnerId = view.partnerId;
  if (partnerId === undefined) {
    // An earlier attempt logged a partner create and never saw its answer: that call may still land beside
    // the partner found or made now.
    const createMayBeLate = view.partnerRequested === true;
    const found = await ensurePartner(deps, client, view, update);
    partnerId = found;
    // One write records the customer (progress: an attempt cut short after it does not count as one that got
    // nowhere) and the intent to create the order, right before that call: a retry after a failure on the
    // customer does not look for an order no create was sent for.
    update((v) => {
      v.partnerId = found;
      v.createRequested = true;
      if (createMayBeLate) v.partnerAuditFrom = deps.context.clock.now();
    });
  } else if (!createMayBeSent) {
    update((v) => {
      v.createRequested = true;
    });
  }
  if (createMayBeSent) {
    const existing = await findMarkedOrder(client, order.ref);
    if (existing !== undefined) return confirmed(client, existing);
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

/**
 * The order's customer: the partner this middleware knows for the email, else
 * the one Odoo has, else a new one, for one order of the customer at a time.
 * The create is logged before it goes out, so a later attempt knows a partner
 * may land that it cannot see yet.
 */
async function ensurePartner(deps: SyncDeps, client: OdooClient, view: OrderView, update: (change: (v: OrderView) => void) => OrderView): Promise<number> {
  const customer = view.order!.customer;
  return deps.customers.run(customerKey(customer.email), async () => {
    const known = deps.store.partnerId(customer.email);
    if (known !== undefined) return known;
    let id = await findPartner(client, customer);
    if (id === undefined) {
      if (view.partnerRequested !== true) {
        update((v) => {
          v.partnerRequested = true;
        });
      }
      id = await createPartner(client, customer);
    }
    deps.store.rememberPartner(customer.email, id);
    return id;
  });
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
