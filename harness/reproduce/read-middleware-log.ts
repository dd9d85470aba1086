/**
 * The middleware's own structured logs: JSON Lines with a timestamp, an event
 * or message, a level and a correlation id (the order reference). A line
 * without a correlation id cannot be joined to an order and is said so.
 */
import { LineProblem, ReaderLog, pick, pickString, requireString } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';
import type { Row } from './lines.ts';

const CORRELATION = ['correlation_id', 'correlationId', 'corr', 'order_ref', 'orderRef', 'trace.correlation_id'];
const RESERVED = new Set(['ts', 'time', 'timestamp', '@timestamp', 'level', 'severity', 'event', 'msg', 'message', ...CORRELATION]);

export function readMiddlewareLog(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const event = requireString(record, ['event', 'msg', 'message']);
      const orderRef = pickString(record, CORRELATION);
      if (orderRef === undefined)
        throw new LineProblem(`"${event}" carries no correlation id (correlation_id): it cannot be joined to an order; log one on every line`);
      const fields: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(record)) if (!RESERVED.has(key)) fields[key] = value;
      log.events.push({
        kind: 'middleware.log',
        system: 'middleware',
        file,
        line,
        orderRef,
        event,
        level: (pickString(record, ['level', 'severity']) ?? 'info').toLowerCase(),
        at: log.time(pick(record, ['ts', 'time', 'timestamp', '@timestamp']), 'ts'),
        fields,
      });
    });
  }
  return log.result('middleware-jsonl');
}
