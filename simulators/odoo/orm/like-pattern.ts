/**
 * SQL LIKE without regular expressions. Patterns come from RPC clients, so a
 * RegExp built from them could backtrack exponentially (`%a%a%a…%b`) or be
 * too large to compile; this matcher never backtracks.
 *
 * A pattern is split at `%` into segments of literal characters and `_`
 * (one character). The first segment must match at the start and the last at
 * the end (unanchored `like` wraps the value in `%`, as Odoo does); every
 * other segment is found at its leftmost position after the previous one.
 * Leftmost placement is always safe for `%`-separated segments, so each
 * segment is searched once: O(text × segment) time at worst, no recursion.
 * `\` escapes the next character, PostgreSQL's default escape.
 */

/** One pattern character: a literal code point, or `_` (any one). */
type Token = string | null;

export interface LikePattern {
  test(text: string): boolean;
}

/** Text as `ilike` compares it: each code point in lower case. */
export function foldCase(text: string): string {
  let folded = '';
  for (const ch of text) folded += ch.toLowerCase();
  return folded;
}

/**
 * The text an anchored pattern (`=like`, `=ilike`) without wildcards matches,
 * its escapes undone; undefined when an unescaped `%` or `_` makes it match
 * more than one text.
 */
export function patternLiteral(value: string): string | undefined {
  let literal = '';
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) literal += chars[++i]!;
    else if (ch === '%' || ch === '_') return undefined;
    else literal += ch;
  }
  return literal;
}

export function likePattern(value: string, exact: boolean, insensitive: boolean): LikePattern {
  const fold = insensitive ? (ch: string): string => ch.toLowerCase() : (ch: string): string => ch;
  const segments: Token[][] = [[]];
  const chars = Array.from(value);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === '\\' && i + 1 < chars.length) segments[segments.length - 1]!.push(fold(chars[++i]!));
    else if (ch === '%') segments.push([]);
    else if (ch === '_') segments[segments.length - 1]!.push(null);
    else segments[segments.length - 1]!.push(fold(ch));
  }
  if (!exact) {
    segments.unshift([]);
    segments.push([]);
  }
  return { test: (text) => matches(segments, Array.from(text, fold)) };
}

function matchesAt(segment: readonly Token[], text: readonly string[], at: number): boolean {
  if (at + segment.length > text.length) return false;
  for (let k = 0; k < segment.length; k++) {
    const token = segment[k];
    if (token !== null && token !== text[at + k]) return false;
  }
  return true;
}

function matches(segments: readonly (readonly Token[])[], text: readonly string[]): boolean {
  const first = segments[0]!;
  if (segments.length === 1) return first.length === text.length && matchesAt(first, text, 0);
  const last = segments[segments.length - 1]!;
  if (!matchesAt(first, text, 0)) return false;
  // The last segment is pinned to the end; the middle ones must fit before it.
  const end = text.length - last.length;
  if (end < first.length || !matchesAt(last, text, end)) return false;
  let position = first.length;
  for (let s = 1; s < segments.length - 1; s++) {
    const segment = segments[s]!;
    let found = -1;
    for (let at = position; at + segment.length <= end; at++) {
      if (matchesAt(segment, text, at)) {
        found = at;
        break;
      }
    }
    if (found < 0) return false;
    position = found + segment.length;
  }
  return true;
}
