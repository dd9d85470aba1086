/**
 * Recognises which source a file is from by its content (never by its name,
 * which teams choose freely) and hands it to that source's reader. A file no
 * reader recognises is an error that lists what is supported.
 */
import { readFile } from 'node:fs/promises';
import { EvidenceError } from './evidence.ts';
import type { ReaderResult } from './evidence.ts';
import { COMBINED, readCombinedLog, readJsonAccessLog } from './read-access-log.ts';
import { readCaptureCsv, readCaptureJson } from './read-capture.ts';
import { readLogisticsFeed } from './read-logistics.ts';
import { readMiddlewareLog } from './read-middleware-log.ts';
import { readPaymentJsonLines, readStripeEvents } from './read-payment.ts';
import { csvRows, isProblem, jsonArrayRows, jsonLines } from './lines.ts';
import type { Row } from './lines.ts';

export const SUPPORTED_FORMATS = [
  'payment events: Stripe-style JSON (id, type, created, data.object) or JSON Lines (event_id, type, order_ref, occurred_at)',
  '3PL status feed: CSV or JSON Lines (shipment_id, order_ref, status, occurred_at, sequence)',
  'capture order export: JSON or CSV (order_ref, created_at, lines or sku/quantity/unit_price, total, attempts)',
  'HTTP access log: nginx/Apache combined with $request_time, or JSON Lines (time, method, path, status, request_time)',
  'middleware log: JSON Lines (ts, event or msg, level, correlation_id)',
];

type Reader = (file: string, rows: readonly Row[]) => ReaderResult;

const has = (record: Record<string, unknown>, ...keys: string[]): boolean => keys.some((k) => record[k] !== undefined);

/** Which reader a record's shape belongs to; the first matching rule wins, most specific first. */
function readerFor(record: Record<string, unknown>, lineOriented: boolean): Reader | undefined {
  if (has(record, 'type') && has(record, 'created') && has(record, 'data')) return readStripeEvents;
  if (has(record, 'shipment_id', 'shipmentId', 'shipment') && has(record, 'status', 'state')) return (f, r) => readLogisticsFeed(f, r, '3pl-jsonl');
  if (has(record, 'lines', 'items', 'order_lines')) return readCaptureJson;
  if (has(record, 'event_id', 'eventId') && has(record, 'type', 'event_type')) return readPaymentJsonLines;
  if (has(record, 'status', 'status_code') && has(record, 'request', 'path', 'uri', 'url')) return readJsonAccessLog;
  if (lineOriented && has(record, 'event', 'msg', 'message') && has(record, 'ts', 'time', 'timestamp', '@timestamp')) return readMiddlewareLog;
  return undefined;
}

function withProblems(result: ReaderResult, file: string, problems: ReadonlyArray<{ line: number; problem: string }>): ReaderResult {
  return { ...result, ignored: [...problems.map((p) => ({ file, line: p.line, reason: p.problem })), ...result.ignored].sort((a, b) => a.line - b.line) };
}

const unknownFormat = (file: string, line: number, what: string): EvidenceError =>
  new EvidenceError(
    { file, line },
    `${what}, which is no evidence format Faultline reads`,
    `supported:\n  - ${SUPPORTED_FORMATS.join('\n  - ')}\nconvert the file to one of them (docs/reproduce.md shows a sample of each)`,
  );

/** Reads one evidence file's text; `file` is how it is named in messages. */
export function readEvidenceText(file: string, text: string): ReaderResult {
  const trimmed = text.trimStart();
  if (trimmed === '') throw new EvidenceError({ file, line: 1 }, 'the file is empty', 'pass a file with the evidence, or leave it out');
  const firstLine = text.split(/\r?\n/).findIndex((l) => l.trim() !== '') + 1;
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) {
    let whole: unknown;
    let parsed = true;
    try {
      whole = JSON.parse(text);
    } catch {
      parsed = false;
    }
    if (parsed) {
      const rows = jsonArrayRows(text, whole, ['data', 'orders', 'events', 'items', 'records']);
      if (rows !== undefined) {
        if (rows.length === 0) return { format: 'empty', events: [], ignored: [], notes: ['no records'] };
        const reader = readerFor(rows[0]!.record, false);
        if (reader === undefined) throw unknownFormat(file, rows[0]!.line, `its first record has the keys ${Object.keys(rows[0]!.record).join(', ')}`);
        return reader(file, rows);
      }
      if (!text.includes('\n') || !/\}\s*\n\s*\{/.test(text)) {
        const reader = whole !== null && typeof whole === 'object' ? readerFor(whole as Record<string, unknown>, true) : undefined;
        if (reader === undefined) throw unknownFormat(file, firstLine, 'it is one JSON value with no array of records');
        return reader(file, [{ line: firstLine, record: whole as Record<string, unknown> }]);
      }
    }
    const lines = jsonLines(text);
    const good = lines.filter((r): r is Row => !isProblem(r));
    if (good.length === 0) {
      const first = lines[0]!;
      throw new EvidenceError(
        { file, line: first.line },
        isProblem(first) ? first.problem : 'no JSON object',
        'a JSON file must be one document or one object per line',
      );
    }
    const reader = readerFor(good[0]!.record, true);
    if (reader === undefined) throw unknownFormat(file, good[0]!.line, `its first record has the keys ${Object.keys(good[0]!.record).join(', ')}`);
    return withProblems(reader(file, good), file, lines.filter(isProblem));
  }
  const nonEmpty = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const first = nonEmpty[0]!;
  // A log whose first line is damaged is still a log: any of its first lines in the format decides.
  if (nonEmpty.slice(0, 5).some((l) => COMBINED.test(l))) return readCombinedLog(file, text);
  if (first.includes(',')) {
    const { header, rows } = csvRows(text);
    const good = rows.filter((r): r is Row => !isProblem(r));
    const problems = rows.filter(isProblem);
    if (header.some((h) => /^shipment(_id)?$/.test(h))) return withProblems(readLogisticsFeed(file, good, '3pl-csv'), file, problems);
    if (header.some((h) => ['order_ref', 'ref', 'reference', 'client_order_ref'].includes(h)) && header.includes('sku'))
      return withProblems(readCaptureCsv(file, good), file, problems);
    throw unknownFormat(file, firstLine, `its CSV header is ${header.join(',')}`);
  }
  throw unknownFormat(file, firstLine, `its first line is "${first.slice(0, 80)}"`);
}

export async function readEvidenceFile(path: string, shownAs: string = path): Promise<ReaderResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EvidenceError(
      { file: shownAs, line: 0 },
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : `cannot be read (${code ?? (error as Error).message})`,
      'name each evidence file (a folder: pass its files, e.g. bundle/*)',
    );
  }
  return readEvidenceText(shownAs, text);
}
