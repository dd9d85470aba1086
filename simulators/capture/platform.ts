/**
 * The order-capture platform (a storefront): places orders on the arrival
 * model, pays each at checkout, submits it to the middleware with its retry
 * policy, and may cancel it later. Its ledger is the truth of what customers
 * ordered and what the middleware answered.
 */
import type { CapturedOrder } from '../../harness/contracts/capture.ts';
import type { CaptureOrderOutcome } from '../../harness/contracts/ledgers.ts';
import { LEDGER_PATH, type System, type SystemContext } from '../../harness/core/system.ts';
import { sampleDelay } from '../shared/behaviour.ts';
import { json } from '../../harness/core/json-response.ts';
import { BadInput } from '../shared/http.ts';
import { createRouter } from '../shared/router.ts';
import { customerBook, retypedEmail } from '../shared/customer-book.ts';
import { type Customer, createSeededFaker, fakeCustomer, token } from '../shared/seeded-data.ts';
import { requireUrl } from '../shared/urls.ts';
import { arrivalGaps } from './arrival.ts';
import { type CaptureKnobs, readCaptureKnobs } from './knobs.ts';
import { generateOrder } from './orders.ts';
import { scriptedLines, scriptedTotal } from './script.ts';
import { createSubmitter } from './submit.ts';

/** What the storefront writes: the order exactly as it sent it (readers rely on less: harness/contracts/ledgers.ts). */
export interface CaptureLedgerOrder extends CapturedOrder, CaptureOrderOutcome {}

export interface CaptureLedger {
  orders: CaptureLedgerOrder[];
}

export interface CaptureSummary {
  placed: number;
  acknowledged: number;
  abandoned: number;
  cancelled: number;
}

export interface CapturePlatform extends System {
  readonly knobs: CaptureKnobs;
  /**
   * Resolves once every order has been placed and has reached its final state
   * (acknowledged or abandoned, a requested cancellation answered), or the
   * platform was stopped. The engine may end the load phase then.
   */
  readonly done: Promise<CaptureSummary>;
  /** True once the arrival model has placed the last order (retries may still be running). */
  placedAll(): boolean;
  /** True once `done` has resolved: every order placed and final. What the engine polls to end the load phase. */
  finished(): boolean;
  summary(): CaptureSummary;
  /** The ledger as served at `GET /_faultline/ledger` (a copy). */
  ledger(): CaptureLedger;
}

