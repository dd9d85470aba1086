/** Bad command-line input or an invalid scenario: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A system could not be reached (Odoo URL down, Docker missing): exit code 3. */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

export const EXIT = { pass: 0, fail: 1, usage: 2, unreachable: 3 } as const;
