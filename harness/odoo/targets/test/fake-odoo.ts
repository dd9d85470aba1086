/**
 * A small Odoo for the targets' tests: databases with the db service's
 * master-password rules, modules with install states, and the few models
 * provisioning and ownership touch. Served over real loopback HTTP, so the
 * targets' own fetch, client and db service run for real. Where the emulator
 * is available, the provisioning tests also run against it.
 */
import { serveSystem } from '../../../engine/live/processes/serve-system.ts';
import type { ServedSystem } from '../../../engine/live/processes/serve-system.ts';
import { FakeOdooFault, createFakeOdooHandler } from '../../test/fake-odoo-server.ts';
import type { RpcCall } from '../../test/fake-odoo-server.ts';

type Row = Record<string, unknown> & { id: number };

export interface FakeDatabase {
  models: Map<string, Row[]>;
  nextId: number;
}

export interface FakeOdooOptions {
  masterPassword?: string;
  serverSerie?: string;
  /** Databases that exist from the start, with every module installed. */
  databases?: string[];
  /** Whether the server lists databases (`list_db`). */
  listDb?: boolean;
  /**
   * Makes the copy but answers `duplicate_database` with the error a real Odoo
   * 17 gives when the copy terminated the request's own connection to the
   * source database (a server whose db-filter admits only that database);
   * `before-copy` loses the connection without making the copy.
   */
  duplicateAnswersConnectionClosed?: 'after-copy' | 'before-copy';
}

export interface FakeOdoo {
  readonly url: string;
  readonly databases: Map<string, FakeDatabase>;
  /** Every RPC the server received, as `service.method` or `model.method`. */
  readonly calls: string[];
  rows(db: string, model: string): Row[];
  close(): Promise<void>;
}

const MODULES = ['base', 'web', 'sale_management', 'stock', 'account', 'sale_stock', 'stock_account'];

export async function startFakeOdoo(options: FakeOdooOptions = {}): Promise<FakeOdoo> {
  const masterPassword = options.masterPassword ?? 'admin';
  const serie = options.serverSerie ?? '17.0';
  const databases = new Map<string, FakeDatabase>();
  const calls: string[] = [];
  for (const name of options.databases ?? []) databases.set(name, newDatabase(true));

  const checkMaster = (given: unknown) => {
    if (given !== masterPassword) throw new FakeOdooFault(3, 'Access Denied', 'odoo.exceptions.AccessDenied');
  };
  const dbNamed = (name: unknown): FakeDatabase => {
    const db = databases.get(String(name));
    if (db === undefined) throw new FakeOdooFault(1, `FATAL:  database "${String(name)}" does not exist`, 'psycopg2.OperationalError');
    return db;
  };

  const dispatch = (call: RpcCall): unknown => {
    const a = call.args;
    if (call.service === 'db') {
      calls.push(`db.${call.method}`);
      switch (call.method) {
        case 'list':
          if (options.listDb === false) throw new FakeOdooFault(3, 'Access Denied', 'odoo.exceptions.AccessDenied');
          return [...databases.keys()].sort();
        case 'db_exist':
          return databases.has(String(a[0]));
        case 'server_version':
          return `${serie}-20241125`;
        case 'create_database': {
          checkMaster(a[0]);
          if (databases.has(String(a[1]))) throw new FakeOdooFault(1, `database ${String(a[1])} already exists`);
          const db = newDatabase(false);
          db.models.get('res.users')!.push({ id: 2, login: String(a[5] ?? 'admin'), password: String(a[4] ?? 'admin'), active: true });
          databases.set(String(a[1]), db);
          return true;
        }
        case 'duplicate_database':
          checkMaster(a[0]);
          if (options.duplicateAnswersConnectionClosed !== 'before-copy') databases.set(String(a[2]), structuredClone(dbNamed(a[1])));
          if (options.duplicateAnswersConnectionClosed !== undefined) {
            throw new FakeOdooFault(1, 'SSL connection has been closed unexpectedly\n', 'psycopg2.OperationalError');
          }
          return true;
        case 'drop':
          checkMaster(a[0]);
          return databases.delete(String(a[1]));
        case 'dump':
          checkMaster(a[0]);
          return Buffer.from(JSON.stringify(serialise(dbNamed(a[1])))).toString('base64');
        case 'restore':
          checkMaster(a[0]);
          databases.set(String(a[1]), deserialise(JSON.parse(Buffer.from(String(a[2]), 'base64').toString('utf8'))));
          return true;
      }
      throw new FakeOdooFault(1, `Method not found: ${call.method}`);
    }
    if (call.service === 'common') {
      calls.push(`common.${call.method}`);
      if (call.method === 'version')
        return {
          server_version: `${serie}-20241125`,
          server_version_info: [Number(serie.split('.')[0]), 0, 0, 'final', 0, ''],
          server_serie: serie,
          protocol_version: 1,
        };
      if (call.method === 'authenticate' || call.method === 'login') {
        const user = dbNamed(a[0])
          .models.get('res.users')!
          .find((u) => u['login'] === a[1] && u['password'] === a[2]);
        return user?.id ?? false;
      }
    }
    if (call.service === 'object' && call.method === 'execute_kw') {
      const db = dbNamed(a[0]);
      const user = db.models.get('res.users')!.find((u) => u.id === a[1] && u['password'] === a[2]);
      if (user === undefined) throw new FakeOdooFault(3, 'Access Denied', 'odoo.exceptions.AccessDenied');
      const model = String(a[3]);
      const method = String(a[4]);
      calls.push(`${model}.${method}`);
      return execute(db, model, method, (a[5] ?? []) as unknown[], (a[6] ?? {}) as Record<string, unknown>);
    }
    throw new FakeOdooFault(1, `Method not found: ${call.service}.${call.method}`);
  };

  const handler = createFakeOdooHandler(dispatch);
  const served: ServedSystem = await serveSystem({
    handle: async (request) => {
      if (new URL(request.url).pathname === '/web/health') return Response.json({ status: 'pass' });
      return handler(request);
    },
  });
  return {
    url: served.url,
    databases,
    calls,
    rows: (db, model) => databases.get(db)?.models.get(model) ?? [],
    close: () => served.close(),
  };
}

