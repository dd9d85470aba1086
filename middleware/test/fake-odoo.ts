/**
 * A small in-memory Odoo for middleware tests: only the models and methods the
 * reference middlewares call, with Odoo 17's behaviour where it matters to them
 * (no de-duplication of client_order_ref, crm.tag's unique name refusing a
 * sale order created with a tag that exists, "nothing to invoice" for undelivered
 * delivery-policy goods, "nothing left to pay", None results). The real
 * emulator lives in simulators/odoo; this keeps these tests independent of it.
 */
import type { System } from '../../harness/core/system.ts';
import { CATALOGUE } from '../../harness/world/catalogue.ts';
import { createFakeOdooHandler, FakeOdooFault } from '../../harness/odoo/test/fake-odoo-server.ts';
import type { RpcCall } from '../../harness/odoo/test/fake-odoo-server.ts';

interface Line { product_id: number; qty: number; price: number; invoiced: number }
interface SaleOrder { id: number; name: string; partner_id: number; client_order_ref: string | false; state: string; lines: Line[]; picking_ids: number[]; invoice_ids: number[]; tags: string[] }
interface Picking { id: number; sale_id: number; state: 'assigned' | 'done' }
interface Invoice { id: number; sale_id: number; state: 'draft' | 'posted'; amount_total: number; amount_residual: number; ref: string | false; downPayment: boolean; postedAt?: number }
interface Payment { id: number; invoice_id: number; amount: number; memo: string }

export interface OdooCallLog { model: string; method: string; corr: string | null; login: string }

export class FakeOdoo implements System {
  readonly products = CATALOGUE.map((p, i) => ({ id: i + 1, default_code: p.sku, detailed_type: p.kind, invoice_policy: p.invoicePolicy, list_price: p.listPrice }));
  readonly partners: { id: number; name: string; email: string }[] = [];
  readonly orders: SaleOrder[] = [];
  readonly pickings: Picking[] = [];
  readonly invoices: Invoice[] = [];
  readonly payments: Payment[] = [];
  readonly calls: OdooCallLog[] = [];
  /** While true every call answers HTTP 503, like Odoo behind a proxy during an outage. */
  down = false;
  readonly #advance = new Map<number, { sale_id: number; method: string; amount: number }>();
  readonly #register = new Map<number, { invoice_id: number; amount: number; memo: string }>();
  #nextId = 100;
  readonly #now: () => number;
  readonly #handler: (request: Request) => Promise<Response>;
  readonly #users = new Map<string, { uid: number; password: string }>([['faultline-middleware', { uid: 6, password: 'faultline' }]]);

  constructor(now: () => number = () => 0) {
    this.#now = now;
    this.#handler = createFakeOdooHandler((call) => this.#dispatch(call));
  }

  handle(request: Request): Promise<Response> {
    if (this.down) return Promise.resolve(new Response('Service Unavailable', { status: 503 }));
    return this.#handler(request);
  }

  ordersByRef(ref: string): SaleOrder[] {
    return this.#byRef.get(ref) ?? [];
  }

  readonly #byRef = new Map<string, SaleOrder[]>();
  /** crm.tag names (unique in Odoo 17) and the order each was created with. */
  readonly #orderByTag = new Map<string, SaleOrder>();
  readonly #byId = new Map<number, unknown>();
  readonly #partnerByEmail = new Map<string, number>();

