/**
 * The two line-oriented shapes evidence comes in (JSON Lines and CSV), as rows
 * that keep their line numbers so a bad row can be named, not skipped.
 */
import { LineProblem } from './evidence.ts';

export interface Row {
  line: number;
  record: Record<string, unknown>;
}

/** One JSON object per line; a line that is not one is reported with why. */
export function jsonLines(text: string): Array<Row | { line: number; problem: string }> {
  const rows: Array<Row | { line: number; problem: string }> = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const value: unknown = JSON.parse(raw);
      if (value === null || typeof value !== 'object' || Array.isArray(value)) rows.push({ line: index + 1, problem: 'not a JSON object' });
      else rows.push({ line: index + 1, record: value as Record<string, unknown> });
    } catch (error) {
      rows.push({ line: index + 1, problem: `not valid JSON (${(error as Error).message.split('\n')[0]})` });
    }
  });
  return rows;
}

/** Splits CSV text into fields, honouring quotes (a quoted field may hold commas, quotes and newlines). */
function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let startLine = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      if (fields.length > 1 || fields[0] !== '') records.push({ line: startLine, fields });
      fields = [];
      field = '';
      line++;
      startLine = line;
    } else field += c;
  }
  fields.push(field);
  if (fields.length > 1 || fields[0] !== '') records.push({ line: startLine, fields });
  return records;
}

/** CSV with a header row; each later row becomes a record keyed by the header's lower-cased names. */
export function csvRows(text: string): { header: string[]; rows: Array<Row | { line: number; problem: string }> } {
  const [head, ...body] = csvRecords(text);
  if (head === undefined) return { header: [], rows: [] };
  const header = head.fields.map((h) => h.trim().toLowerCase());
  const rows = body.map((r) => {
    if (r.fields.length !== header.length) return { line: r.line, problem: `has ${r.fields.length} fields where the header has ${header.length}` };
    const record: Record<string, unknown> = {};
    for (const [i, name] of header.entries()) record[name] = r.fields[i]!.trim();
    return { line: r.line, record };
  });
  return { header, rows };
}

export function isProblem(row: Row | { line: number; problem: string }): row is { line: number; problem: string } {
  return 'problem' in row;
}

export function asRecord(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LineProblem(`${what} is not an object`);
  return value as Record<string, unknown>;
}

/**
 * A JSON document whose records sit in an array (at the top, or under one key
 * such as Stripe's `data`), each with the line its object starts on, so a JSON
 * export's bad record is cited like a bad line.
 */
export function jsonArrayRows(text: string, value: unknown, keys: readonly string[]): Row[] | undefined {
  let items: unknown;
  if (Array.isArray(value)) items = value;
  else if (value !== null && typeof value === 'object') {
    const key = keys.find((k) => Array.isArray((value as Record<string, unknown>)[k]));
    if (key !== undefined) items = (value as Record<string, unknown>)[key];
  }
  if (!Array.isArray(items)) return undefined;
  // The array's elements start at depth 1 (top-level array) or 2 (under a key), skipping strings.
  const depth = Array.isArray(value) ? 1 : 2;
  const starts: number[] = [];
  let d = 0;
  let line = 1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\n') line++;
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') {
      if (d === depth && c === '{') starts.push(line);
      d++;
    } else if (c === '}' || c === ']') d--;
  }
  return items.map((item, i) => ({
    line: starts[i] ?? 1,
    record: (item !== null && typeof item === 'object' ? item : { value: item }) as Record<string, unknown>,
  }));
}