export function createCaptureSimulator(context: SystemContext): CapturePlatform {
  const knobs = readCaptureKnobs(context.config);
  const { clock, history, fetch } = context;
  const middlewareUrl = requireUrl(context, 'middleware');
  const paymentUrl = knobs.payAtCheckout ? requireUrl(context, 'payment') : '';
  const faker = createSeededFaker(context.rng.fork('faker'));
  const orderRng = context.rng.fork('orders');
  const gap = arrivalGaps(knobs, context.rng.fork('arrival'));
  const keyRng = context.rng.fork('keys');
  const cancelRng = context.rng.fork('cancel');
  // Its own stream: a run without a book draws exactly what it drew before books existed.
  const bookRng = context.rng.fork('book');
  const book = knobs.customerBook === null ? null : customerBook({ ...knobs.customerBook, countryCode: knobs.countryCode });

  const orders: CaptureLedgerOrder[] = [];
  const byRef = new Map<string, CaptureLedgerOrder>();
  const stats: CaptureSummary = { placed: 0, acknowledged: 0, abandoned: 0, cancelled: 0 };
  let unfinished = 0;
  let stopped = false;
  let isFinished = false;
  let settle!: (summary: CaptureSummary) => void;
  const done = new Promise<CaptureSummary>((resolve) => {
    settle = resolve;
  });
  const resolveDone = (summary: CaptureSummary): void => {
    isFinished = true;
    settle(summary);
  };

  // The incarnation owns every timer set here and cancels them when the platform stops or dies.
  const wait = (ms: number): Promise<void> => new Promise((resolve) => clock.setTimer(ms, resolve));

  const finishOne = (): void => {
    if (--unfinished === 0 && stats.placed === knobs.orders) resolveDone({ ...stats });
  };

  const event = (name: string, corr: string, attempt?: number, data?: Record<string, unknown>): void => {
    history.append({ kind: 'event', system: context.name, name, corr, ...(attempt !== undefined ? { attempt } : {}), ...(data !== undefined ? { data } : {}) });
  };

  const submit = createSubmitter({
    fetch,
    now: () => clock.now(),
    wait,
    rng: context.rng.fork('retry'),
    policy: knobs.retry,
    releaseBodies: context.mode === 'live',
    stopped: () => stopped,
  });

  const pay = async (order: CaptureLedgerOrder): Promise<'captured' | 'failed' | 'unavailable'> => {
    const key = `pay_${order.ref}`;
    const body = JSON.stringify({ orderRef: order.ref, amount: order.total, currency: order.currency });
    const result = await submit({ url: `${paymentUrl}/payments`, body, corr: order.ref, keyFor: () => key, wantBody: true });
    const paymentId = result.json?.paymentId;
    if (!result.ok || typeof paymentId !== 'string') return 'unavailable';
    order.paymentId = paymentId;
    return result.json?.status === 'captured' ? 'captured' : 'failed';
  };

  const cancelLater = async (order: CaptureLedgerOrder): Promise<void> => {
    await wait(sampleDelay(cancelRng, knobs.cancellations.after));
    if (stopped) return;
    const body = JSON.stringify({ ref: order.ref, reason: 'customer_request' });
    const result = await submit({ url: `${middlewareUrl}/orders/${encodeURIComponent(order.ref)}/cancel`, body, corr: order.ref, keyFor: () => null });
    if (result.ok) {
      order.cancelled = true;
      stats.cancelled++;
    }
  };

  /** A customer from the book, who may type her email in another case this time. */
  const fromBook = (customers: readonly Customer[]): Customer => {
    const customer = bookRng.pick(customers);
    // Drawn only when asked for: a book without retyping draws exactly what it drew before.
    const retyped = knobs.customerBook!.retyped;
    if (retyped === 0 || !bookRng.chance(retyped)) return customer;
    return { ...customer, email: retypedEmail(customer.email, bookRng) };
  };

  /** The n-th order (1-based): the script's, as recorded, or a generated one. */
  const orderFor = (n: number): CapturedOrder => {
    const recorded = knobs.script?.[n - 1];
    if (recorded === undefined) return { ...generateOrder(n, clock.now(), knobs, faker, orderRng), ...(book !== null && { customer: fromBook(book) }) };
    const lines = scriptedLines(recorded);
    return {
      ref: recorded.ref,
      placedAt: new Date(clock.now()).toISOString(),
      currency: recorded.currency ?? knobs.currency,
      // What the record leaves out of the customer (an address, say) is faked from the seeded faker.
      customer:
        recorded.customer !== undefined
          ? { ...fakeCustomer(faker, knobs.countryCode), ...recorded.customer }
          : book !== null
            ? fromBook(book)
            : fakeCustomer(faker, knobs.countryCode),
      lines,
      taxRate: knobs.taxRate,
      total: scriptedTotal(recorded, lines, knobs.taxRate, knobs.priceDigits),
    };
  };

  const placeOrder = async (n: number): Promise<void> => {
    const order: CaptureLedgerOrder = {
      ...orderFor(n),
      acknowledged: false,
      attempts: [],
      paymentId: null,
      cancelled: false,
    };
    orders.push(order);
    byRef.set(order.ref, order);
    event('order.placed', order.ref, undefined, { total: order.total });
    // Fixed now so the key does not depend on when the payment answers.
    const reusedKey = knobs.retry.idempotencyKey === 'reuse' ? `idk_${token(keyRng, 16)}` : null;
    const willCancel = cancelRng.chance(knobs.cancellations.probability);

    if (knobs.payAtCheckout) {
      const payment = await pay(order);
      if (stopped) return;
      if (payment !== 'captured' && knobs.onPaymentFailure === 'abandon') {
        stats.abandoned++;
        event('order.abandoned', order.ref, undefined, { reason: payment === 'failed' ? 'payment_declined' : 'payment_unavailable' });
        return finishOne();
      }
    }

    const body = JSON.stringify(payloadOf(order));
    const keyFor = (): string | null => {
      switch (knobs.retry.idempotencyKey) {
        case 'reuse':
          return reusedKey;
        case 'new':
          return `idk_${token(keyRng, 16)}`;
        case 'none':
          return null;
      }
    };
    const answersLost = knobs.script?.[n - 1]?.answersLost ?? 0;
    const result = await submit({
      url: `${middlewareUrl}/orders`,
      body,
      corr: order.ref,
      keyFor,
      onAttempt: (attempt) => order.attempts.push(attempt),
      ...(answersLost > 0 && {
        loseAnswers: answersLost,
        onAnswerLost: (attempt: number) => event('order.answer-lost', order.ref, attempt, { scripted: true }),
      }),
    });
    if (stopped) return;
    if (!result.ok) {
      stats.abandoned++;
      event('order.abandoned', order.ref, order.attempts.length, { reason: result.status === null ? 'no_answer' : `status_${result.status}` });
      return finishOne();
    }
    order.acknowledged = true;
    stats.acknowledged++;
    event('order.acknowledged', order.ref, order.attempts.length);
    if (willCancel) await cancelLater(order);
    finishOne();
  };

  let next = 0;
  // Arrival times accumulate unrounded and are scheduled at whole milliseconds, so the mean rate stays exact.
  let startedAt = 0;
  let offsetMs = 0;
  const scheduleArrival = (): void => {
    // A scripted order arrives at its recorded time; the arrival model's gaps are not drawn.
    offsetMs = knobs.script !== null ? knobs.script[next]!.atMs : offsetMs + gap(next);
    clock.setTimer(startedAt + Math.round(offsetMs) - clock.now(), arrive);
  };
  const arrive = (): void => {
    if (stopped || next >= knobs.orders) return;
    const n = ++next;
    stats.placed++;
    unfinished++;
    void placeOrder(n);
    if (next < knobs.orders) scheduleArrival();
  };

  const router = createRouter('capture platform')
    .on('GET', LEDGER_PATH, () => json(200, snapshot()))
    .on('GET', '/orders', (_request, _params, url) => {
      const ref = url.searchParams.get('ref');
      const list = ref === null ? orders : orders.filter((o) => o.ref === ref);
      return json(200, { orders: list.map(payloadOf) });
    })
    .on('GET', '/orders/:ref', (_request, params) => {
      const order = byRef.get(params.ref!);
      if (order === undefined) throw new BadInput(404, `no order ${params.ref}; references look like CAP-000001`);
      return json(200, payloadOf(order));
    });

  const snapshot = (): CaptureLedger => structuredClone({ orders });

  return {
    knobs,
    done,
    handle: (request) => router.handle(request),
    start() {
      if (knobs.orders === 0) {
        resolveDone({ ...stats });
        return;
      }
      startedAt = clock.now();
      scheduleArrival();
    },
    stop() {
      stopped = true;
      resolveDone({ ...stats });
    },
    placedAll: () => next >= knobs.orders,
    finished: () => isFinished,
    summary: () => ({ ...stats }),
    ledger: snapshot,
  };
}

function payloadOf(order: CapturedOrder): CapturedOrder {
  return {
    ref: order.ref,
    placedAt: order.placedAt,
    currency: order.currency,
    customer: order.customer,
    lines: order.lines,
    taxRate: order.taxRate,
    total: order.total,
  };
}
