/**
 * A run written out the way production systems log it: the capture platform's
 * order export, the gateway's event log, the 3PL's status feed, the access
 * logs in front of the middleware and of Odoo, and the middleware's own JSON
 * logs. The worked example's evidence is made this way from a seeded run, so
 * it is realistic in shape and its ground truth (the run) is known.
 */
import type { HistoryEvent, HistoryEvents } from '../core/history.ts';
import type { CaptureLedger, LogisticsLedger, PaymentLedger } from '../contracts/ledgers.ts';
import type { RunResult } from '../run/result.ts';

export interface EvidenceFormats {
  capture: 'json' | 'csv';
  payment: 'stripe' | 'jsonl';
  logistics: 'csv' | 'jsonl';
}

export interface EvidenceBundle {
  /** File name → text. */
  files: Record<string, string>;
}

/** ISO 8601 in a fixed UTC offset (minutes), as a server in that zone logs it. */
function isoAt(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23);
  if (offsetMinutes === 0) return `${local}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The access log's `[27/Nov/2026:09:02:00 -0500]`. */
function clfAt(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const pad = (n: number): string => String(n).padStart(2, '0');
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const field = (v: string | number): string => (typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));
  return [header.join(','), ...rows.map((r) => r.map(field).join(','))].join('\n') + '\n';
}

const jsonl = (records: readonly unknown[]): string => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

const CLIENT_IP: Record<string, string> = { capture: '10.0.1.10', payment: '10.0.2.20', logistics: '10.0.3.30', middleware: '10.0.4.40' };

interface Exchange {
  send: Extract<HistoryEvent, { kind: 'send' }>;
  deliver?: HistoryEvent;
  end?: HistoryEvent;
}

function exchanges(history: HistoryEvents, to: string): Exchange[] {
  const byReq = new Map<number, Exchange>();
  for (const e of history) {
    if (e.kind === 'send' && e.to === to && e.from !== 'harness') byReq.set(e.req, { send: e });
    else if ('req' in e && e.req !== undefined) {
      const x = byReq.get(e.req);
      if (x === undefined) continue;
      if (e.kind === 'deliver') x.deliver ??= e;
      else if (e.kind === 'response' || e.kind === 'timeout' || e.kind === 'error') x.end ??= e;
    }
  }
  return [...byReq.values()];
}

/**
 * Writes `result`'s evidence with its clock moved so the first order is placed
 * at `startAt` (ms since the epoch); the access log is in UTC-5 and the
 * middleware logs in UTC+1, as servers in other zones write them.
 */
export function writeEvidence(result: RunResult, options: { startAt: number; formats: EvidenceFormats }): EvidenceBundle {
  const ledgers = result.observations.ledgers as { capture?: CaptureLedger; payment?: PaymentLedger; logistics?: LogisticsLedger };
  const orders = ledgers.capture?.orders ?? [];
  const firstPlaced = Math.min(...orders.map((o) => Date.parse(o.placedAt)));
  const shift = (ms: number): number => ms - firstPlaced + options.startAt;
  const shiftIso = (iso: string, offset = 0): string => isoAt(shift(Date.parse(iso)), offset);
  const files: Record<string, string> = {};

  if (options.formats.capture === 'json') {
    files['capture-orders.json'] =
      JSON.stringify(
        {
          orders: orders.map((o) => ({
            order_ref: o.ref,
            created_at: shiftIso(o.placedAt),
            currency: o.currency,
            customer: o.customer,
            lines: o.lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unit_price: l.unitPrice })),
            total: o.total,
            attempts: o.attempts.map((a) => ({ attempt: a.attempt, at: shiftIso(a.at), outcome: a.outcome, status: a.status })),
          })),
        },
        null,
        2,
      ) + '\n';
  } else {
    files['capture-orders.csv'] = csv(
      ['order_ref', 'created_at', 'sku', 'quantity', 'unit_price', 'total', 'retries'],
      orders.flatMap((o) => o.lines.map((l) => [o.ref, shiftIso(o.placedAt), l.sku, l.quantity, l.unitPrice, o.total, o.attempts.length - 1])),
    );
  }

  const payments = new Map((ledgers.payment?.payments ?? []).map((p) => [p.orderRef, p]));
  const deliveries = (ledgers.payment?.deliveries ?? []).filter((d) => d.outcome !== 'dropped');
  if (options.formats.payment === 'stripe') {
    files['payment-events.json'] =
      JSON.stringify(
        {
          object: 'list',
          data: deliveries.map((d) => {
            const p = payments.get(d.orderRef ?? '');
            return {
              id: d.eventId,
              object: 'event',
              type: d.type === 'payment.captured' ? 'payment_intent.succeeded' : d.type,
              created: Math.floor(shift(Date.parse(p?.capturedAt ?? d.at)) / 1000),
              data: {
                object: {
                  id: p?.paymentId,
                  object: 'payment_intent',
                  amount: Math.round((p?.amount ?? 0) * 100),
                  currency: (p?.currency ?? 'usd').toLowerCase(),
                  metadata: { order_ref: d.orderRef },
                },
              },
              delivered_at: shiftIso(d.at),
              attempt: d.attempt,
            };
          }),
        },
        null,
        2,
      ) + '\n';
  } else {
    files['payment-events.jsonl'] = jsonl(
      deliveries.map((d) => {
        const p = payments.get(d.orderRef ?? '');
        return {
          event_id: d.eventId,
          type: d.type,
          order_ref: d.orderRef,
          payment_id: p?.paymentId,
          amount: p?.amount,
          occurred_at: shiftIso(p?.capturedAt ?? d.at),
          delivered_at: shiftIso(d.at),
          attempt: d.attempt,
          status: d.status,
        };
      }),
    );
  }

  const statusRows = (ledgers.logistics?.shipments ?? [])
    .flatMap((s) =>
      s.deliveries
        .filter((d) => d.outcome !== 'dropped')
        .map((d) => {
          const step = s.timeline.find((t) => t.seq === d.seq);
          return {
            shipment_id: s.shipmentId,
            order_ref: s.orderRef,
            status: step?.status ?? String(d.type),
            sequence: d.seq ?? 0,
            occurred_at: shiftIso(step?.at ?? d.at),
            delivered_at: shiftIso(d.at),
            attempt: d.attempt,
          };
        }),
    )
    .sort((a, b) => (a.delivered_at < b.delivered_at ? -1 : a.delivered_at > b.delivered_at ? 1 : 0));
  if (options.formats.logistics === 'csv') {
    files['3pl-status.csv'] = csv(
      ['shipment_id', 'order_ref', 'status', 'sequence', 'occurred_at', 'delivered_at', 'attempt'],
      statusRows.map((r) => Object.values(r)),
    );
  } else {
    files['3pl-status.jsonl'] = jsonl(statusRows);
  }

  // nginx in front of the middleware: a request that reached it is logged, with the status the middleware gave
  // (a lost answer was still answered, then lost on the way back).
  const front = exchanges(result.history, 'middleware').filter((x) => x.deliver !== undefined);
  files['middleware-access.log'] =
    front
      .map((x) => {
        const status = x.end?.kind === 'response' ? x.end.status : x.send.path.startsWith('/orders') ? 201 : 200;
        const seconds = x.end?.kind === 'response' ? (x.end.t - x.deliver!.t) / 1000 : 0.004;
        return `${CLIENT_IP[x.send.from] ?? '10.0.9.90'} - - [${clfAt(shift(x.deliver!.t), -300)}] "${x.send.method} ${x.send.path} HTTP/1.1" ${status} 64 "-" "${x.send.from}/1.0" ${seconds.toFixed(3)} "${x.send.corr ?? '-'}"`;
      })
      .join('\n') + '\n';

  const odooCalls = exchanges(result.history, 'odoo').filter((x) => x.deliver !== undefined && x.send.from === 'middleware');
  files['odoo-access.jsonl'] = jsonl(
    odooCalls.map((x) => ({
      time: isoAt(shift(x.deliver!.t), 0),
      remote_addr: CLIENT_IP.middleware,
      method: x.send.method,
      path: x.send.path,
      status: x.end?.kind === 'response' ? x.end.status : 200,
      request_time: Number((((x.end?.t ?? x.deliver!.t) - x.deliver!.t) / 1000).toFixed(3)),
      ...(x.send.corr !== undefined && { correlation_id: x.send.corr }),
    })),
  );

  const odoo = result.observations.odoo;
  const productPolicy = new Map((odoo?.products ?? []).map((p) => [p.id, p.invoicePolicy]));
  const invoicePolicy = (invoiceId: unknown): string => {
    const lines = (odoo?.invoiceLines ?? []).filter((l) => l.moveId === invoiceId);
    return lines.some((l) => productPolicy.get(l.productId ?? -1) === 'delivery') ? 'delivery' : 'order';
  };
  const invoiceName = new Map((odoo?.invoices ?? []).map((i) => [i.id, i.name]));
  const middlewareLines: unknown[] = [];
  for (const e of result.history) {
    if (e.kind !== 'event' || e.system !== 'middleware') continue;
    const data = e.data ?? {};
    const base = { ts: isoAt(shift(e.t), 60), level: 'info', event: e.name, correlation_id: e.corr };
    if (e.name === 'order.accepted') middlewareLines.push({ ...base, odoo_order_id: data.orderId });
    else if (e.name === 'invoice.posted')
      middlewareLines.push({ ...base, invoice: invoiceName.get(Number(data.invoiceId)) ?? data.invoiceId, policy: invoicePolicy(data.invoiceId) });
    else if (e.name === 'payment.recorded') middlewareLines.push({ ...base, payment_id: data.paymentId, amount: data.amount });
    else if (e.name === 'shipment.state') middlewareLines.push({ ...base, shipment_id: data.shipmentId, status: data.status, seq: data.seq });
    else middlewareLines.push({ ...base, ...data });
  }
  files['middleware.jsonl'] = jsonl(middlewareLines);
  return { files };
}
