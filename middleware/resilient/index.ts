/**
 * The resilient middleware: the cure the field prescribes, in one process.
 *
 * - Requests are written to a durable queue (node:sqlite) and acknowledged at
 *   once; workers do the Odoo and 3PL work afterwards, on the context's clock.
 * - Inbox de-duplication by order ref and webhook event id; in Odoo, each sale
 *   order is created with a marker Odoo keeps unique (`create-once.ts`), so a
 *   create whose fate stays unknown can never make a second order.
 * - One job per order at a time, also across a crash and restart: an order's
 *   job runs under a lease in the store, and a superseded incarnation sends
 *   no further call (its fencing token, the store's epoch, is checked first).
 *   Shipment events ordered by the 3PL's `seq`.
 * - State guards: deliveries validated only on "delivered", invoices only after
 *   delivery, a shipment's state never moves backwards.
 * - Retries with exponential back-off and jitter, then a dead-letter queue.
 * - The sale order's total made what the customer was charged: a rounding cent
 *   is booked as a line, a larger difference goes to the dead-letter queue.
 * - The order ref as correlation id on every call, and in Odoo's records
 *   (`client_order_ref`, hence the invoice's `ref`, and the payment memo).
 * - Webhook signatures verified.
 * - A reconciliation job that compares the gateway's and the 3PL's state with
 *   its own and Odoo's, and repairs the gaps.
 */
import type { Cancel } from '../../harness/core/clock.ts';
import { HEADERS } from '../../harness/core/system.ts';
import type { System, SystemContext, SystemFactory, SystemFetch } from '../../harness/core/system.ts';
import { json, problem } from '../../harness/core/json-response.ts';
import { errorMessage, parseJson } from '../shared/http.ts';
import { connectOdoo, ProductDirectory, UnknownSkuError } from '../shared/odoo-sales.ts';
import { type CancelRequest, type CaptureOrder, parseCancelPath, parseCaptureOrder } from '../../harness/contracts/capture.ts';
import { type LogisticsEvent, parseLogisticsEvent } from '../../harness/contracts/logistics.ts';
import { type PaymentEvent, parsePaymentEvent } from '../../harness/contracts/payment.ts';
import { flag, nonNegativeInteger, positive, readMiddlewareSettings } from '../shared/settings.ts';
import { SIGNATURE_HEADER } from '../../harness/contracts/headers.ts';
import { verifyWebhookSignature } from '../../harness/contracts/webhook-signature.ts';
import { applyPayment, applyShipment } from './apply-events.ts';
import { isOutOfReach } from './failures.ts';
import { isReadyToInvoice } from './order-view.ts';
import { JobQueue } from './job-queue.ts';
import { reconcileOnce } from './reconcile.ts';
import { RoundingDiscrepancyError } from './rounding.ts';
import { ResilientStore } from './store.ts';
import { InvoiceAlreadyPaidError, syncOrder } from './sync-order.ts';
import { createCrmSync } from './crm-sync.ts';
import { startAnalyticsExport } from './analytics-export.ts';
import type { SyncDeps } from './sync-order.ts';
import { OneAtATime } from './one-at-a-time.ts';

const CANCEL_PATH = /^\/orders\/([^/]+)\/cancel$/;
/** How soon after start the first reconciliation pass runs. */
const RECONCILE_AFTER_START_MS = 2_000;
/** Scaled reconciliation never polls the gateway and the 3PL more often than this, nor calls an order quiet sooner. */
const MIN_RECONCILE_INTERVAL_MS = 1_000;
const MIN_RECONCILE_QUIET_MS = 2_000;

export interface ResilientMiddleware extends System {
  stop(): void;
  /** Runs one reconciliation pass now (tests, operators). */
  reconcileNow(): Promise<{ checked: number; repaired: number; failed: number }>;
  /** Jobs that exhausted their retries. */
  deadLetters(): { ref: string; attempts: number; lastError: string | null }[];
}

