import type { SystemFetch } from '../../core/system.ts';
import { createOdooDbService } from './db-service.ts';
import type { OdooConnection } from './types.ts';
import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';

/**
 * Every run on a real Odoo gets a database of its own, copied from the one the
 * user named: order references restart at CAP-000001 in every run, so a shared
 * database would let one run be judged by another's sale orders. The copy is
 * Odoo's own `db.duplicate_database` (CREATE DATABASE … TEMPLATE plus the
 * filestore: seconds, not the minutes a module installation takes), and it is
 * dropped when the run ends, so the named database is never written.
 */

export class FreshDatabaseUnavailableError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  override name = 'FreshDatabaseUnavailableError';
}

export interface RunDatabase {
  readonly connection: OdooConnection;
  /** Drops the copy. Safe to call twice. */
  drop(): Promise<void>;
}

export interface CopyForRunOptions {
  /** The database to copy, and an administrator of it (the copy has the same users). */
  source: OdooConnection;
  /** Odoo's master password (`admin_passwd`); without it there is no copy, and no run. */
  masterPassword: string | undefined;
  fetch: SystemFetch;
  log?: (line: string) => void;
  /** Distinguishes this process's copies; default the process id. */
  tag?: string;
}

let copies = 0;
const DROP_ATTEMPTS = 5;
const DROP_PAUSE_MS = 1_000;

/** Copies `source` into a new database named after it; the caller drops it when the run ends. */
export async function copyDatabaseForRun(options: CopyForRunOptions): Promise<RunDatabase> {
  const { source } = options;
  if (options.masterPassword === undefined || options.masterPassword === '') {
    throw new FreshDatabaseUnavailableError(
      `a run on a real Odoo needs a fresh database, so that it is never judged by an earlier run's orders; ` +
        `Faultline copies "${source.db}" for each run with Odoo's database manager. Give Odoo's master password ` +
        '(admin_passwd) with --odoo-master-password or ODOO_MASTER_PASSWORD.',
    );
  }
  const service = createOdooDbService({ url: source.url, masterPassword: options.masterPassword, fetch: options.fetch, timeoutMs: 5 * 60_000 });
  if (!(await service.exists(source.db))) {
    throw new FreshDatabaseUnavailableError(
      `database "${source.db}" does not exist at ${source.url}, so there is nothing to copy for this run; create it, or let ` +
        '`npx faultline provision --odoo external …` with the same flags create and provision it.',
    );
  }
  const tag = options.tag ?? String(process.pid);
  let name: string;
  do name = `${source.db}-run-${tag}-${++copies}`;
  while (await service.exists(name));
  options.log?.(`copying database ${source.db} to ${name} for this run`);
  try {
    await service.duplicate(source.db, name);
  } catch (error) {
    throw new FreshDatabaseUnavailableError(`could not copy database "${source.db}" at ${source.url} for this run: ${(error as Error).message}`, {
      cause: error,
    });
  }
  let dropped = false;
  return {
    connection: { ...source, db: name },
    async drop() {
      if (dropped) return;
      dropped = true;
      // Calls the run left in flight may still hold the database for a moment: Odoo then answers the drop with an error.
      for (let attempt = 1; ; attempt++) {
        try {
          await service.drop(name);
          options.log?.(`dropped database ${name}`);
          return;
        } catch (error) {
          if (attempt >= DROP_ATTEMPTS) {
            // The run's verdict stands; only a copy is left behind, and the user is told which.
            options.log?.(`could not drop database ${name} (${(error as Error).message}); drop it with Odoo's database manager`);
            return;
          }
          await new Promise((resolve) => setTimeout(resolve, DROP_PAUSE_MS * attempt));
        }
      }
    },
  };
}
