/**
 * Small builders for hand-made runs in the invariants' tests: a history with
 * seqs and times in order, capture orders, and Odoo rows with sane defaults.
 */
import { DEFAULT_SIM_EPOCH_MS } from '../core/clock.ts';
import type { HistoryEvent, Outcome } from '../core/history.ts';
import { buildHistoryIndex } from './history-index.ts';
import type { CaptureLedgerOrder, GatewayPayment } from '../contracts/ledgers.ts';
import type { InvoiceRow, OdooSnapshot, PaymentRow, PickingRow, SaleOrderRow } from './odoo-snapshot.ts';
import { emptySnapshot } from './odoo-snapshot.ts';
import type { Invariant, InvariantInput, Verdict } from './types.ts';

export const T0 = DEFAULT_SIM_EPOCH_MS;
export const MIDDLEWARE_UID = 7;
export const ADMIN_UID = 2;

export class HistoryBuilder {
  readonly events: HistoryEvent[] = [];
  t = T0;

  /** Moves the clock to `T0 + ms`. */
  at(ms: number): this {
    this.t = T0 + ms;
    return this;
  }

  event(system: string, name: string, corr: string, data?: Record<string, unknown>): number {
    const seq = this.events.length;
    this.events.push({ seq, t: this.t, kind: 'event', system, name, corr, ...(data !== undefined && { data }) });
    return seq;
  }

  odoo(call: { principal?: string; model: string; method: string; outcome?: Outcome; ids?: number[]; corr?: string }): number {
    const seq = this.events.length;
    this.events.push({
      seq,
      t: this.t,
      kind: 'odoo',
      principal: call.principal ?? 'faultline-middleware',
      model: call.model,
      method: call.method,
      outcome: call.outcome ?? 'ok',
      ...(call.ids !== undefined && { ids: call.ids }),
      ...(call.corr !== undefined && { corr: call.corr }),
    });
    return seq;
  }

  send(corr: string): number {
    const seq = this.events.length;
    this.events.push({ seq, t: this.t, kind: 'send', req: seq, from: 'capture', to: 'middleware', method: 'POST', path: '/orders', corr });
    return seq;
  }
}

export function captureOrder(ref: string, overrides: Partial<CaptureLedgerOrder> = {}): CaptureLedgerOrder {
  return {
    ref,
    placedAt: '2026-01-05T09:00:00.000Z',
    currency: 'USD',
    lines: [{ sku: 'FL-CONSU-01', quantity: 2, unitPrice: 1.005 }],
    taxRate: 0.15,
    total: 2.32,
    acknowledged: true,
    attempts: [{ attempt: 1, at: '2026-01-05T09:00:00.000Z', idempotencyKey: null, outcome: 'ok', status: 202 }],
    paymentId: null,
    cancelled: false,
    ...overrides,
  };
}

export function gatewayPayment(orderRef: string, amount: number, overrides: Partial<GatewayPayment> = {}): GatewayPayment {
  return {
    paymentId: `pay_${orderRef}`,
    orderRef,
    amount,
    currency: 'USD',
    status: 'captured',
    capturedAt: '2026-01-05T09:00:01.000Z',
    refunded: 0,
    ...overrides,
  };
}

export function saleOrder(id: number, ref: string | null, overrides: Partial<SaleOrderRow> = {}): SaleOrderRow {
  return {
    id,
    name: `S${String(id).padStart(5, '0')}`,
    clientOrderRef: ref,
    state: 'sale',
    amountTotal: 2.32,
    amountUntaxed: 2.02,
    pickingIds: [],
    invoiceIds: [],
    createUid: MIDDLEWARE_UID,
    writeUid: MIDDLEWARE_UID,
    createdAt: T0,
    ...overrides,
  };
}

export function picking(id: number, saleId: number, overrides: Partial<PickingRow> = {}): PickingRow {
  return {
    id,
    name: `WH/OUT/${String(id).padStart(5, '0')}`,
    state: 'assigned',
    doneAt: null,
    origin: null,
    saleId,
    createUid: MIDDLEWARE_UID,
    writeUid: MIDDLEWARE_UID,
    ...overrides,
  };
}

export function invoice(id: number, ref: string | null, overrides: Partial<InvoiceRow> = {}): InvoiceRow {
  return {
    id,
    name: `INV/2026/${String(id).padStart(5, '0')}`,
    moveType: 'out_invoice',
    state: 'posted',
    paymentState: 'not_paid',
    amountTotal: 2.32,
    amountUntaxed: 2.02,
    ref,
    invoiceOrigin: null,
    invoiceDate: '2026-01-05',
    createdAt: T0,
    createUid: MIDDLEWARE_UID,
    writeUid: MIDDLEWARE_UID,
    ...overrides,
  };
}

export function payment(id: number, ref: string | null, amount: number, overrides: Partial<PaymentRow> = {}): PaymentRow {
  return {
    id,
    name: `PBNK1/2026/${String(id).padStart(5, '0')}`,
    amount,
    paymentType: 'inbound',
    state: 'posted',
    ref,
    isReconciled: true,
    reconciledInvoiceIds: [],
    createUid: MIDDLEWARE_UID,
    writeUid: MIDDLEWARE_UID,
    createdAt: T0,
    ...overrides,
  };
}

export function snapshot(parts: Partial<OdooSnapshot> = {}): OdooSnapshot {
  return {
    ...emptySnapshot(),
    users: [
      { id: ADMIN_UID, login: 'admin' },
      { id: MIDDLEWARE_UID, login: 'faultline-middleware' },
      { id: 9, login: 'payment-bot' },
    ],
    ...parts,
  };
}

export function runInput(parts: Partial<InvariantInput> = {}): InvariantInput {
  return { history: [], ledgers: {}, odoo: snapshot(), options: {}, ...parts };
}

export function judge(invariant: Invariant, input: InvariantInput): Verdict {
  return invariant.check(input, buildHistoryIndex(input.history));
}

/** The order refs a verdict's evidence names, sorted. */
export function namedOrders(verdict: Verdict): string[] {
  return [...new Set(verdict.examples.flatMap((v) => (v.orderRef === undefined ? [] : [v.orderRef])))].sort();
}
