import type { SystemFetch } from '../../core/system.ts';
import { createOdooClient } from '../client.ts';
import { mergeSettings, normaliseUrl, odooSettingsFromEnv } from './env.ts';
import type { Environment, OdooSettings } from './env.ts';
import { assertNoForeignRecords, createdByBootstrap, markMasterData, removeMasterData, reviveMasterData } from './ownership.ts';
import type { CleanupReport } from './ownership.ts';
import { bootstrapOdoo } from '../bootstrap.ts';
import { provisionOdoo } from './provision.ts';
import { copyDatabaseForRun } from './run-database.ts';
import type { RunDatabase } from './run-database.ts';
import type { Bootstrap, ProvisionReport } from './provision.ts';
import { assertDestructiveSetupAllowed } from './test-database.ts';
import { createTimedFetch } from './timed-fetch.ts';
import type { OdooConnection, OdooTarget } from './types.ts';

/**
 * Any reachable Odoo 17 given by URL: a staging server, a CI service, a
 * colleague's laptop. It is somebody's database, so Faultline checks before it
 * writes (series, modules, a test-looking name). A run works in a copy of the
 * named database made for it and dropped after it (run-database.ts), so runs
 * never see each other's orders and the named database is not written;
 * `faultline provision` writes into the named database itself, marks what it
 * creates, and adopts no foreign record with its codes.
 */

export interface ExternalTargetOptions extends OdooSettings {
  /** Default `bootstrapOdoo`. */
  bootstrap?: Bootstrap;
  /** Remove (or archive) the master data Faultline created, on stop. Default true. Only without a fresh database. */
  cleanup?: boolean;
  /**
   * Run in a copy of the database made for this run and dropped on stop (needs
   * the master password). Default true; `faultline provision` turns it off to
   * prepare the named database itself.
   */
  freshDatabase?: boolean;
  fetch?: SystemFetch;
  /** Defaults to process.env. */
  env?: Environment;
  log?: (line: string) => void;
}

export interface ExternalSettings {
  connection: OdooConnection;
  masterPassword: string | undefined;
  allowNonTestDatabase: boolean;
}

const FLAGS = {
  url: '--odoo-url / ODOO_URL',
  db: '--odoo-db / ODOO_DB',
  login: '--odoo-user / ODOO_USER',
  password: '--odoo-password / ODOO_PASSWORD',
} as const;

export function externalSettings(options: Omit<ExternalTargetOptions, 'bootstrap'>): ExternalSettings {
  const merged = mergeSettings(options, odooSettingsFromEnv(options.env ?? process.env));
  const missing = (Object.keys(FLAGS) as (keyof typeof FLAGS)[]).filter((key) => merged[key] === undefined || merged[key] === '');
  if (missing.length > 0) {
    throw new Error(
      `--odoo external needs ${missing.map((key) => FLAGS[key]).join(', ')}. Example:\n` +
        '  npx faultline run --mode live --odoo external --odoo-url https://odoo-staging.example.com --odoo-db staging_faultline --odoo-user admin --odoo-password ...',
    );
  }
  return {
    connection: { url: normaliseUrl(merged.url!, FLAGS.url), db: merged.db!, login: merged.login!, password: merged.password! },
    masterPassword: merged.masterPassword,
    allowNonTestDatabase: merged.allowNonTestDatabase === true,
  };
}

export interface ExternalTarget extends OdooTarget {
  /** What start() did: created database, installed modules, bootstrap result. */
  readonly provisioned: ProvisionReport | undefined;
  /** What stop() removed or archived. */
  readonly cleaned: CleanupReport | undefined;
}

export function createExternalTarget(options: ExternalTargetOptions): ExternalTarget {
  // Checked at once, so a bad command line fails before any network traffic.
  const settings = externalSettings(options);
  assertDestructiveSetupAllowed(settings.connection.db, settings.allowNonTestDatabase);
  const fetch = options.fetch ?? createTimedFetch(60_000);
  let provisioned: ProvisionReport | undefined;
  let cleaned: CleanupReport | undefined;
  let started = false;
  let runDatabase: RunDatabase | undefined;

  return {
    kind: 'external',
    get provisioned() {
      return provisioned;
    },
    get cleaned() {
      return cleaned;
    },
    async start() {
      if (options.freshDatabase !== false) {
        runDatabase = await copyDatabaseForRun({
          source: settings.connection,
          masterPassword: settings.masterPassword,
          fetch,
          ...(options.log !== undefined && { log: options.log }),
        });
        try {
          provisioned = await provisionOdoo({
            connection: runDatabase.connection,
            // The copy is this run's own; the name the user gave passed the guard above.
            allowNonTestDatabase: true,
            fetch,
            ...(options.log !== undefined && { log: options.log }),
            bootstrap: options.bootstrap ?? bootstrapOdoo,
          });
        } catch (error) {
          await runDatabase.drop().catch(() => {});
          throw error;
        }
        started = true;
        return runDatabase.connection;
      }
      const { connection } = settings;
      provisioned = await provisionOdoo({
        connection,
        masterPassword: settings.masterPassword,
        allowNonTestDatabase: settings.allowNonTestDatabase,
        fetch,
        ...(options.log !== undefined && { log: options.log }),
        bootstrap: async (client) => {
          await assertNoForeignRecords(client, connection.db);
          await reviveMasterData(client);
          const result = await (options.bootstrap ?? bootstrapOdoo)(client);
          await markMasterData(client, createdByBootstrap(result));
          return result;
        },
      });
      started = true;
      return connection;
    },
    async stop() {
      if (runDatabase !== undefined) {
        const copy = runDatabase;
        runDatabase = undefined;
        started = false;
        await copy.drop();
        return;
      }
      if (!started || options.cleanup === false) return;
      started = false;
      const client = createOdooClient({ ...settings.connection, fetch, timeoutMs: 60_000 });
      cleaned = await removeMasterData(client);
      options.log?.(`removed ${cleaned.deleted.length} and archived ${cleaned.archived.length} Faultline records from ${settings.connection.db}`);
    },
  };
}