export function createResilientMiddleware(context: SystemContext): ResilientMiddleware {
  const settings = readMiddlewareSettings(context);
  const config = context.config;
  // Reconciliation paces itself in business time, like the 3PL's steps: live mode squeezes both by the same factor.
  const timeScale = config.timeScale === undefined ? 1 : positive(config, 'timeScale', 1);
  const businessTime = (ms: number, floorMs: number): number => (timeScale === 1 ? ms : Math.max(floorMs, ms * timeScale));
  const knobs = {
    concurrency: positive(config, 'concurrency', 32),
    maxAttempts: positive(config, 'maxAttempts', 20),
    retryBaseMs: positive(config, 'retryBaseMs', 500),
    retryCapMs: positive(config, 'retryCapMs', 60_000),
    reconcileIntervalMs: businessTime(positive(config, 'reconcileIntervalMs', 30_000), MIN_RECONCILE_INTERVAL_MS),
    reconcileQuietMs: businessTime(positive(config, 'reconcileQuietMs', 120_000), MIN_RECONCILE_QUIET_MS),
    reconcileBatch: positive(config, 'reconcileBatch', 100),
    reconcileMaxQuietMs: businessTime(positive(config, 'reconcileMaxQuietMs', 300_000), MIN_RECONCILE_QUIET_MS),
    // Enough to outlast an outage longer than the retries; a job that keeps failing after that needs a person.
    reconcileMaxRevivals: nonNegativeInteger(config, 'reconcileMaxRevivals', 3),
    // Longer than any network holds a request: a registration or a partner create that lands later leaves a copy nobody repairs.
    lateCallWindowMs: businessTime(positive(config, 'lateCallWindowMs', 1_800_000), MIN_RECONCILE_QUIET_MS),
    verifySignatures: flag(config, 'verifySignatures', true),
    // A storefront pricing with a third decimal drifts by half a cent per unit at most; 5 cents covers a few lines of a few units.
    roundingToleranceCents: nonNegativeInteger(config, 'roundingToleranceCents', 5),
    webhookToleranceMs: config.webhookToleranceMs === undefined ? undefined : positive(config, 'webhookToleranceMs', 300_000),
  };

  const event = (name: string, corr: string, data?: Record<string, unknown>) =>
    context.history.append({ kind: 'event', system: context.name, name, corr, ...(data !== undefined && { data }) });
  // A dead letter leaves the queue only by new work: say so, or the history shows it as left behind for good.
  const store = new ResilientStore(context.dataDir, (job) => event('deadletter.revived', job.ref, { attempts: job.attempts, error: job.lastError }));
  // The longest any call waits for its answer; a call that names its own timeout holds the lease that long, plus a second.
  const leaseMs = Math.max(settings.odooTimeoutMs, settings.upstreamTimeoutMs) + 1_000;
  const fencedFetch: SystemFetch = (input, init) => {
    try {
      store.assertNewestIncarnation();
      const ref = correlationId(init);
      const holdMs = init?.timeoutMs !== undefined ? init.timeoutMs + 1_000 : leaseMs;
      if (ref !== null && queue.isRunning(ref)) store.renewLease(ref, context.clock.now(), context.clock.now() + holdMs);
    } catch (error) {
      return Promise.reject(error);
    }
    return context.fetch(input, init);
  };
  const fenced: SystemContext = { ...context, fetch: fencedFetch };
  const deps: SyncDeps = {
    context: fenced,
    settings,
    store,
    odoo: connectOdoo(fenced, settings),
    products: new ProductDirectory(),
    customers: new OneAtATime(),
    roundingToleranceCents: knobs.roundingToleranceCents,
    event,
  };
  const queue = new JobQueue({
    store,
    clock: context.clock,
    rng: context.rng.fork('retry-jitter'),
    concurrency: knobs.concurrency,
    maxAttempts: knobs.maxAttempts,
    backoff: { baseMs: knobs.retryBaseMs, capMs: knobs.retryCapMs },
    // Held from the job's start until its first call renews it for that call's own timeout.
    leaseMs: settings.odooTimeoutMs + 1_000,
    run: (ref, progressed) => syncOrder(deps, ref, progressed),
    isPermanent: (error) => error instanceof UnknownSkuError || error instanceof RoundingDiscrepancyError || error instanceof InvoiceAlreadyPaidError,
    onDeadLetter: (ref, attempts, error) => {
      // Reconciliation revives a job Odoo was only out of reach for as often as it takes, one it refused only a few times.
      store.updateView(ref, context.clock.now(), (v) => {
        v.deadLetterOutOfReach = isOutOfReach(error);
      });
      event('deadletter', ref, { attempts, error: errorMessage(error) });
    },
  });

  const crm = createCrmSync({
    context: fenced,
    partners: store,
    odoo: deps.odoo,
    event,
    maxAttempts: knobs.maxAttempts,
    backoff: { baseMs: knobs.retryBaseMs, capMs: knobs.retryCapMs },
    pollIntervalMs: businessTime(positive(config, 'crmPollIntervalMs', 300_000), MIN_RECONCILE_INTERVAL_MS),
    timeoutMs: settings.upstreamTimeoutMs,
    lateCallWindowMs: knobs.lateCallWindowMs,
  });

  const analytics = startAnalyticsExport({
    context: fenced,
    odoo: deps.odoo,
    event,
    intervalMs: businessTime(positive(config, 'analyticsExportIntervalMs', 60_000), MIN_RECONCILE_INTERVAL_MS),
    timeoutMs: settings.upstreamTimeoutMs,
  });

  let stopped = false;
  let reconcileTimer: Cancel | undefined;
  let reconciling = false;
  const reconcile = async () => {
    if (reconciling || stopped) return { checked: 0, repaired: 0, failed: 0 };
    reconciling = true;
    try {
      return await reconcileOnce(deps, queue, {
        quietForMs: knobs.reconcileQuietMs,
        batch: knobs.reconcileBatch,
        maxQuietMs: knobs.reconcileMaxQuietMs,
        maxRevivals: knobs.reconcileMaxRevivals,
        lateCallWindowMs: knobs.lateCallWindowMs,
      });
    } finally {
      reconciling = false;
    }
  };
  const armReconciliation = (delayMs = knobs.reconcileIntervalMs) => {
    if (stopped) return;
    // A daemon timer: the periodic job must not keep a finished run alive on its own.
    reconcileTimer = context.clock.setTimer(
      delayMs,
      () => {
        reconcile()
          .catch(() => undefined)
          .finally(() => armReconciliation());
      },
      { daemon: true },
    );
  };
  // After a crash and restart, pick up where the last incarnation stopped.
  queue.resume();
  // The first pass soon after start, not a whole interval later: a process that keeps crashing within the
  // interval would otherwise never reconcile, and what only reconciliation finds (a lost webhook) stays lost.
  armReconciliation(Math.min(knobs.reconcileIntervalMs, RECONCILE_AFTER_START_MS));

  function acceptOrder(order: CaptureOrder): Response {
    const now = context.clock.now();
    const accepted = store.atomically(() => {
      if (store.view(order.ref).order !== undefined) return false;
      store.firstSighting(`order:${order.ref}`, now);
      store.updateView(order.ref, now, (v) => {
        v.order = order;
        v.acceptedAt = now;
      });
      store.enqueue(order.ref, now);
      return true;
    });
    if (!accepted) return json(409, { orderId: order.ref, status: 'duplicate', error: `order ${order.ref} was already accepted` });
    event('order.accepted', order.ref, { orderId: order.ref });
    queue.schedule(order.ref, now);
    return json(202, { orderId: order.ref, status: 'accepted' });
  }

  function acceptPayment(payment: PaymentEvent): Response {
    const ref = payment.data.orderRef;
    const now = context.clock.now();
    const status = payment.type === 'payment.captured' ? 'captured' : payment.type === 'payment.refunded' ? 'refunded' : 'failed';
    const outcome = store.atomically(() => {
      if (!store.firstSighting(`payment:${payment.id}`, now)) return 'duplicate';
      const view = store.updateView(ref, now, (v) => applyPayment(v, payment.data.paymentId, payment.data.amount, status));
      if (view.order === undefined) return 'waiting-for-order';
      // Money before delivery only updates the view; the delivery job will invoice. Money for a cancelled order goes back.
      if (!isReadyToInvoice(view) && view.saleOrderId !== undefined && view.cancelRequested !== true) return 'recorded';
      store.enqueue(ref, now);
      return 'queued';
    });
    if (outcome === 'queued') queue.schedule(ref, now);
    return json(200, { received: payment.id, outcome });
  }

  function acceptShipmentEvent(update: LogisticsEvent): Response {
    const ref = update.orderRef;
    const now = context.clock.now();
    const at = Date.parse(update.occurredAt);
    const outcome = store.atomically(() => {
      if (!store.firstSighting(`logistics:${update.id}`, now)) return 'duplicate';
      let change: 'moved' | 'lines' | false = false;
      const view = store.updateView(ref, now, (v) => {
        change = applyShipment(v, update.shipmentId, {
          status: update.status,
          seq: update.seq,
          at: Number.isFinite(at) ? at : now,
          ...(update.lines !== undefined && { lines: update.lines }),
        });
        // The 3PL names the shipment whose booking answer we may have lost.
        if (v.shipmentId === undefined && v.shipmentRequested === true) {
          v.shipmentId = update.shipmentId;
          return true;
        }
        return change !== false;
      });
      if (change === false) return 'stale';
      if (change === 'moved') event('shipment.state', ref, { shipmentId: update.shipmentId, status: update.status, seq: update.seq });
      // Only a delivery needs work in Odoo; the other statuses only move the view.
      const delivered = change === 'moved' ? update.status === 'delivered' : view.shipments[update.shipmentId]?.status === 'delivered';
      if (!delivered || view.order === undefined) return 'recorded';
      store.enqueue(ref, now);
      return 'queued';
    });
    if (outcome === 'queued') queue.schedule(ref, now);
    return json(200, { received: update.id, outcome });
  }

  function acceptCancel(cancel: CancelRequest): Response {
    const now = context.clock.now();
    const outcome = store.atomically(() => {
      if (!store.firstSighting(`cancel:${cancel.ref}`, now)) return 'duplicate';
      const view = store.updateView(cancel.ref, now, (v) => {
        v.cancelRequested = true;
      });
      if (view.order === undefined) return 'recorded';
      store.enqueue(cancel.ref, now);
      return 'queued';
    });
    if (outcome === 'queued') queue.schedule(cancel.ref, now);
    return json(202, { orderId: cancel.ref, status: 'cancellation accepted', outcome });
  }

  function checkSignature(request: Request, rawBody: string, path: string): Response | undefined {
    if (!knobs.verifySignatures) return undefined;
    const verdict = verifyWebhookSignature({
      secret: settings.webhookSecret,
      header: request.headers.get(SIGNATURE_HEADER),
      rawBody,
      nowMs: context.clock.now(),
      ...(knobs.webhookToleranceMs !== undefined && { toleranceMs: knobs.webhookToleranceMs }),
    });
    if (verdict.ok) return undefined;
    if (verdict.outsideWindow === true) reconcileSoon(path, rawBody);
    return problem(401, `${verdict.reason}; sign webhooks with the scenario's webhookSecret`);
  }

  /**
   * A webhook signed by its sender but outside the replay window (an old copy, or one of the two clocks stepped) is
   * refused, as a replay must be; yet it says its order has news. The next reconciliation pass asks the gateway or the
   * 3PL about that order, instead of waiting out the order's quiet period: while a clock is off, every webhook is refused.
   */
  function reconcileSoon(path: string, rawBody: string): void {
    const body = parseJson(rawBody);
    if (!body.ok) return;
    const payment = path === '/webhooks/payment' ? parsePaymentEvent(body.value) : undefined;
    const shipment = path === '/webhooks/logistics' ? parseLogisticsEvent(body.value) : undefined;
    const ref = payment?.ok === true ? payment.value.data.orderRef : shipment?.ok === true ? shipment.value.orderRef : undefined;
    if (ref !== undefined) store.reconcileSoon(ref);
  }

  async function route(request: Request): Promise<Response> {
    const path = new URL(request.url).pathname;
    if (request.method === 'GET' && path === '/health') return json(200, { status: 'ok', design: 'resilient', running: queue.running });
    if (request.method === 'GET' && path === '/deadletters') return json(200, { deadLetters: store.deadLetters() });
    if (request.method === 'GET' && path === '/deadletters/crm') return json(200, { deadLetters: crm.deadLetters() });
    if (request.method !== 'POST')
      return problem(405, `${request.method} ${path} is not served; the resilient middleware takes POST /orders, /webhooks/payment, /webhooks/logistics`);
    const rawBody = await request.text();
    if (path === '/webhooks/payment' || path === '/webhooks/logistics') {
      const refused = checkSignature(request, rawBody, path);
      if (refused !== undefined) return refused;
    }
    if (path === '/webhooks/crm') return checkSignature(request, rawBody, path) ?? crm.accept(rawBody);
    const body = parseJson(rawBody);
    if (!body.ok) return problem(400, body.error);
    const cancelPath = CANCEL_PATH.exec(path);
    if (cancelPath !== null) {
      const cancel = parseCancelPath(cancelPath[1]!, body.value);
      return cancel.ok ? acceptCancel(cancel.value) : problem(400, cancel.error);
    }
    switch (path) {
      case '/orders': {
        const order = parseCaptureOrder(body.value);
        return order.ok ? acceptOrder(order.value) : problem(400, order.error);
      }
      case '/webhooks/payment': {
        const payment = parsePaymentEvent(body.value);
        return payment.ok ? acceptPayment(payment.value) : problem(400, payment.error);
      }
      case '/webhooks/logistics': {
        const update = parseLogisticsEvent(body.value);
        return update.ok ? acceptShipmentEvent(update.value) : problem(400, update.error);
      }
      default:
        return problem(404, `no route POST ${path}; the resilient middleware takes POST /orders, /orders/{ref}/cancel, /webhooks/payment, /webhooks/logistics`);
    }
  }

  const middleware: ResilientMiddleware = {
    async handle(request) {
      if (stopped || store.closed) return problem(503, 'the middleware is stopping; retry later');
      try {
        return await route(request);
      } catch (error) {
        // Not acknowledged: the sender keeps the message and retries.
        return problem(500, `could not store the message: ${errorMessage(error)}`);
      }
    },
    start() {
      queue.resume();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      reconcileTimer?.();
      queue.stop();
      crm.stop();
      analytics.stop();
      store.close();
    },
    reconcileNow: reconcile,
    deadLetters: () => store.deadLetters().map((j) => ({ ref: j.ref, attempts: j.attempts, lastError: j.lastError })),
  };
  // A crash ends the process without stop(); what the operating system would close, the run closes.
  context.onKill?.(() => middleware.stop());
  return middleware;
}

/** The order a call is about: every call of an order's job carries its ref as `x-correlation-id`. */
function correlationId(init: RequestInit | undefined): string | null {
  const headers = init?.headers;
  if (headers === undefined) return null;
  if (headers instanceof Headers) return headers.get(HEADERS.correlationId);
  if (Array.isArray(headers)) return headers.find(([name]) => name.toLowerCase() === HEADERS.correlationId)?.[1] ?? null;
  return (headers as Record<string, string>)[HEADERS.correlationId] ?? null;
}

export const resilientMiddleware: SystemFactory = createResilientMiddleware;
export default resilientMiddleware;
