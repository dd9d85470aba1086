/**
 * The reconciliation job: for orders that have not settled and have been quiet
 * for a while, ask the payment gateway and the 3PL what they know (their APIs,
 * as an operator's nightly job would), compare with the middleware's view and
 * Odoo, fold in what was missed (a dropped webhook, a lost answer) and put the
 * order back on the queue. A dead-lettered job comes back with new facts; one
 * that died because Odoo or an upstream was out of reach comes back on every
 * pass, as it heals when they do; one that was refused comes back at most
 * `maxRevivals` times and then stays for a person, instead of retrying forever.
 */
import { findSaleOrdersByRef } from '../shared/odoo-sales.ts';
import { SHIPMENT_STATUSES } from '../../harness/contracts/logistics.ts';
import { listPayments, listShipments } from '../shared/upstreams.ts';
import type { PaymentRecord, ShipmentRecord } from '../shared/upstreams.ts';
import { applyPayment, applyShipment } from './apply-events.ts';
import { auditPayments, isAuditDue } from './payment-audit.ts';
import type { PaymentAudit } from './payment-audit.ts';
import { auditPartners, isPartnerAuditDue } from './partner-audit.ts';
import type { PartnerAudit } from './partner-audit.ts';
import type { SyncDeps } from './sync-order.ts';
import type { JobQueue } from './job-queue.ts';
import type { OrderView } from './order-view.ts';

export interface ReconcileOptions {
  /** Orders untouched for this long are checked. */
  quietForMs: number;
  /** At most this many orders per pass. */
  batch: number;
  /** The longest an unsettled order waits between two checks, however quiet it is. */
  maxQuietMs: number;
  /** How often a dead-lettered job is retried without anything new to go on. */
  maxRevivals: number;
  /** How long after a call whose answer was lost a late copy of it is still looked for (`payment-audit.ts`, `partner-audit.ts`). */
  lateCallWindowMs: number;
}

/** How many orders a pass asks the gateway and the 3PL about at the same time. */
const LOOK_UPS_AT_ONCE = 8;

/** What the gateway and the 3PL said about one order. */
interface UpstreamAnswer {
  payments: PaymentRecord[];
  shipments: ShipmentRecord[];
}

export interface ReconcileReport {
  checked: number;
  repaired: number;
  failed: number;
}

