import type { SystemFetch } from '../../core/system.ts';
import { CATALOGUE } from '../../world/catalogue.ts';
import { createOdooClient } from '../client.ts';
import { createOdooDbService } from './db-service.ts';
import { mergeSettings, normaliseUrl, odooSettingsFromEnv } from './env.ts';
import type { Environment, OdooSettings } from './env.ts';
import { odooIsHealthy, waitForOdooHealth } from './health.ts';
import { REQUIRED_MODULES } from './images.ts';
import { provisionOdoo } from './provision.ts';
import { copyDatabaseForRun } from './run-database.ts';
import type { RunDatabase } from './run-database.ts';
import type { Bootstrap, ProvisionReport } from './provision.ts';
import { assertModulesUsable, checkOdooSeries, readModuleStates } from './server-check.ts';
import { createTimedFetch } from './timed-fetch.ts';
import type { OdooConnection, OdooTarget } from './types.ts';
import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';

/**
 * The Odoo of the repository's docker-compose.yml. The stack is the user's:
 * Faultline checks it is up and provisioned, says exactly what to run when it
 * is not, and leaves it running afterwards.
 */

/** What docker-compose.yml and docker/odoo.conf set up. */
export const COMPOSE_DEFAULTS = {
  url: 'http://127.0.0.1:8069',
  db: 'faultline',
  login: 'admin',
  password: 'admin',
  masterPassword: 'admin',
} as const;

export interface ComposeTargetOptions extends OdooSettings {
  fetch?: SystemFetch;
  /** Defaults to process.env; tests pass their own. */
  env?: Environment;
  log?: (line: string) => void;
}

export function composeSettings(options: ComposeTargetOptions = {}): Required<Pick<OdooSettings, 'url' | 'db' | 'login' | 'password' | 'masterPassword'>> {
  const merged = mergeSettings(options, odooSettingsFromEnv(options.env ?? process.env), COMPOSE_DEFAULTS);
  return {
    url: normaliseUrl(merged.url!, 'the compose Odoo URL (--odoo-url / ODOO_URL)'),
    db: merged.db!,
    login: merged.login!,
    password: merged.password!,
    masterPassword: merged.masterPassword!,
  };
}

export class ComposeStackNotReadyError extends Error implements ExitCoded {
  readonly exitCode = EXIT.unreachable;
  constructor(what: string, todo: string) {
    super(`${what}\n${todo}`);
    this.name = 'ComposeStackNotReadyError';
  }
}

const START_STACK = [
  'Start the stack from the Faultline folder, then run again:',
  '  docker compose up -d',
  '  docker compose ps        # wait until odoo is "healthy" and odoo-init "exited (0)"',
  "The first start builds Faultline's image and installs Odoo's modules: allow a few minutes.",
].join('\n');

/** Checks that the compose stack's Odoo is up, provisioned and complete; throws what to do when it is not. */
export async function checkComposeOdoo(connection: OdooConnection, fetch: SystemFetch): Promise<void> {
  const health = await odooIsHealthy(connection.url, fetch);
  if (!health.healthy) throw new ComposeStackNotReadyError(`No Odoo answers at ${connection.url} (${health.reason}).`, START_STACK);

  const dbService = createOdooDbService({ url: connection.url, masterPassword: '', fetch });
  if (!(await dbService.exists(connection.db))) {
    throw new ComposeStackNotReadyError(
      `Odoo is up at ${connection.url}, but database "${connection.db}" does not exist yet.`,
      'The odoo-init service creates it. See how it is doing with:\n  docker compose logs -f odoo-init\nand rerun it with:\n  docker compose up -d odoo-init',
    );
  }
  const client = createOdooClient({ ...connection, fetch, timeoutMs: 30_000 });
  await checkOdooSeries(client, connection.url);
  assertModulesUsable(await readModuleStates(client, REQUIRED_MODULES), connection.db);
  const products = await client.searchCount('product.product', [['default_code', 'in', CATALOGUE.map((p) => p.sku)]]);
  if (products < CATALOGUE.length) {
    throw new ComposeStackNotReadyError(
      `Database "${connection.db}" lacks Faultline's master data (${products} of ${CATALOGUE.length} products).`,
      'Provision it again with:\n  docker compose run --rm odoo-init',
    );
  }
}

export function createComposeTarget(options: ComposeTargetOptions = {}): OdooTarget {
  const settings = composeSettings(options);
  const connection: OdooConnection = { url: settings.url, db: settings.db, login: settings.login, password: settings.password };
  const fetch = options.fetch ?? createTimedFetch(30_000);
  let runDatabase: RunDatabase | undefined;
  return {
    kind: 'compose',
    async start() {
      await checkComposeOdoo(connection, fetch);
      // The stack's database stays as odoo-init left it; each run works in a copy (docker/odoo.conf sets the master password).
      runDatabase = await copyDatabaseForRun({
        source: connection,
        masterPassword: settings.masterPassword,
        fetch,
        ...(options.log !== undefined && { log: options.log }),
      });
      return runDatabase.connection;
    },
    // The stack belongs to the user: `docker compose down` is theirs to run. Only the run's copy goes.
    async stop() {
      const copy = runDatabase;
      runDatabase = undefined;
      await copy?.drop();
    },
  };
}

export interface ComposeProvisionOptions extends ComposeTargetOptions {
  /** Default `bootstrapOdoo`. */
  bootstrap?: Bootstrap;
  /** How long to wait for Odoo to come up (the init container starts with it). Default 5 minutes. */
  waitMs?: number;
  log?: (line: string) => void;
}

/** `faultline provision --odoo compose`: what the stack's init service runs. */
export async function provisionComposeOdoo(options: ComposeProvisionOptions): Promise<ProvisionReport> {
  const settings = composeSettings(options);
  const fetch = options.fetch ?? createTimedFetch(20 * 60_000);
  options.log?.(`waiting for Odoo at ${settings.url}`);
  await waitForOdooHealth(settings.url, fetch, options.waitMs ?? 5 * 60_000);
  return provisionOdoo({
    connection: { url: settings.url, db: settings.db, login: settings.login, password: settings.password },
    masterPassword: settings.masterPassword,
    // The stack's database ("faultline") passes the guard; one renamed by ODOO_DB must too.
    allowNonTestDatabase: mergeSettings(options, odooSettingsFromEnv(options.env ?? process.env)).allowNonTestDatabase === true,
    bootstrap: options.bootstrap,
    fetch,
    ...(options.log !== undefined && { log: options.log }),
  });
}
