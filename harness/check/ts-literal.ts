/**
 * A JSON value as a TypeScript literal laid out the way the repository's
 * formatter (Biome, `biome.json`) lays it out: single quotes, bare keys where
 * they are identifiers, an object or array on one line when it fits in the
 * line width and one entry a line with trailing commas when it does not. A
 * saved regression then passes `npm run lint` as written.
 */

const LINE_WIDTH = 160;
const INDENT = '  ';
/** A key this short never has its value moved to the next line (the formatter's short-key rule: narrower than the indent plus 3). */
const SHORT_KEY_WIDTH = INDENT.length + 3;

/** `value` printed at `indent`, starting `column` characters into its line and followed by `suffix` characters (a comma, `);`). */
export function tsLiteral(value: unknown, indent = '', column = indent.length, suffix = 0): string {
  const flat = flatLiteral(value);
  if (column + flat.length + suffix <= LINE_WIDTH || !isNonEmptyContainer(value)) return flat;
  const inner = indent + INDENT;
  if (Array.isArray(value)) {
    const items = value.map((item) => `${inner}${tsLiteral(item, inner, inner.length, 1)},`);
    return `[\n${items.join('\n')}\n${indent}]`;
  }
  const lines = entriesOf(value as Record<string, unknown>).map(([key, item]) => {
    const head = `${inner}${propertyKey(key)}:`;
    const onLine = tsLiteral(item, inner, head.length + 1, 1);
    // A string that does not fit after a longer key goes to the next line, one indent deeper.
    const breaks = typeof item === 'string' && propertyKey(key).length >= SHORT_KEY_WIDTH && head.length + 1 + onLine.length + 1 > LINE_WIDTH;
    return breaks ? `${head}\n${inner}${INDENT}${onLine},` : `${head} ${onLine},`;
  });
  return `{\n${lines.join('\n')}\n${indent}}`;
}

function flatLiteral(value: unknown): string {
  if (typeof value === 'string') return quoted(value);
  if (Array.isArray(value)) return `[${value.map(flatLiteral).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = entriesOf(value as Record<string, unknown>);
    return entries.length === 0 ? '{}' : `{ ${entries.map(([key, item]) => `${propertyKey(key)}: ${flatLiteral(item)}`).join(', ')} }`;
  }
  // Numbers, booleans and null as JSON writes them.
  return JSON.stringify(value);
}

/** The entries JSON would keep: undefined values and functions are left out. */
function entriesOf(value: Record<string, unknown>): [string, unknown][] {
  return Object.entries(value).filter(([, item]) => item !== undefined && typeof item !== 'function');
}

function isNonEmptyContainer(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return typeof value === 'object' && value !== null && entriesOf(value as Record<string, unknown>).length > 0;
}

function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quoted(key);
}

/** Single quotes unless the text holds more of them than double quotes, as the formatter chooses. */
function quoted(text: string): string {
  const json = JSON.stringify(text).slice(1, -1);
  const singles = (text.match(/'/g) ?? []).length;
  const doubles = (text.match(/"/g) ?? []).length;
  if (singles > doubles) return `"${json}"`;
  return `'${json.replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}
