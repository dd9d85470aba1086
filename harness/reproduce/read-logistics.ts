/**
 * The 3PL's status feed, CSV or JSON Lines: shipment, order ref, status,
 * occurred-at, sequence, and where the feed records it, when the webhook
 * reached the middleware and which attempt it was. Arrival against sequence
 * is what shows statuses delivered out of order.
 */
import { LineProblem, ReaderLog, pickNumber, pickString, requireString } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';
import type { Row } from './lines.ts';

export const LOGISTICS_STATUSES = [
  'created',
  'picked',
  'packed',
  'shipped',
  'in_transit',
  'out_for_delivery',
  'delivered',
  'exception',
  'returned',
  'cancelled',
];

export function readLogisticsFeed(file: string, rows: readonly Row[], format: '3pl-csv' | '3pl-jsonl'): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const shipmentId = requireString(record, ['shipment_id', 'shipmentId', 'shipment']);
      const orderRef = requireString(record, ['order_ref', 'orderRef', 'reference']);
      const status = requireString(record, ['status', 'state'])
        .toLowerCase()
        .replace(/[\s-]+/g, '_');
      if (!LOGISTICS_STATUSES.includes(status)) throw new LineProblem(`status "${status}" is not one Faultline knows (${LOGISTICS_STATUSES.join(', ')})`);
      const sequence = pickNumber(record, ['sequence', 'seq']);
      const delivered = pickString(record, ['delivered_at', 'received_at', 'deliveredAt']);
      const attempt = pickNumber(record, ['attempt']);
      log.events.push({
        kind: 'shipment.status',
        system: 'logistics',
        file,
        line,
        orderRef,
        shipmentId,
        status,
        at: log.time(record.occurred_at ?? record.occurredAt ?? record.timestamp, 'occurred_at'),
        ...(sequence !== undefined && { sequence }),
        ...(delivered !== undefined && { deliveredAt: log.time(delivered, 'delivered_at') }),
        ...(attempt !== undefined && { attempt }),
      });
    });
  }
  if (rows.length > 0 && log.events.every((e) => e.kind === 'shipment.status' && e.sequence === undefined)) {
    log.notes.push('no sequence column: out-of-order deliveries are judged by the status order picked → … → delivered');
  }
  return log.result(format);
}
