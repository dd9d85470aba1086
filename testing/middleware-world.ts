/**
 * A middleware under test in a simulated world: the Odoo emulator, the
 * scripted 3PL and gateway (testing/peers.ts) and the middleware, on the sim
 * engine; the capture platform and the webhook senders are parties the test
 * speaks for. Faults are the engine's, aimed at links and systems by name.
 */
import { DEFAULT_SIM_EPOCH_MS } from '../harness/core/clock.ts';
import type { FaultSpec } from '../harness/core/faults.ts';
import type { System, SystemFactory } from '../harness/core/system.ts';
import type { OdooEmulatorOptions } from '../simulators/odoo/index.ts';
import { ScriptedLogistics, ScriptedPayments, signedPost } from './peers.ts';
import { TestWorld } from './sim-world.ts';
import type { KitSystem } from './sim-world.ts';

export interface MiddlewareWorldOptions {
  seed?: number;
  /** The middleware's knobs. */
  config?: Record<string, unknown>;
  /** The middleware's data folder: set, a crash restarts it on the same durable store. */
  dataDir?: string;
  faults?: readonly FaultSpec[];
  /** The Odoo emulator's options (a benchmark keeps no access log). */
  odoo?: OdooEmulatorOptions;
  /** More systems, started before the middleware (an analytics sink). */
  systems?: Readonly<Record<string, KitSystem>>;
}

export class MiddlewareWorld {
  readonly world: TestWorld;
  readonly logistics: ScriptedLogistics;
  readonly payments: ScriptedPayments;

  private constructor(world: TestWorld, logistics: ScriptedLogistics, payments: ScriptedPayments) {
    this.world = world;
    this.logistics = logistics;
    this.payments = payments;
  }

  static async create(factory: SystemFactory, options: MiddlewareWorldOptions = {}): Promise<MiddlewareWorld> {
    const logistics = new ScriptedLogistics();
    const payments = new ScriptedPayments();
    const world = await TestWorld.create({
      ...(options.seed !== undefined && { seed: options.seed }),
      odoo: options.odoo ?? true,
      systems: {
        logistics: () => logistics,
        payment: () => payments,
        ...options.systems,
        // A crash rebuilds the middleware from its factory, as a process restarting on its store.
        middleware: { factory, config: options.config ?? {}, recreateOnRestart: true, ...(options.dataDir !== undefined && { dataDir: options.dataDir }) },
      },
      faults: options.faults ?? [],
    });
    return new MiddlewareWorld(world, logistics, payments);
  }

  get middleware(): System {
    return this.world.system('middleware');
  }

  /** What the capture platform sends with. */
  capture(path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
    return this.world.fetchFor('capture')(`${this.world.url('middleware')}${path}`, { timeoutMs: 5_000, ...init });
  }

  postOrder(order: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.capture('/orders', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(order) });
  }

  cancel(ref: string, body: unknown = {}): Promise<Response> {
    return this.capture(`/orders/${ref}/cancel`, { method: 'POST', body: JSON.stringify(body) });
  }

  paymentWebhook(body: unknown, secret?: string): Promise<Response> {
    return signedPost(this.world.fetchFor('payment'), `${this.world.url('middleware')}/webhooks/payment`, body, this.world.now, secret);
  }

  logisticsWebhook(body: unknown): Promise<Response> {
    return signedPost(this.world.fetchFor('logistics'), `${this.world.url('middleware')}/webhooks/logistics`, body, this.world.now);
  }

  /** The 3PL reports these statuses of the order's first shipment, then the world runs until quiet. */
  async deliver(ref: string, statuses: readonly (readonly [number, string])[]): Promise<void> {
    const shipmentId = this.logistics.byRef(ref)[0]!.shipmentId;
    for (const [seq, status] of statuses) await this.world.call(this.logisticsWebhook(shipmentEvent(ref, shipmentId, seq, status)));
    await this.world.run();
  }

  // What Odoo holds, read in-process from the emulator.

  saleOrders(ref: string): Record<string, unknown>[] {
    return this.world.read('sale.order', [['client_order_ref', '=', ref]], ['state', 'name', 'amount_total', 'order_line', 'picking_ids']);
  }

  /** Every sale order, whatever its reference. */
  allSaleOrders(): Record<string, unknown>[] {
    return this.world.read('sale.order', [], ['state', 'client_order_ref']);
  }

  /** The states of the outgoing deliveries of `ref`'s sale order. */
  pickingStates(ref: string): string[] {
    return this.world
      .read(
        'stock.picking',
        [
          ['origin', '=', this.saleOrders(ref)[0]?.name ?? false],
          ['picking_type_code', '=', 'outgoing'],
        ],
        ['state'],
      )
      .map((p) => String(p.state));
  }

  invoices(ref?: string): Record<string, unknown>[] {
    return this.world.read(
      'account.move',
      [['move_type', '=', 'out_invoice'], ...(ref === undefined ? [] : [['ref', '=', ref]])],
      ['state', 'ref', 'payment_state', 'amount_total'],
    );
  }

  odooPayments(ref?: string): Record<string, unknown>[] {
    return this.world.read('account.payment', ref === undefined ? [] : [['ref', '=', ref]], ['amount', 'ref', 'state']);
  }

  /** The sample customers' partners that new orders can still find: archived ones left out. */
  activePartners(): Record<string, unknown>[] {
    return this.world.read('res.partner', [['email', '=like', 'ada+%']], ['email', 'active']).filter((p) => p.active === true);
  }

  events(name?: string, corr?: string) {
    return this.world.events(name, corr);
  }

  async stop(): Promise<void> {
    await this.world.stop();
  }
}

let orderCounter = 0;

/** A capture order per CONTRACTS.md; `skus` picks the lines. */
export function sampleOrder(ref = `CAP-${String(++orderCounter).padStart(6, '0')}`, skus: string[] = ['FL-STOCK-01', 'FL-CONSU-01']) {
  const prices: Record<string, number> = { 'FL-STOCK-01': 24.99, 'FL-CONSU-01': 1.005, 'FL-SERV-01': 3.335, 'FL-STOCK-02': 149.5 };
  const lines = skus.map((sku) => ({ sku, quantity: 2, unitPrice: prices[sku] ?? 1 }));
  const total = Math.round(lines.reduce((s, l) => s + (Math.round(l.quantity * l.unitPrice * 100) / 100) * 1.15, 0) * 100) / 100;
  return {
    ref,
    placedAt: '2026-01-05T09:00:00.000Z',
    currency: 'USD',
    customer: { name: 'Ada Lovelace', email: `ada+${ref}@example.com`, street: '1 Loop Rd', city: 'Springfield', zip: '12345', countryCode: 'US' },
    lines,
    taxRate: 0.15,
    total,
  };
}

export function paymentEvent(ref: string, amount: number, id = `evt_pay_${ref}`, paymentId = `pay_${ref}`) {
  return { id, type: 'payment.captured', created: '2026-01-05T09:00:01.250Z', data: { paymentId, orderRef: ref, amount, currency: 'USD' } };
}

export function shipmentEvent(ref: string, shipmentId: string, seq: number, status: string) {
  return {
    id: `evt_shp_${shipmentId}_${seq}`,
    shipmentId,
    orderRef: ref,
    seq,
    status,
    occurredAt: new Date(DEFAULT_SIM_EPOCH_MS + seq * 60_000).toISOString(),
  };
}

/** A window of `[fromMs, toMs)` from the world's start, for a fault meant to hit once. */
export function during(fromMs: number, toMs: number): FaultSpec['schedule'] {
  return { kind: 'window', fromMs, toMs };
}
