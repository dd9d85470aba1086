import { UserError, valueError } from './errors.ts';

export interface OrderTerm {
  readonly field: string;
  readonly desc: boolean;
}

const TERM = /^\s*([a-z0-9_]+(?:\.[a-z0-9_]+)?)(?:\s+(asc|desc))?(?:\s+nulls\s+(?:first|last))?\s*$/i;

/**
 * Parses `"color desc, id"`. `isField` says whether a name is a field of the
 * model; an unknown one faults as Odoo 17 does.
 */
export function parseOrder(order: string, model: string, isField: (name: string) => boolean): OrderTerm[] {
  const terms: OrderTerm[] = [];
  for (const part of order.split(',')) {
    if (part.trim() === '') continue;
    const match = TERM.exec(part);
    if (match === null)
      throw new UserError(
        `Invalid "order" specified (${order}). A valid "order" specification is a comma-separated list of valid field names (optionally followed by asc/desc for the direction)`,
      );
    const field = match[1]!.split('.')[0]!;
    if (!isField(field)) throw valueError(`Invalid field '${field}' on model '${model}'`);
    terms.push({ field, desc: (match[2] ?? 'asc').toLowerCase() === 'desc' });
  }
  return terms;
}

/**
 * Compares two column values the way PostgreSQL orders them: NULL (false) sorts
 * last ascending and first descending; strings in C collation.
 */
export function compareValues(a: unknown, b: unknown): number {
  const aNull = a === false || a === null || a === undefined;
  const bNull = b === false || b === null || b === undefined;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  // Odoo creates databases with LC_COLLATE 'C': byte order, capitals first.
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a === true && b === true) return 0;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}
