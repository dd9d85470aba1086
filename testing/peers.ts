/**
 * The 3PL and payment gateway of a middleware test, scripted by the test:
 * their APIs per simulators/CONTRACTS.md, with no schedule of their own. The
 * real simulators (simulators/logistics, simulators/payment) move parcels and
 * capture payments on their own clocks and send their own webhooks; a
 * middleware test decides each webhook and each change of the 3PL's ledger
 * itself (`advance` moves a parcel without telling anyone), so it can say
 * exactly which event arrived when. Also the signed webhook a sender posts,
 * and the receiver a simulator's own test puts where the middleware would be.
 */
import { HEADERS, type System, type SystemFetch } from '../harness/core/system.ts';
import { SIGNATURE_HEADER } from '../harness/contracts/headers.ts';
import { DEFAULT_WEBHOOK_SECRET, signWebhook } from '../harness/contracts/webhook-signature.ts';

export class ScriptedLogistics implements System {
  readonly shipments: { shipmentId: string; orderRef: string; status: string; timeline: { seq: number; status: string }[] }[] = [];
  #next = 0;
  readonly #byRef = new Map<string, ScriptedLogistics['shipments']>();
  readonly #byId = new Map<string, ScriptedLogistics['shipments'][number]>();

  byRef(ref: string): ScriptedLogistics['shipments'] {
    return this.#byRef.get(ref) ?? [];
  }

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'POST' && url.pathname === '/shipments') {
      const body = (await request.json()) as { orderRef: string };
      const shipment = { shipmentId: `shp_${++this.#next}`, orderRef: body.orderRef, status: 'created', timeline: [] };
      this.shipments.push(shipment);
      this.#byRef.set(body.orderRef, [...this.byRef(body.orderRef), shipment]);
      this.#byId.set(shipment.shipmentId, shipment);
      return Response.json({ shipmentId: shipment.shipmentId, trackingNumber: `TRK${this.#next}`, orderRef: body.orderRef }, { status: 201 });
    }
    const cancel = /^\/shipments\/([^/]+)\/cancel$/.exec(url.pathname);
    if (request.method === 'POST' && cancel !== null) {
      const shipment = this.#byId.get(cancel[1]!);
      if (shipment === undefined) return Response.json({ error: 'no such shipment' }, { status: 404 });
      if (!['created', 'picked', 'packed', 'cancelled'].includes(shipment.status))
        return Response.json({ error: `already ${shipment.status}` }, { status: 409 });
      shipment.status = 'cancelled';
      return Response.json({ shipmentId: shipment.shipmentId, status: 'cancelled' });
    }
    if (request.method === 'GET' && url.pathname === '/shipments') {
      const ref = url.searchParams.get('orderRef');
      return Response.json({ shipments: this.byRef(ref ?? '') });
    }
    return Response.json({ error: 'not served by the fake 3PL' }, { status: 404 });
  }

  /** Moves a shipment on in the 3PL's own ledger (what GET /shipments reports). */
  advance(shipmentId: string, status: string): { seq: number } {
    const shipment = this.#byId.get(shipmentId)!;
    const seq = shipment.timeline.length + 1;
    shipment.timeline.push({ seq, status });
    shipment.status = status;
    return { seq };
  }
}

export class ScriptedPayments implements System {
  readonly payments: { paymentId: string; orderRef: string; amount: number; currency: string; status: string }[] = [];
  readonly refunds: { paymentId: string; amount: number; idempotencyKey: string | null }[] = [];

  async handle(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const refund = /^\/payments\/([^/]+)\/refunds$/.exec(url.pathname);
    if (request.method === 'POST' && refund !== null) {
      const body = (await request.json()) as { amount: number };
      this.refunds.push({ paymentId: refund[1]!, amount: body.amount, idempotencyKey: request.headers.get(HEADERS.idempotencyKey) });
      return Response.json({ refundId: `re_${this.refunds.length}`, amount: body.amount, status: 'refunded' }, { status: 201 });
    }
    if (request.method === 'GET' && url.pathname === '/payments') {
      const ref = url.searchParams.get('orderRef');
      return Response.json({ payments: this.payments.filter((p) => p.orderRef === ref) });
    }
    return Response.json({ error: 'not served by the fake gateway' }, { status: 404 });
  }
}

/**
 * A stand-in middleware for a simulator's own test: it answers each request
 * with the status `respond` picks (by path, body and how many came before),
 * and keeps what it got and when, so the test can read the simulator's
 * requests, headers and signatures as a middleware would have seen them.
 */
export class ScriptedReceiver implements System {
  readonly received: { path: string; headers: Headers; body: string; at: number }[] = [];
  readonly #clock: { now(): number };
  readonly #respond: (path: string, body: string, count: number) => number | Promise<number>;

  constructor(clock: { now(): number }, respond: (path: string, body: string, count: number) => number | Promise<number> = () => 200) {
    this.#clock = clock;
    this.#respond = respond;
  }

  async handle(request: Request): Promise<Response> {
    const body = await request.text();
    const path = new URL(request.url).pathname;
    this.received.push({ path, headers: request.headers, body, at: this.#clock.now() });
    const status = await this.#respond(path, body, this.received.length);
    return new Response(status === 204 ? null : JSON.stringify({ ok: status < 300 }), { status });
  }
}

export const SECRET = DEFAULT_WEBHOOK_SECRET;

export function signedPost(fetch: SystemFetch, url: string, body: unknown, signedAtMs: number, secret = SECRET): Promise<Response> {
  const raw = JSON.stringify(body);
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(secret, raw, signedAtMs) },
    body: raw,
    timeoutMs: 10_000,
  });
}
