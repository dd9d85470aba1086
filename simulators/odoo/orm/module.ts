import type { GroupLabel, ModelAccessRule, RecordRule } from './access.ts';
import type { Env } from './env.ts';
import type { OdooError } from './errors.ts';
import type { ModelExtension, ModelSpec } from './model.ts';
import type { SequenceSpec } from './sequences.ts';

/** One call of a conflict, as the capacity model saw it. */
export interface ConflictCall {
  readonly model: string;
  readonly method: string;
  readonly ids: readonly number[];
}

/**
 * Two calls ran at the same time and both wrote the same rows (`rows`, as
 * `model:id`). `loser` is the one that commits second; `winner` committed
 * while it ran. `tryNo` counts the loser's attempts from 1.
 */
export interface Conflict {
  readonly loser: ConflictCall;
  readonly winner: ConflictCall;
  readonly rows: readonly string[];
  readonly tryNo: number;
}

/** A set of models installed together, like an Odoo addon. */
export interface OdooModule {
  readonly name: string;
  readonly models?: readonly ModelSpec[];
  readonly extensions?: readonly ModelExtension[];
  readonly sequences?: readonly SequenceSpec[];
  /** Access groups by external id, as access errors name them. */
  readonly groups?: readonly GroupLabel[];
  /** ir.model.access rows (see orm/access.ts). */
  readonly modelAccess?: readonly ModelAccessRule[];
  /** ir.rule rows (see orm/access.ts). */
  readonly recordRules?: readonly RecordRule[];
  /** Creates the module's master data in a fresh database (no demo data). Runs as superuser, after the base data. */
  seed?(env: Env): void;
  /**
   * With the capacity model on: what a write-write conflict does to the loser.
   * Return an error to fault it at once (a unique violation, never retried);
   * return undefined for PostgreSQL's serialization failure, which Odoo
   * retries after a random pause (the loser re-runs against the winner's state).
   * The first module that returns an error decides.
   */
  onConflict?(conflict: Conflict): OdooError | undefined;
}
