/** Bad command-line input or an invalid scenario: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A system could not be reached (Odoo URL down, Docker missing): exit code 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/**
 * The scenario asks for a fault the chosen target cannot produce (a clock skew
 * on a real Odoo): the run is skipped with this reason and counted, and a
 * suite goes on with the next scenario.
 */
export class FaultNotExpressibleError extends Error {
  override name = 'FaultNotExpressibleError';
}

export const EXIT = { pass: 0, fail: 1, usage: 2, unreachable: 3 } as const;