function newDatabase(withApps: boolean): FakeDatabase {
  const models = new Map<string, Row[]>();
  let id = 1;
  models.set(
    'ir.module.module',
    MODULES.map((name) => ({ id: id++, name, state: withApps || name === 'base' || name === 'web' ? 'installed' : 'uninstalled' })),
  );
  models.set('res.users', withApps ? [{ id: 2, login: 'admin', password: 'admin', active: true }] : []);
  models.set('product.product', []);
  models.set('ir.model.data', []);
  return { models, nextId: 100 };
}

function execute(db: FakeDatabase, model: string, method: string, args: unknown[], kwargs: Record<string, unknown>): unknown {
  const rows = db.models.get(model);
  if (rows === undefined) throw new FakeOdooFault(2, `Object ${model} doesn't exist`, 'odoo.exceptions.UserError');
  const context = (kwargs['context'] ?? {}) as Record<string, unknown>;
  const visible = (row: Row) => context['active_test'] === false || row['active'] !== false;
  switch (method) {
    case 'search_read': {
      const found = rows.filter((row) => visible(row) && matches(row, args[0] as unknown[]));
      const fields = kwargs['fields'] as string[] | undefined;
      return found.map((row) => (fields === undefined ? { ...row } : Object.fromEntries([['id', row.id], ...fields.map((f) => [f, row[f] ?? false])])));
    }
    case 'search_count':
      return rows.filter((row) => visible(row) && matches(row, args[0] as unknown[])).length;
    case 'create': {
      const row = { active: true, ...(args[0] as Record<string, unknown>), id: db.nextId++ };
      rows.push(row);
      return row.id;
    }
    case 'write':
      for (const row of rows) if ((args[0] as number[]).includes(row.id)) Object.assign(row, args[1]);
      return true;
    case 'unlink': {
      const ids = args[0] as number[];
      if (rows.some((row) => ids.includes(row.id) && row['locked'] === true)) {
        throw new FakeOdooFault(2, 'You cannot delete this record: it is referenced by other documents.', 'odoo.exceptions.UserError');
      }
      db.models.set(
        model,
        rows.filter((row) => !ids.includes(row.id)),
      );
      return true;
    }
    case 'button_immediate_install':
      for (const row of rows) if ((args[0] as number[]).includes(row.id)) row['state'] = 'installed';
      return { type: 'ir.actions.client', tag: 'reload' };
  }
  throw new FakeOdooFault(1, `AttributeError: The method '${method}' does not exist on the model '${model}'`);
}

function matches(row: Row, domain: unknown[]): boolean {
  return domain.every((leaf) => {
    const [field, operator, value] = leaf as [string, string, unknown];
    if (operator === '=') return row[field] === value;
    if (operator === 'in') return (value as unknown[]).includes(row[field]);
    throw new FakeOdooFault(1, `fake Odoo: operator ${operator} not supported`);
  });
}

function serialise(db: FakeDatabase): unknown {
  return { models: [...db.models.entries()], nextId: db.nextId };
}

function deserialise(data: unknown): FakeDatabase {
  const { models, nextId } = data as { models: [string, Row[]][]; nextId: number };
  return { models: new Map(models), nextId };
}
