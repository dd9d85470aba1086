/**
 * A user's middleware, in the smallest form the plug-in contract allows: every
 * capture order is passed straight to Odoo as a confirmed sale order; webhooks
 * are acknowledged and ignored. It uses only what any middleware receives, the
 * SystemContext (clock, rng, fetch, urls, config, history); nothing private.
 *
 * Run it:  npx faultline run --middleware middleware/examples/passthrough.ts
 */
import type { System, SystemContext, SystemFactory } from '../../harness/core/system.ts';
import { createOdooClient } from '../../harness/odoo/client.ts';

interface Order {
  ref: string;
  customer: { name: string; email: string };
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

export function createPassthroughMiddleware(context: SystemContext): System {
  const odoo = createOdooClient({
    url: context.urls.odoo!,
    db: String(context.config.odooDb ?? 'faultline'),
    login: String(context.config.odooLogin ?? 'faultline-middleware'),
    password: String(context.config.odooPassword ?? 'faultline'),
    fetch: context.fetch,
    timeoutMs: 10_000,
  });

  async function passOrder(order: Order): Promise<Response> {
    const client = odoo.withCorrelationId(order.ref);
    const products = await client.searchRead('product.product', [['default_code', 'in', order.lines.map((l) => l.sku)]], { fields: ['default_code'] });
    const productId = new Map(products.map((p) => [p.default_code, p.id]));
    const [partner] = await client.search('res.partner', [['email', '=', order.customer.email]], { limit: 1 });
    const partnerId = partner ?? (await client.create('res.partner', { name: order.customer.name, email: order.customer.email }));
    const saleOrderId = await client.create('sale.order', {
      partner_id: partnerId,
      client_order_ref: order.ref,
      order_line: order.lines.map((l) => [0, 0, { product_id: productId.get(l.sku), product_uom_qty: l.quantity, price_unit: l.unitPrice }]),
    });
    await client.executeKw('sale.order', 'action_confirm', [[saleOrderId]]);
    context.history.append({ kind: 'event', system: context.name, name: 'order.accepted', corr: order.ref });
    return Response.json({ orderId: String(saleOrderId), status: 'accepted' }, { status: 201 });
  }

  return {
    async handle(request) {
      const path = new URL(request.url).pathname;
      if (request.method === 'GET' && path === '/health') return Response.json({ status: 'ok' });
      if (request.method === 'POST' && path === '/orders') {
        try {
          return await passOrder((await request.json()) as Order);
        } catch (error) {
          return Response.json({ error: (error as Error).message }, { status: 502 });
        }
      }
      if (request.method === 'POST' && path.startsWith('/webhooks/')) return Response.json({ ignored: true });
      return Response.json({ error: `no route ${request.method} ${path}` }, { status: 404 });
    },
  };
}

const factory: SystemFactory = createPassthroughMiddleware;
export default factory;
