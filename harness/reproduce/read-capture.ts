/**
 * The capture platform's order export: JSON (an array, or `{ "orders": [...] }`,
 * or one order per line) with the order ref, lines, amounts, created-at and,
 * where the platform keeps them, its submission attempts; or CSV with one row
 * per order line. The attempts are what show retries after a lost answer.
 */
import { LineProblem, ReaderLog, pick, pickNumber, pickString, requireString } from './evidence.ts';
import type { EvidenceEvent, OrderAttempt, OrderLine, ReaderResult } from './evidence.ts';
import { asRecord } from './lines.ts';
import type { Row } from './lines.ts';

const REF = ['order_ref', 'orderRef', 'ref', 'reference', 'client_order_ref'];
const CREATED = ['created_at', 'createdAt', 'placed_at', 'placedAt', 'date'];

function orderLine(value: unknown, where: string): OrderLine {
  const record = asRecord(value, where);
  const sku = requireString(record, ['sku', 'default_code', 'product']);
  const quantity = pickNumber(record, ['quantity', 'qty']);
  if (quantity === undefined || quantity <= 0) throw new LineProblem(`${where} has no positive quantity`);
  const unitPrice = pickNumber(record, ['unit_price', 'unitPrice', 'price']);
  return { sku, quantity, ...(unitPrice !== undefined && { unitPrice }) };
}

function attempts(log: ReaderLog, value: unknown): OrderAttempt[] {
  if (!Array.isArray(value)) return [];
  return value.map((item, i) => {
    const record = asRecord(item, `attempts[${i}]`);
    const status = pickNumber(record, ['status']);
    return {
      attempt: pickNumber(record, ['attempt']) ?? i + 1,
      at: log.time(pick(record, ['at', 'sent_at', 'timestamp']), `attempts[${i}].at`),
      outcome: pickString(record, ['outcome', 'result']) ?? (status !== undefined ? String(status) : 'unknown'),
      ...(status !== undefined && { status }),
    };
  });
}

export function readCaptureJson(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const orderRef = requireString(record, REF);
      const lines = pick(record, ['lines', 'items', 'order_lines']);
      if (!Array.isArray(lines) || lines.length === 0) throw new LineProblem(`order ${orderRef} has no lines`);
      const total = pickNumber(record, ['total', 'amount_total', 'amount']);
      const retries = pickNumber(record, ['retries']);
      const customer = pick(record, ['customer']);
      log.events.push({
        kind: 'order.placed',
        system: 'capture',
        file,
        line,
        orderRef,
        at: log.time(pick(record, CREATED), 'created_at'),
        lines: lines.map((l, i) => orderLine(l, `lines[${i}]`)),
        attempts: attempts(log, pick(record, ['attempts'])),
        ...(total !== undefined && { total }),
        ...(retries !== undefined && { retries }),
        ...(customer !== undefined && typeof customer === 'object' && { customer: customer as Record<string, unknown> }),
      });
    });
  }
  return log.result('capture-json');
}

/** CSV: `order_ref,created_at,sku,quantity,unit_price,total[,retries]`, one row per order line. */
export function readCaptureCsv(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  const orders = new Map<string, Extract<EvidenceEvent, { kind: 'order.placed' }>>();
  for (const { line, record } of rows) {
    log.line(line, () => {
      const orderRef = requireString(record, REF);
      const at = log.time(pick(record, CREATED), 'created_at');
      const item = orderLine(record, 'the row');
      const known = orders.get(orderRef);
      if (known !== undefined) {
        if (known.at !== at) throw new LineProblem(`order ${orderRef} was created at another time on line ${known.line}; one order's rows must agree`);
        known.lines.push(item);
        return;
      }
      const total = pickNumber(record, ['total', 'amount_total']);
      const retries = pickNumber(record, ['retries']);
      const order = {
        kind: 'order.placed' as const,
        system: 'capture' as const,
        file,
        line,
        orderRef,
        at,
        lines: [item],
        attempts: [],
        ...(total !== undefined && { total }),
        ...(retries !== undefined && { retries }),
      };
      orders.set(orderRef, order);
      log.events.push(order);
    });
  }
  return log.result('capture-csv');
}
