/**
 * Wires a middleware under test to the fake Odoo, 3PL and gateway on virtual
 * time, the way the engine does, with a crash that drops the middleware object
 * and builds a new one from its factory.
 */
import type { Cancel, Clock } from '../../harness/core/clock.ts';
import { DEFAULT_SIM_EPOCH_MS } from '../../harness/core/clock.ts';
import { History } from '../../harness/core/history.ts';
import type { DomainEvent } from '../../harness/core/history.ts';
import { createRng } from '../../harness/core/rng.ts';
import { drainMicrotasks, VirtualScheduler } from '../../harness/core/scheduler.ts';
import type { System, SystemContext, SystemFactory, SystemFetch } from '../../harness/core/system.ts';
import { FakeNetwork } from './fake-network.ts';
import { FakeOdoo } from './fake-odoo.ts';
import { FakeLogistics, FakePayments, signedPost } from './fake-simulators.ts';

export const URLS = { odoo: 'http://odoo.sim', logistics: 'http://logistics.sim', payment: 'http://payment.sim', middleware: 'http://middleware.sim' } as const;

export interface TestWorldOptions {
  seed?: number;
  /** Replaces the fake Odoo (e.g. with the emulator); gets its own context. */
  odoo?: (context: SystemContext) => System;
  config?: Record<string, unknown>;
  dataDir?: string;
  latencyMs?: number;
}

export class TestWorld {
  readonly scheduler = new VirtualScheduler(DEFAULT_SIM_EPOCH_MS);
  readonly net: FakeNetwork;
  readonly history = new History(() => this.scheduler.now());
  readonly odoo = new FakeOdoo(() => this.scheduler.now());
  readonly logistics = new FakeLogistics();
  readonly payments = new FakePayments();
  readonly capture: ReturnType<FakeNetwork['fetchFor']>;
  middleware!: System;
  readonly #factory: SystemFactory;
  readonly #options: TestWorldOptions;
  #timers = new Set<Cancel>();
  #incarnation = 0;

  constructor(factory: SystemFactory, options: TestWorldOptions = {}) {
    this.#factory = factory;
    this.#options = options;
    this.net = new FakeNetwork(this.scheduler, options.latencyMs ?? 1);
    this.net.attach(URLS.odoo, options.odoo !== undefined ? options.odoo(this.contextFor('odoo', { db: 'faultline' })) : this.odoo);
    this.net.attach(URLS.logistics, this.logistics);
    this.net.attach(URLS.payment, this.payments);
    this.capture = this.net.fetchFor('capture');
  }

  /** A context for a party other than the middleware (the Odoo emulator, the harness). */
  contextFor(name: string, config: Record<string, unknown> = {}): SystemContext {
    return {
      name,
      mode: 'sim',
      clock: this.scheduler,
      rng: createRng(this.#options.seed ?? 1).fork(name),
      fetch: this.net.fetchFor(name),
      history: this.history,
      urls: URLS,
      config,
    };
  }

  /** Runs `promise` (a call made from outside the systems) on virtual time until it settles. */
  async drive<T>(promise: Promise<T>): Promise<T> {
    let done = false;
    const settled = promise.finally(() => {
      done = true;
    });
    settled.catch(() => undefined);
    await drainMicrotasks();
    while (!done && this.scheduler.runNextInstant(Number.MAX_SAFE_INTEGER)) await drainMicrotasks();
    return settled;
  }

  #alive = { dead: false };

  #incarnationFetch(): SystemFetch {
    const alive = { dead: false };
    this.#alive = alive;
    const base = this.net.fetchFor('middleware');
    return (input, init) => base(input, init).then((r) => (alive.dead ? new Promise<Response>(() => undefined) : r), (e: unknown) => (alive.dead ? new Promise<Response>(() => undefined) : Promise.reject(e)));
  }

  async boot(): Promise<this> {
    const timers = new Set<Cancel>();
    this.#timers = timers;
    const scheduler = this.scheduler;
    const clock: Clock = {
      now: () => scheduler.now(),
      setTimer: (delayMs, callback, options) => {
        const cancel = scheduler.setTimer(delayMs, () => {
          timers.delete(cancel);
          callback();
        }, options);
        timers.add(cancel);
        return () => {
          timers.delete(cancel);
          cancel();
        };
      },
      sleep: (delayMs) => new Promise((resolve) => clock.setTimer(delayMs, resolve)),
    };
    const context: SystemContext = {
      name: 'middleware',
      mode: 'sim',
      clock,
      rng: createRng(this.#options.seed ?? 1).fork(`middleware#${this.#incarnation++}`),
      fetch: this.#incarnationFetch(),
      history: this.history,
      urls: URLS,
      config: this.#options.config ?? {},
      ...(this.#options.dataDir !== undefined && { dataDir: this.#options.dataDir }),
    };
    this.middleware = await this.#factory(context);
    this.net.attach(URLS.middleware, this.middleware);
    await this.middleware.start?.();
    return this;
  }

  /** The process dies: its timers go, answers to its calls in flight never reach it, its object is dropped without stop(); then it is built again. */
  async crashAndRestart(): Promise<void> {
    for (const cancel of [...this.#timers]) cancel();
    this.#alive.dead = true;
    this.net.attach(URLS.middleware, undefined);
    await this.boot();
  }

  /** Sends a request as the capture platform would, and runs the world until it is answered. */
  async call(promise: Promise<Response>): Promise<Response | Error> {
    let outcome: Response | Error | undefined;
    promise.then((r) => (outcome = r), (e: unknown) => (outcome = e as Error));
    await this.net.advance(0);
    while (outcome === undefined && this.scheduler.runNextInstant(Number.MAX_SAFE_INTEGER)) await drainMicrotasks();
    return outcome ?? new Error('the world went quiet before an answer came');
  }

  postOrder(order: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return this.capture(`${URLS.middleware}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(order), timeoutMs: 5_000 });
  }

  paymentWebhook(body: unknown, secret?: string): Promise<Response> {
    return signedPost(this.net.fetchFor('payment'), `${URLS.middleware}/webhooks/payment`, body, this.scheduler.now(), secret);
  }

  logisticsWebhook(body: unknown): Promise<Response> {
    return signedPost(this.net.fetchFor('logistics'), `${URLS.middleware}/webhooks/logistics`, body, this.scheduler.now());
  }

  events(name: string, corr?: string): DomainEvent[] {
    return this.history.events.filter((e): e is DomainEvent => e.kind === 'event' && e.name === name && (corr === undefined || e.corr === corr));
  }

  async stop(): Promise<void> {
    await this.middleware.stop?.();
  }
}

let orderCounter = 0;

/** A capture order per CONTRACTS.md; `skus` picks the lines. */
export function sampleOrder(ref = `CAP-${String(++orderCounter).padStart(6, '0')}`, skus: string[] = ['FL-STOCK-01', 'FL-CONSU-01']) {
  const prices: Record<string, number> = { 'FL-STOCK-01': 24.99, 'FL-CONSU-01': 1.005, 'FL-SERV-01': 3.335, 'FL-STOCK-02': 149.5 };
  const lines = skus.map((sku) => ({ sku, quantity: 2, unitPrice: prices[sku] ?? 1 }));
  const total = Math.round(lines.reduce((s, l) => s + Math.round(l.quantity * l.unitPrice * 100) / 100 * 1.15, 0) * 100) / 100;
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
  return { id: `evt_shp_${shipmentId}_${seq}`, shipmentId, orderRef: ref, seq, status, occurredAt: new Date(DEFAULT_SIM_EPOCH_MS + seq * 60_000).toISOString() };
}
