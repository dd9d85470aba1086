import type { SystemFetch } from '../../core/system.ts';
import { bootstrapOdoo } from '../bootstrap.ts';
import { createOdooClient } from '../client.ts';
import type { OdooClient } from '../client.ts';
import { createOdooDbService } from './db-service.ts';
import { REQUIRED_MODULES } from './images.ts';
import { assertModulesUsable, checkOdooSeries, isUsable, readModuleStates } from './server-check.ts';
import { assertDestructiveSetupAllowed } from './test-database.ts';
import { createTimedFetch } from './timed-fetch.ts';
import type { OdooConnection } from './types.ts';

/**
 * The one way every target makes an Odoo database ready for scenarios: the
 * database (created through the db service where the server allows it), the
 * modules (installed through ir.module.module when missing), then the shared
 * bootstrap (catalogue, stock, integration user). Idempotent: run it again and
 * it finds everything in place.
 */

export type Bootstrap = (client: OdooClient) => Promise<unknown>;

export interface ProvisionOptions {
  /** The database to make ready, and an administrator of it (created with these credentials). */
  connection: OdooConnection;
  /** The shared master-data bootstrap; default `bootstrapOdoo` (harness/odoo/bootstrap.ts) with its defaults. */
  bootstrap?: Bootstrap;
  /** Odoo's master password (`admin_passwd`); without it a missing database is an error. */
  masterPassword?: string;
  /** Setup on a database whose name does not say "test" is refused unless this is true. */
  allowNonTestDatabase?: boolean;
  modules?: readonly string[];
  fetch?: SystemFetch;
  /** Per call; installing modules takes minutes on a real Odoo. Default 20 minutes. */
  timeoutMs?: number;
  /** Progress lines for people watching (the init container's log, the CLI). */
  log?: (line: string) => void;
}

export interface ProvisionReport {
  serverVersion: string;
  createdDatabase: boolean;
  installedModules: string[];
  bootstrap: unknown;
}

const DEFAULT_TIMEOUT_MS = 20 * 60_000;

export async function provisionOdoo(options: ProvisionOptions): Promise<ProvisionReport> {
  const { connection } = options;
  const log = options.log ?? (() => {});
  const modules = options.modules ?? REQUIRED_MODULES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const fetch = options.fetch ?? createTimedFetch(timeoutMs);
  assertDestructiveSetupAllowed(connection.db, options.allowNonTestDatabase === true);

  const createdDatabase = await ensureDatabase(connection, options.masterPassword, fetch, timeoutMs, log);
  const client = createOdooClient({ ...connection, fetch, timeoutMs });
  const serverVersion = await checkOdooSeries(client, connection.url);

  const before = await readModuleStates(client, modules);
  const absent = before.filter((m) => m.state === 'absent' || m.state === 'uninstallable');
  if (absent.length > 0) assertModulesUsable(absent, connection.db);
  const toInstall = before.filter((m) => !isUsable(m));
  if (toInstall.length > 0) {
    log(`installing ${toInstall.map((m) => m.name).join(', ')} in ${connection.db} (a few minutes on a real Odoo)`);
    // One call: Odoo resolves dependencies and loads them together, much faster than one by one.
    await client.executeKw('ir.module.module', 'button_immediate_install', [toInstall.map((m) => m.id)], {}, { acceptNone: true });
    assertModulesUsable(await readModuleStates(client, modules), connection.db);
  }

  log(`configuring ${connection.db}: catalogue, stock, integration user`);
  const bootstrap = await (options.bootstrap ?? bootstrapOdoo)(client);
  log(`${connection.db} is ready at ${connection.url}`);
  return { serverVersion, createdDatabase, installedModules: toInstall.map((m) => m.name), bootstrap };
}

async function ensureDatabase(
  connection: OdooConnection,
  masterPassword: string | undefined,
  fetch: SystemFetch,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<boolean> {
  const dbService = createOdooDbService({ url: connection.url, masterPassword: masterPassword ?? '', fetch, timeoutMs });
  if (await dbService.exists(connection.db)) return false;
  if (masterPassword === undefined || masterPassword === '') {
    throw new Error(
      `Odoo database "${connection.db}" does not exist at ${connection.url}. Create it (with sale_management, stock and account), ` +
        'or give the master password (--odoo-master-password / ODOO_MASTER_PASSWORD) so Faultline creates it.',
    );
  }
  log(`creating database ${connection.db} at ${connection.url} (no demo data)`);
  await dbService.create(connection.db, { demo: false, adminLogin: connection.login, adminPassword: connection.password });
  return true;
}
