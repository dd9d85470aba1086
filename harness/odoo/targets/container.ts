import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import type { StartedNetwork, StartedTestContainer } from 'testcontainers';
import type { StartedToxiProxyContainer } from '@testcontainers/toxiproxy';
import { createOdooDbService } from './db-service.ts';
import type { OdooDbService } from './db-service.ts';
import { DockerUnavailableError, checkDocker } from './docker-availability.ts';
import { IMAGES, REQUIRED_MODULES } from './images.ts';
import { provisionOdoo } from './provision.ts';
import type { Bootstrap } from './provision.ts';
import { copyTemplate, defaultSnapshotDir, ensureTemplate, snapshotKey } from './snapshot.ts';
import type { TemplateOrigin } from './snapshot.ts';
import { createTimedFetch } from './timed-fetch.ts';
import type { OdooConnection, OdooTarget } from './types.ts';

/**
 * A real Odoo 17 in containers Faultline starts and removes itself, through
 * testcontainers: PostgreSQL and Odoo on a private network (plus Toxiproxy in
 * live mode). The first start provisions a template database and keeps a dump
 * of it on disk; later starts restore the dump and hand out copies of the
 * template, seconds instead of minutes.
 */

export interface ContainerTargetOptions {
  /** Default `bootstrapOdoo`. */
  bootstrap?: Bootstrap;
  /** The working database each start gets, a fresh copy of the template. Default `faultline`. */
  db?: string;
  /** Also start Toxiproxy with a proxy in front of Odoo (live mode's network faults). */
  live?: boolean;
  /** Where dumps of the template live between runs; `false` keeps none. */
  snapshotDir?: string | false;
  /** Default: IMAGES. */
  images?: Partial<Pick<typeof IMAGES, 'postgres' | 'odoo' | 'toxiproxy'>>;
  /** Pulling images and Odoo's first boot; default 5 minutes. */
  startupTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface StartedOdooContainers {
  connection: OdooConnection;
  /** Where the working database came from this time. */
  templateOrigin: TemplateOrigin;
  /** Live mode: the Toxiproxy API and the proxy through which Odoo can be reached with faults. */
  toxiproxy?: { apiUrl: string; odooProxyName: string; odooUrl: string };
  /** Replaces the working database (or creates `db`) with a fresh copy of the template. */
  freshDatabase(db?: string): Promise<OdooConnection>;
}

export interface ContainerTarget extends OdooTarget {
  readonly started: StartedOdooContainers | undefined;
}

export const ODOO_ADMIN = { login: 'admin', password: 'admin' } as const;
/** docker/odoo.conf's admin_passwd: a throwaway server on a private network. */
const MASTER_PASSWORD = 'admin';
const ODOO_PORT = 8069;
const ODOO_CONF = join(fileURLToPath(new URL('.', import.meta.url)), '../../../docker/odoo.conf');

export function templateNameFor(db: string): string {
  return `${db}_template`;
}

export function createContainerTarget(options: ContainerTargetOptions): ContainerTarget {
  const db = options.db ?? 'faultline';
  const images = { ...IMAGES, ...options.images };
  const log = options.log ?? (() => {});
  const startupTimeoutMs = options.startupTimeoutMs ?? 5 * 60_000;
  const running: Array<StartedTestContainer | StartedToxiProxyContainer> = [];
  let network: StartedNetwork | undefined;
  let started: StartedOdooContainers | undefined;

  const stop = async () => {
    started = undefined;
    const failures: string[] = [];
    // Reverse order: nothing is left talking to a database that is already gone.
    for (const container of running.splice(0).reverse()) {
      await container.stop().catch((error: unknown) => failures.push(String(error)));
    }
    await network?.stop().catch((error: unknown) => failures.push(String(error)));
    network = undefined;
    if (failures.length > 0) throw new Error(`could not remove every Odoo container: ${failures.join('; ')}`);
  };

  return {
    kind: 'container',
    get started() {
      return started;
    },
    async start() {
      const docker = await checkDocker();
      if (!docker.available) throw new DockerUnavailableError(docker.reason);
      const { GenericContainer, Network, Wait } = await import('testcontainers');
      const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
      try {
        log(`starting ${images.postgres} and ${images.odoo}`);
        network = await new Network().start();
        const postgres = await new PostgreSqlContainer(images.postgres)
          .withNetwork(network)
          .withNetworkAliases('db')
          .withUsername('odoo')
          .withPassword('odoo')
          .withDatabase('postgres')
          .withStartupTimeout(startupTimeoutMs)
          .start();
        running.push(postgres);
        // The PostgreSQL module waits until the server accepts connections: the database is ready before Odoo boots.
        const odoo = await new GenericContainer(images.odoo)
          .withNetwork(network)
          .withNetworkAliases('odoo')
          .withEnvironment({ HOST: 'db', PORT: '5432', USER: 'odoo', PASSWORD: 'odoo' })
          .withCopyFilesToContainer([{ source: ODOO_CONF, target: '/etc/odoo/odoo.conf', mode: 0o644 }])
          .withExposedPorts(ODOO_PORT)
          .withWaitStrategy(Wait.forHttp('/web/health', ODOO_PORT).forStatusCode(200))
          .withStartupTimeout(startupTimeoutMs)
          .start();
        running.push(odoo);
        const url = `http://${odoo.getHost()}:${odoo.getMappedPort(ODOO_PORT)}`;
        const dbService = createOdooDbService({ url, masterPassword: MASTER_PASSWORD, fetch: createTimedFetch(20 * 60_000) });

        const template = templateNameFor(db);
        const key = snapshotKey({ odoo: images.odoo, postgres: images.postgres, modules: REQUIRED_MODULES, format: 1 });
        const templateOrigin = await ensureTemplate({
          dbService,
          template,
          cacheFile: options.snapshotDir === false ? undefined : join(options.snapshotDir ?? defaultSnapshotDir(), `odoo-${key}.zip.b64`),
          provision: async (name) => {
            await provisionOdoo({ connection: { url, db: name, ...ODOO_ADMIN }, masterPassword: MASTER_PASSWORD, bootstrap: options.bootstrap, log });
          },
          log,
        });
        const freshDatabase = async (name = db): Promise<OdooConnection> => {
          await copyTemplate(dbService, template, name);
          return { url, db: name, ...ODOO_ADMIN };
        };
        const connection = await freshDatabase();
        await checkDatabaseReady(dbService, db);

        let toxiproxy: StartedOdooContainers['toxiproxy'];
        if (options.live === true) {
          const { ToxiProxyContainer } = await import('@testcontainers/toxiproxy');
          const proxyContainer = await new ToxiProxyContainer(images.toxiproxy).withNetwork(network).withStartupTimeout(startupTimeoutMs).start();
          running.push(proxyContainer);
          const proxy = await proxyContainer.createProxy({ name: 'odoo', upstream: `odoo:${ODOO_PORT}` });
          toxiproxy = {
            apiUrl: `http://${proxyContainer.getHost()}:${proxyContainer.getMappedPort(8474)}`,
            odooProxyName: 'odoo',
            odooUrl: `http://${proxy.host}:${proxy.port}`,
          };
        }
        started = { connection, templateOrigin, freshDatabase, ...(toxiproxy !== undefined && { toxiproxy }) };
        log(`Odoo ready at ${url}, database ${db} (${templateOrigin} template)`);
        return connection;
      } catch (error) {
        await stop().catch(() => {});
        throw error;
      }
    },
    stop,
  };
}

async function checkDatabaseReady(dbService: OdooDbService, db: string): Promise<void> {
  if (!(await dbService.exists(db))) throw new Error(`Odoo in the container does not see database "${db}" after copying the template`);
}
