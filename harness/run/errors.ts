import { EXIT, type ExitCoded } from '../core/exit-codes.ts';

/** Bad command-line input or an invalid scenario: exit code 2. */
export class UsageError extends Error implements ExitCoded {
  override name = 'UsageError';
  readonly exitCode = EXIT.usage;
}

/** A system could not be reached (Odoo URL down, Docker missing): exit code 3. */
export class UnreachableError extends Error implements ExitCoded {
  override name = 'UnreachableError';
  readonly exitCode = EXIT.unreachable;
}

/**
 * The scenario asks for a fault the chosen target cannot produce (a clock skew
 * on a real Odoo): the run is skipped with this reason and counted, and a
 * suite goes on with the next scenario.
 */
export class FaultNotExpressibleError extends Error {
  override name = 'FaultNotExpressibleError';
}

export { EXIT };