  #get<T>(id: number): T | undefined {
    return this.#byId.get(id) as T | undefined;
  }

  #dispatch(call: RpcCall): unknown {
    if (call.service === 'common') {
      if (call.method === 'version') return { server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 };
      if (call.method === 'authenticate') {
        const [, login, password] = call.args as [string, string, string];
        const user = this.#users.get(login);
        return user !== undefined && user.password === password ? user.uid : false;
      }
    }
    const [, uid, password, model, method, args = [], kwargs = {}] = call.args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    const user = [...this.#users.entries()].find(([, u]) => u.uid === uid && u.password === password);
    if (user === undefined) throw new FakeOdooFault(3, 'Access Denied');
    this.calls.push({ model, method, corr: call.headers.get('x-correlation-id'), login: user[0] });
    const context = (kwargs.context ?? {}) as { active_ids?: number[] };
    const key = `${model}.${method}`;
    switch (key) {
      case 'product.product.search_read':
        return this.#filter(this.products, args[0] as unknown[][]).map((p) => pick(p, kwargs.fields as string[]));
      case 'res.partner.search': {
        const [[field, op, value] = []] = args[0] as unknown[][];
        if (field === 'email' && op === '=') {
          const id = this.#partnerByEmail.get(value as string);
          return id === undefined ? [] : [id];
        }
        return this.#filter(this.partners, args[0] as unknown[][]).map((p) => p.id).slice(0, (kwargs.limit as number) ?? undefined);
      }
      case 'res.partner.create': {
        const vals = args[0] as { name: string; email: string };
        const id = ++this.#nextId;
        this.partners.push({ id, name: vals.name, email: vals.email });
        this.#partnerByEmail.set(vals.email, id);
        return id;
      }
      case 'sale.order.create': {
        const vals = args[0] as { partner_id: number; client_order_ref?: string; tag_ids?: [number, number, { name: string }][]; order_line: [number, number, { product_id: number; product_uom_qty: number; price_unit: number }][] };
        const tags = (vals.tag_ids ?? []).map(([, , t]) => t.name);
        // The whole create rolls back, as PostgreSQL's unique index makes it in Odoo.
        if (tags.some((t) => this.#orderByTag.has(t))) throw new FakeOdooFault(2, 'The operation cannot be completed: Tag name already exists!');
        const id = ++this.#nextId;
        const so: SaleOrder = {
          id, name: `S${String(id).padStart(5, '0')}`, partner_id: vals.partner_id, client_order_ref: vals.client_order_ref ?? false, state: 'draft',
          lines: vals.order_line.map(([, , l]) => ({ product_id: l.product_id, qty: l.product_uom_qty, price: l.price_unit, invoiced: 0 })), picking_ids: [], invoice_ids: [], tags,
        };
        for (const t of tags) this.#orderByTag.set(t, so);
        this.orders.push(so);
        this.#byId.set(id, so);
        if (typeof so.client_order_ref === 'string') this.#byRef.set(so.client_order_ref, [...this.ordersByRef(so.client_order_ref), so]);
        return id;
      }
      case 'sale.order.action_confirm': {
        for (const so of this.#orders(args[0] as number[])) {
          if (so.state !== 'draft') throw new FakeOdooFault(2, `The following orders are not in a state requiring confirmation: ${so.name}`);
          so.state = 'sale';
          if (so.lines.some((l) => this.#product(l.product_id).detailed_type !== 'service')) {
            const picking = { id: ++this.#nextId, sale_id: so.id, state: 'assigned' as const };
            this.pickings.push(picking);
            this.#byId.set(picking.id, picking);
            so.picking_ids.push(picking.id);
          }
        }
        return true;
      }
      case 'sale.order.action_cancel': {
        if ((kwargs.context as { disable_cancel_warning?: boolean } | undefined)?.disable_cancel_warning !== true) {
          return { type: 'ir.actions.act_window', res_model: 'sale.order.cancel' };
        }
        for (const so of this.#orders(args[0] as number[])) {
          so.state = 'cancel';
          for (const id of so.picking_ids) {
            const picking = this.#get<Picking>(id)!;
            if (picking.state !== 'done') (picking as { state: string }).state = 'cancel';
          }
        }
        return true;
      }
      case 'sale.order.read':
        return this.#orders(args[0] as number[]).map((so) => this.#readOrder(so, (args[1] ?? kwargs.fields) as string[]));
      case 'sale.order.search_read':
        return this.#filter(this.#candidates(args[0] as unknown[][]), args[0] as unknown[][]).map((so) => this.#readOrder(so, kwargs.fields as string[]));
      case 'stock.picking.search_read':
        return this.#filter(this.#pickingCandidates(args[0] as unknown[][]), args[0] as unknown[][]).map((p) => ({ id: p.id, state: p.state }));
      case 'stock.picking.read':
        return (args[0] as number[]).map((id) => this.#get<Picking>(id)).filter((p) => p !== undefined).map((p) => ({ id: p.id, state: p.state }));
      case 'stock.picking.button_validate': {
        for (const id of args[0] as number[]) {
          const picking = this.#get<Picking>(id)!;
          if (picking.state === 'done') throw new FakeOdooFault(2, 'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.');
          picking.state = 'done';
        }
        return true;
      }
      case 'sale.advance.payment.inv.create': {
        const vals = args[0] as { advance_payment_method: string; amount?: number };
        const id = ++this.#nextId;
        this.#advance.set(id, { sale_id: context.active_ids![0]!, method: vals.advance_payment_method, amount: vals.amount ?? 0 });
        return id;
      }
      case 'sale.advance.payment.inv.create_invoices': {
        const wizard = this.#advance.get((args[0] as number[])[0]!)!;
        const so = this.#orders([wizard.sale_id])[0]!;
        let amount = 0;
        let downPayment = false;
        if (wizard.method === 'delivered') {
          const delivered = so.picking_ids.length > 0 && so.picking_ids.every((id) => this.#get<Picking>(id)!.state === 'done');
          for (const line of so.lines) {
            const product = this.#product(line.product_id);
            const invoiceable = product.invoice_policy === 'order' || delivered ? line.qty - line.invoiced : 0;
            if (invoiceable > 0) {
              amount += lineTotal(invoiceable, line.price);
              line.invoiced += invoiceable;
            }
          }
          if (amount === 0) throw new FakeOdooFault(2, 'Cannot create an invoice. No items are available to invoice.\n\nTo resolve this issue, please ensure that:\n   • The products have been delivered before attempting to invoice them.');
        } else {
          amount = round2((orderTotal(so) * wizard.amount) / 100);
          downPayment = true;
        }
        const invoice: Invoice = { id: ++this.#nextId, sale_id: so.id, state: 'draft', amount_total: round2(amount), amount_residual: round2(amount), ref: so.client_order_ref, downPayment };
        this.invoices.push(invoice);
        this.#byId.set(invoice.id, invoice);
        so.invoice_ids.push(invoice.id);
        // No payment term in this database: the real server returns an action with a None inside.
        return call.transport === 'xmlrpc' ? undefined : { type: 'ir.actions.act_window', res_model: 'account.move', res_id: invoice.id, context: { default_invoice_payment_term_id: null } };
      }
      case 'account.move.read':
        return (args[0] as number[]).map((id) => this.#get<Invoice>(id)).filter((i) => i !== undefined).map((i) => ({
          id: i.id, state: i.state, amount_total: i.amount_total, amount_residual: i.amount_residual, ref: i.ref,
          payment_state: i.state !== 'posted' ? 'not_paid' : i.amount_residual <= 0 ? 'paid' : i.amount_residual < i.amount_total ? 'partial' : 'not_paid',
        }));
      case 'account.move.action_post': {
        for (const id of args[0] as number[]) {
          const invoice = this.#get<Invoice>(id)!;
          if (invoice.state !== 'draft') throw new FakeOdooFault(2, `The entry INV (id ${id}) must be in draft.`);
          invoice.state = 'posted';
          invoice.postedAt = this.#now();
        }
        return false;
      }
      case 'account.payment.create': {
        const vals = args[0] as { amount: number; ref?: string };
        const payment = { id: ++this.#nextId, invoice_id: 0, amount: vals.amount, memo: vals.ref ?? '' };
        this.payments.push(payment);
        return payment.id;
      }
      case 'account.payment.action_post':
        return true;
      case 'account.payment.register.create': {
        const invoice = this.#get<Invoice>(context.active_ids![0]!)!;
        if (invoice.state !== 'posted') throw new FakeOdooFault(2, 'You can only register payment for posted journal entries.');
        if (invoice.amount_residual <= 0) throw new FakeOdooFault(2, "You can't register a payment because there is nothing left to pay on the selected journal items.");
        const vals = args[0] as { amount?: number; communication?: string };
        const id = ++this.#nextId;
        this.#register.set(id, { invoice_id: invoice.id, amount: vals.amount ?? invoice.amount_residual, memo: vals.communication ?? '' });
        return id;
      }
      case 'account.payment.register.action_create_payments': {
        const wizard = this.#register.get((args[0] as number[])[0]!)!;
        const invoice = this.#get<Invoice>(wizard.invoice_id)!;
        invoice.amount_residual = round2(Math.max(0, invoice.amount_residual - wizard.amount));
        const payment = { id: ++this.#nextId, invoice_id: invoice.id, amount: wizard.amount, memo: wizard.memo };
        this.payments.push(payment);
        return { type: 'ir.actions.act_window', res_model: 'account.payment', res_id: payment.id };
      }
      default:
        throw new FakeOdooFault(1, `Traceback...\nAttributeError: The method '${method}' does not exist on the model '${model}' (in this fake)`);
    }
  }

  /** Uses the client_order_ref index when the domain starts with it, as a database would. */
  #candidates(domain: unknown[][]): SaleOrder[] {
    const [field, op, value] = domain[0] ?? [];
    if (field === 'client_order_ref' && op === '=') return this.ordersByRef(value as string);
    if (field === 'client_order_ref' && op === 'in') return (value as string[]).flatMap((ref) => this.ordersByRef(ref));
    if (field === 'tag_ids.name' && op === '=') {
      const tagged = this.#orderByTag.get(value as string);
      return tagged === undefined ? [] : [tagged];
    }
    return this.orders;
  }

  #pickingCandidates(domain: unknown[][]): Picking[] {
    const [field, op, value] = domain[0] ?? [];
    if (field === 'sale_id' && op === '=') return (this.#get<SaleOrder>(value as number)?.picking_ids ?? []).map((id) => this.#get<Picking>(id)!);
    return this.pickings;
  }

  #product(id: number) {
    return this.products.find((p) => p.id === id)!;
  }

  #orders(ids: number[]): SaleOrder[] {
    return ids.map((id) => this.#get<SaleOrder>(id)).filter((o): o is SaleOrder => o !== undefined && 'client_order_ref' in o);
  }

  #readOrder(so: SaleOrder, fields: string[] | undefined) {
    const partner = this.partners.find((p) => p.id === so.partner_id);
    return pick({ id: so.id, name: so.name, state: so.state, partner_id: [so.partner_id, partner?.name ?? ''], client_order_ref: so.client_order_ref, picking_ids: so.picking_ids, invoice_ids: so.invoice_ids, amount_total: orderTotal(so) }, fields);
  }

  /** Evaluates the `=` and `in` leaves these middlewares use. */
  #filter<T extends object>(rows: T[], domain: unknown[][]): T[] {
    return rows.filter((row) =>
      domain.every(([field, op, value]) => {
        if (field === 'tag_ids.name' && op === '=') return ((row as { tags?: string[] }).tags ?? []).includes(value as string);
        const v = (row as Record<string, unknown>)[field as string];
        if (op === '=') return v === value;
        if (op === 'in') return (value as unknown[]).includes(v);
        if (op === 'not in') return !(value as unknown[]).includes(v);
        throw new FakeOdooFault(1, `Invalid leaf ${String(field)} ${String(op)} (in this fake)`);
      }),
    );
  }
}

function pick<T extends object>(row: T, fields: string[] | undefined): Record<string, unknown> {
  if (fields === undefined) return { ...row } as Record<string, unknown>;
  const out: Record<string, unknown> = { id: (row as { id: number }).id };
  for (const f of fields) out[f] = (row as Record<string, unknown>)[f];
  return out;
}

const round2 = (n: number) => Math.round(n * 100 + 1e-9) / 100;
const lineTotal = (qty: number, price: number) => round2(round2(qty * price) * 1.15);
const orderTotal = (so: SaleOrder) => round2(so.lines.reduce((sum, l) => sum + lineTotal(l.qty, l.price), 0));
