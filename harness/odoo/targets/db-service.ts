import type { SystemFetch } from '../../core/system.ts';
import { OdooError } from '../errors.ts';

/**
 * Odoo's database manager (`db` service of the external API): listing,
 * creating, copying and dropping databases with the master password. The
 * object-level client works inside one database; this works on the server.
 * Spoken over JSON-RPC, like the client's default.
 */
export interface OdooDbService {
  /** Names of the server's databases, or `undefined` when the server hides them (`list_db = False`). */
  list(): Promise<string[] | undefined>;
  exists(db: string): Promise<boolean>;
  serverVersion(): Promise<string>;
  /** Creates a database with `base` only (plus auto-install modules); blocks until done. */
  create(db: string, options: CreateDatabaseOptions): Promise<void>;
  /** `CREATE DATABASE target TEMPLATE source` plus the filestore: a snapshot copy in seconds. */
  duplicate(source: string, target: string): Promise<void>;
  drop(db: string): Promise<void>;
  /** A zip (SQL dump and filestore), base64. */
  dump(db: string): Promise<string>;
  restore(db: string, zipBase64: string): Promise<void>;
}

export interface CreateDatabaseOptions {
  demo: boolean;
  /** Odoo's language code; default `en_US`. */
  lang?: string;
  adminLogin: string;
  adminPassword: string;
  /** ISO code; unset keeps the generic chart of accounts (the emulator's and the transcripts'). */
  countryCode?: string;
}

export interface OdooDbServiceOptions {
  url: string;
  masterPassword: string;
  fetch: SystemFetch;
  /** Creating a database installs `base`; restoring loads a dump: minutes, not seconds. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;

export function createOdooDbService(options: OdooDbServiceOptions): OdooDbService {
  const url = options.url.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let nextId = 0;

  const call = async (method: string, args: unknown[], secret = false): Promise<unknown> => {
    const response = await options.fetch(`${url}/jsonrpc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service: 'db', method, args }, id: ++nextId }),
      timeoutMs,
    });
    const text = await response.text();
    const where = { transport: 'jsonrpc' as const, service: 'db', method };
    let body: { result?: unknown; error?: { code?: number; message?: string; data?: { name?: string; message?: string } } };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new OdooError({ ...where, kind: 'protocol', httpStatus: response.status, faultString: text.slice(0, 200) });
    }
    if (response.status !== 200) throw new OdooError({ ...where, kind: 'protocol', httpStatus: response.status, faultString: text.slice(0, 200) });
    if (body.error !== undefined) {
      const error = new OdooError({
        ...where,
        kind: 'fault',
        jsonrpcCode: body.error.code,
        exceptionName: body.error.data?.name,
        faultString: body.error.data?.message ?? body.error.message ?? '',
      });
      if (secret && error.isAccessDenied) throw masterPasswordRefused(url, method, error);
      throw error;
    }
    return body.result;
  };

  return {
    async list() {
      try {
        return (await call('list', [])) as string[];
      } catch (error) {
        if (error instanceof OdooError && error.isAccessDenied) return undefined;
        throw error;
      }
    },
    async exists(db) {
      return (await call('db_exist', [db])) === true;
    },
    async serverVersion() {
      return String(await call('server_version', []));
    },
    async create(db, create) {
      await call(
        'create_database',
        [options.masterPassword, db, create.demo, create.lang ?? 'en_US', create.adminPassword, create.adminLogin, create.countryCode ?? false],
        true,
      );
    },
    async duplicate(source, target) {
      try {
        await call('duplicate_database', [options.masterPassword, source, target], true);
      } catch (error) {
        // When the server's db-filter admits only the source, Odoo serves the
        // request inside a cursor on the source; the copy terminates every
        // connection to the source, that cursor's among them, and the request
        // then fails on its own final commit, after the copy was complete.
        if (isOwnConnectionClosed(error) && (await call('db_exist', [target])) === true) return;
        throw error;
      }
    },
    async drop(db) {
      await call('drop', [options.masterPassword, db], true);
    },
    async dump(db) {
      return String(await call('dump', [options.masterPassword, db, 'zip'], true));
    },
    async restore(db, zipBase64) {
      // copy=true: Odoo gives the restored database a new uuid, as for a duplicate.
      await call('restore', [options.masterPassword, db, zipBase64, true], true);
    },
  };
}

function isOwnConnectionClosed(error: unknown): boolean {
  return (
    error instanceof OdooError &&
    error.exceptionName === 'psycopg2.OperationalError' &&
    /connection (has been )?closed|terminating connection/i.test(error.faultString ?? '')
  );
}

function masterPasswordRefused(url: string, method: string, cause: OdooError): Error {
  return new Error(
    `Odoo at ${url} refused db.${method}: the master password is wrong, or database management is disabled on that server ` +
      '(list_db = False). Give the master password with --odoo-master-password or ODOO_MASTER_PASSWORD ' +
      '(the admin_passwd of the Odoo configuration), or create the database yourself and run again.',
    { cause },
  );
}
