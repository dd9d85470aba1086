/**
 * HTTP access logs in front of the middleware or Odoo: nginx/Apache combined
 * format with `$request_time` (seconds) appended and optionally a quoted
 * correlation id header, or JSON Lines with the same fields. The request time
 * is what shows latency and timeouts; the status what shows outages.
 */
import { LineProblem, ReaderLog, pick, pickNumber, pickString, requireString } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';
import type { Row } from './lines.ts';

/** `host ident user [time] "METHOD path HTTP/x" status bytes "referer" "agent" request_time "correlation-id"` */
export const COMBINED = /^(\S+) \S+ \S+ \[([^\]]+)\] "(\S+) (\S+)(?: [^"]*)?" (\d{3}) (\S+)(?: "[^"]*" "[^"]*")?(?: (\d+(?:\.\d+)?))?(?: "([^"]*)")?\s*$/;

export function readCombinedLog(file: string, text: string): ReaderResult {
  const log = new ReaderLog(file);
  let withoutTime = 0;
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    log.line(index + 1, () => {
      const m = COMBINED.exec(raw);
      if (m === null)
        throw new LineProblem('not in combined log format (host - user [time] "METHOD path HTTP/1.1" status bytes "referer" "agent" request_time)');
      if (m[7] === undefined) withoutTime++;
      const corr = m[8] !== undefined && m[8] !== '-' && m[8] !== '' ? m[8] : undefined;
      log.events.push({
        kind: 'http.request',
        system: 'http',
        file,
        line: index + 1,
        at: log.time(m[2], 'time'),
        method: m[3]!,
        path: m[4]!,
        status: Number(m[5]),
        client: m[1]!,
        ...(m[7] !== undefined && { requestTimeMs: Math.round(Number(m[7]) * 1000) }),
        ...(corr !== undefined && { orderRef: corr }),
      });
    });
  });
  if (withoutTime > 0)
    log.notes.push(
      `${withoutTime} ${withoutTime === 1 ? 'line carries' : 'lines carry'} no $request_time: latency cannot be judged from them (add $request_time to log_format)`,
    );
  return log.result('access-combined');
}

/** JSON access logs: `time`, `method`, `path` (or `request`), `status`, `request_time` (s) or `duration_ms`, `correlation_id`. */
export function readJsonAccessLog(file: string, rows: readonly Row[]): ReaderResult {
  const log = new ReaderLog(file);
  for (const { line, record } of rows) {
    log.line(line, () => {
      const request = pickString(record, ['request']);
      const [method, path] =
        request !== undefined ? request.split(' ') : [requireString(record, ['method', 'request_method']), requireString(record, ['path', 'uri', 'url'])];
      if (method === undefined || path === undefined) throw new LineProblem('no method and path');
      const status = pickNumber(record, ['status', 'status_code']);
      if (status === undefined) throw new LineProblem('no status');
      const seconds = pickNumber(record, ['request_time', 'duration']);
      const ms = pickNumber(record, ['duration_ms', 'request_time_ms']) ?? (seconds !== undefined ? seconds * 1000 : undefined);
      const corr = pickString(record, ['correlation_id', 'correlationId', 'x_correlation_id', 'request_id', 'order_ref']);
      const client = pickString(record, ['remote_addr', 'client', 'upstream']);
      log.events.push({
        kind: 'http.request',
        system: 'http',
        file,
        line,
        at: log.time(pick(record, ['time', 'time_iso8601', 'timestamp', 'ts']), 'time'),
        method,
        path,
        status,
        ...(ms !== undefined && { requestTimeMs: Math.round(ms) }),
        ...(corr !== undefined && { orderRef: corr }),
        ...(client !== undefined && { client }),
      });
    });
  }
  return log.result('access-json');
}