export async function reconcileOnce(deps: SyncDeps, queue: JobQueue, options: ReconcileOptions): Promise<ReconcileReport> {
  const { store, context, settings } = deps;
  const report: ReconcileReport = { checked: 0, repaired: 0, failed: 0 };
  const now = context.clock.now();
  const stale = store.staleOrders(now - options.quietForMs, now + options.maxQuietMs, options.batch);
  // A job that died because Odoo or an upstream was out of reach is tried again on every pass, not only once its
  // order has been quiet: going to the dead-letter queue touched the order, and waiting that out kept an order
  // whose calls were timing out idle for two and a half minutes on top of its retries.
  const unreachable = store
    .deadLetters()
    .map((job) => job.ref)
    .filter((ref) => !stale.includes(ref) && store.view(ref).deadLetterOutOfReach === true);
  const refs = [...stale, ...unreachable].slice(0, options.batch);
  if (refs.length === 0) return report;

  // One Odoo call for the whole batch: which of these orders does Odoo know?
  let inOdoo: Set<string> | undefined;
  try {
    inOdoo = new Set((await findSaleOrdersByRef(deps.odoo, refs)).map((so) => String(so.client_order_ref)));
  } catch {
    inOdoo = undefined; // Odoo unreachable: still fold in what the other systems know.
  }

  /** An audit ran (`audited`) at or after the end of its window: no late call can still land, the order may settle. */
  const auditOver = (audited: unknown, from: number | undefined, now: number): boolean =>
    audited !== undefined && from !== undefined && now - from >= options.lateCallWindowMs;

  const settle = (ref: string, answer: UpstreamAnswer | undefined, audits: { payments?: PaymentAudit; partners?: PartnerAudit }): void => {
    report.checked++;
    if (answer === undefined) {
      report.failed++;
      return;
    }
    const { payments, shipments } = answer;
    const now = context.clock.now();
    let changed = false;
    store.atomically(() => {
      store.updateView(ref, now, (view) => {
        for (const p of payments) {
          if (p.orderRef !== ref) continue;
          const status = p.status === 'captured' && isRefunded(p) ? 'refunded' : p.status;
          if (status === 'captured' || status === 'refunded' || status === 'failed') changed = applyPayment(view, p.paymentId, p.amount, status) || changed;
        }
        for (const s of shipments) {
          if (s.orderRef !== ref) continue;
          // Only statuses a parcel goes through ("created" and "cancelled" are the 3PL's bookkeeping).
          if (!(SHIPMENT_STATUSES as readonly string[]).includes(s.status)) continue;
          const seq = typeof s.seq === 'number' ? s.seq : Math.max(0, ...(s.timeline ?? []).map((t) => t.seq));
          const lines = Array.isArray(s.lines) ? s.lines : undefined;
          const change = applyShipment(view, s.shipmentId, { status: s.status, seq, at: now, ...(lines !== undefined && { lines }) });
          if (change !== false) changed = true;
          if (change === 'moved') deps.event('shipment.state', ref, { shipmentId: s.shipmentId, status: s.status, seq, source: 'reconciliation' });
          if (view.shipmentId === undefined && view.shipmentRequested === true) {
            view.shipmentId = s.shipmentId;
            changed = true;
          }
        }
        // Odoo lost the order (or it was never created although the view says so): create it again.
        if (inOdoo !== undefined && view.saleOrderId !== undefined && !inOdoo.has(ref)) {
          delete view.saleOrderId;
          delete view.pickingIds;
          delete view.roundingRequested;
          delete view.roundingAdjustment;
          changed = true;
        }
        if (changed) {
          view.quietChecks = 0;
          view.revivals = 0;
        }
        const paymentsAudited = auditOver(audits.payments, view.paymentAuditFrom, now);
        if (paymentsAudited) delete view.paymentAuditFrom;
        const partnersAudited = auditOver(audits.partners, view.partnerAuditFrom, now);
        if (partnersAudited) delete view.partnerAuditFrom;
        return changed || paymentsAudited || partnersAudited;
      });
      // New facts, or a job that gave up and has retries left: put the order back on the queue.
      const dead = !changed && store.job(ref)?.state === 'dead';
      const known = store.view(ref);
      const revive = dead && (known.deadLetterOutOfReach === true || (known.revivals ?? 0) < options.maxRevivals);
      if (revive && known.deadLetterOutOfReach !== true) {
        store.updateView(ref, now, (view) => {
          view.revivals = (view.revivals ?? 0) + 1;
        });
      }
      if (changed || revive) store.enqueue(ref, now);
    });
    if (changed || store.job(ref)?.state === 'pending') {
      report.repaired++;
      queue.schedule(ref, store.job(ref)?.nextAt ?? now);
    } else {
      // Nothing new: look again later and later, up to maxQuietMs (an order whose payment failed never settles).
      const checks = (store.view(ref).quietChecks ?? 0) + 1;
      const wait = Math.min(options.maxQuietMs, options.quietForMs * (2 ** Math.min(checks, 10) - 1));
      store.updateView(ref, now + wait, (view) => {
        view.quietChecks = checks;
      });
    }
  };

  // The gateway and the 3PL are asked about several orders at once: one by one, a pass over a batch
  // waited out every lost answer in turn (30 s each) and the last orders were looked at many minutes late.
  // Each order's answer is folded in as soon as it is in, not once the whole batch is: a pass cut short by a crash
  // keeps what it learnt, where a crash loop whose lives were shorter than a pass never learnt anything.
  await mapConcurrently(refs, LOOK_UPS_AT_ONCE, async (ref) => {
    const call = { fetch: context.fetch, timeoutMs: settings.upstreamTimeoutMs, correlationId: ref };
    // Ask only about what is still open: most orders wait on the 3PL long after their payment is booked.
    const known = store.view(ref);
    let answer: UpstreamAnswer | undefined;
    try {
      const payments = settings.urls.payment !== undefined && !paymentKnown(known) ? await listPayments({ ...call, baseUrl: settings.urls.payment }, ref) : [];
      const shipments =
        settings.urls.logistics !== undefined && known.delivered !== true ? await listShipments({ ...call, baseUrl: settings.urls.logistics }, ref) : [];
      answer = { payments, shipments };
    } catch {
      answer = undefined;
    }
    const audits: { payments?: PaymentAudit; partners?: PartnerAudit } = {};
    if (isAuditDue(known)) {
      const payments = await auditPayments(deps, known).catch(() => undefined);
      if (payments !== undefined) audits.payments = payments;
    }
    if (isPartnerAuditDue(known)) {
      const partners = await auditPartners(deps, known).catch(() => undefined);
      if (partners !== undefined) audits.partners = partners;
    }
    settle(ref, answer, audits);
  });

  return report;
}

/**
 * A captured payment is already known, and no cancellation may still bring a
 * refund: the gateway can tell nothing new, recording it in Odoo is the queue's job.
 */
function paymentKnown(view: OrderView): boolean {
  return view.cancelRequested !== true && Object.values(view.payments).some((p) => p.status === 'captured');
}

function isRefunded(p: PaymentRecord): boolean {
  return p.refunded === true || (typeof p.refunded === 'number' && p.refunded > 0);
}

/** `fn` over `items`, at most `limit` at a time. */
async function mapConcurrently<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
