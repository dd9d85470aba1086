import { afterEach, describe, expect, it } from 'vitest';
import { createExternalTarget, externalSettings } from './external.ts';
import { ForeignRecordsError, OWNER_MODULE } from './ownership.ts';
import { NonTestDatabaseError } from './test-database.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo } from './test/fake-odoo.ts';

let server: FakeOdoo | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const credentials = { login: 'admin', password: 'admin' };

describe('external target settings', () => {
  it('lists every missing setting with its flag and variable', () => {
    expect(() => externalSettings({ env: {}, url: 'http://127.0.0.1:8069' })).toThrow(
      /--odoo-db \/ ODOO_DB, --odoo-user \/ ODOO_USER, --odoo-password \/ ODOO_PASSWORD/,
    );
  });

  it('reads ODOO_* variables, with options taking precedence', () => {
    const env = { ODOO_URL: 'http://127.0.0.1:9069/', ODOO_DB: 'staging', ODOO_USER: 'qa', ODOO_PASSWORD: 'pw', ODOO_ALLOW_DESTRUCTIVE: 'yes' };
    expect(externalSettings({ env, db: 'staging_2' })).toEqual({
      connection: { url: 'http://127.0.0.1:9069', db: 'staging_2', login: 'qa', password: 'pw' },
      masterPassword: undefined,
      allowNonTestDatabase: true,
    });
  });

  it('rejects a URL that is not http(s)', () => {
    expect(() => externalSettings({ env: {}, url: 'odoo.local:8069', db: 'test', ...credentials })).toThrow(/--odoo-url \/ ODOO_URL must be an http\(s\) URL/);
  });

  it('rejects an unclear ODOO_ALLOW_DESTRUCTIVE', () => {
    expect(() => externalSettings({ env: { ODOO_ALLOW_DESTRUCTIVE: 'sure' } })).toThrow(/ODOO_ALLOW_DESTRUCTIVE must be/);
  });
});

describe('external target, one run', () => {
  it('runs in a copy of the named database and drops the copy on stop, never writing the original', async () => {
    server = await startFakeOdoo({ databases: ['acme_staging'] });
    const target = createExternalTarget({ env: {}, url: server.url, db: 'acme_staging', ...credentials, masterPassword: 'admin', bootstrap: fakeBootstrap });

    const connection = await target.start();
    expect(connection.db).toMatch(/^acme_staging-run-/);
    expect(server.rows(connection.db, 'product.product')).toHaveLength(6);
    expect(server.rows('acme_staging', 'product.product')).toEqual([]);

    await target.stop();
    expect([...server.databases.keys()]).toEqual(['acme_staging']);
  });

  it("gives every run its own copy, so no run sees another run's records", async () => {
    server = await startFakeOdoo({ databases: ['acme_staging'] });
    const options = { env: {}, url: server.url, db: 'acme_staging', ...credentials, masterPassword: 'admin', bootstrap: fakeBootstrap };
    const first = await createExternalTarget(options).start();
    const second = await createExternalTarget(options).start();
    expect(second.db).not.toBe(first.db);
  });

  it('says how to create the named database when it does not exist', async () => {
    server = await startFakeOdoo({ databases: [] });
    const target = createExternalTarget({ env: {}, url: server.url, db: 'acme_staging', ...credentials, masterPassword: 'admin', bootstrap: fakeBootstrap });
    await expect(target.start()).rejects.toThrow(/"acme_staging" does not exist[\s\S]*faultline provision --odoo external/);
    expect([...server.databases.keys()]).toEqual([]);
  });

  it('refuses to run without the master password, before writing anything', async () => {
    server = await startFakeOdoo({ databases: ['acme_staging'] });
    const target = createExternalTarget({ env: {}, url: server.url, db: 'acme_staging', ...credentials, bootstrap: fakeBootstrap });
    await expect(target.start()).rejects.toThrow(/needs a fresh database[\s\S]*--odoo-master-password or ODOO_MASTER_PASSWORD/);
    expect(server.calls.filter((call) => !call.startsWith('db.'))).toEqual([]);
    expect([...server.databases.keys()]).toEqual(['acme_staging']);
  });
});

describe('external target, provisioning in place', () => {
  it('refuses a production-looking database before sending anything', async () => {
    server = await startFakeOdoo({ databases: ['acme'] });
    expect(() => createExternalTarget({ env: {}, url: server!.url, db: 'acme', ...credentials, bootstrap: fakeBootstrap })).toThrow(NonTestDatabaseError);
    expect(server.calls).toEqual([]);
  });

  it('creates its master data, marks it as its own, and removes only that on stop', async () => {
    server = await startFakeOdoo({ databases: ['acme_staging'] });
    const theirs = { id: 5, default_code: 'ACME-1', name: 'Their product', active: true };
    server.rows('acme_staging', 'product.product').push(theirs);
    const target = createExternalTarget({ env: {}, url: server.url, db: 'acme_staging', ...credentials, bootstrap: fakeBootstrap, freshDatabase: false });

    expect(await target.start()).toEqual({ url: server.url, db: 'acme_staging', ...credentials });
    expect(server.rows('acme_staging', 'product.product')).toHaveLength(7);
    expect(server.rows('acme_staging', 'ir.model.data').map((m) => m['module'])).toEqual(Array(7).fill(OWNER_MODULE));

    await target.stop();
    expect(target.cleaned?.deleted).toHaveLength(7);
    expect(server.rows('acme_staging', 'product.product')).toEqual([theirs]);
    expect(server.rows('acme_staging', 'res.users').map((u) => u['login'])).toEqual(['admin']);
    expect(server.rows('acme_staging', 'ir.model.data')).toEqual([]);
  });

  it('refuses to adopt a foreign record that carries one of its codes', async () => {
    server = await startFakeOdoo({ databases: ['faultline_ci'] });
    server.rows('faultline_ci', 'product.product').push({ id: 9, default_code: 'FL-STOCK-01', name: 'Somebody else’s lamp', active: true });
    const target = createExternalTarget({ env: {}, url: server.url, db: 'faultline_ci', ...credentials, bootstrap: fakeBootstrap, freshDatabase: false });
    const start = target.start();
    await expect(start).rejects.toThrow(ForeignRecordsError);
    await expect(start).rejects.toThrow(/product\.product FL-STOCK-01 \(id 9\)/);
    expect(server.rows('faultline_ci', 'product.product')).toHaveLength(1);
    await target.stop();
    expect(server.rows('faultline_ci', 'product.product')).toHaveLength(1);
  });

  it('archives what Odoo will not delete and reuses it on the next run', async () => {
    server = await startFakeOdoo({ databases: ['faultline_ci'] });
    const options = { env: {}, url: server.url, db: 'faultline_ci', ...credentials, bootstrap: fakeBootstrap, freshDatabase: false };
    const first = createExternalTarget(options);
    await first.start();
    const lamp = server.rows('faultline_ci', 'product.product').find((p) => p['default_code'] === 'FL-STOCK-01')!;
    lamp['locked'] = true; // as if a run's order referenced it
    await first.stop();
    expect(first.cleaned?.archived.map((r) => r.id)).toEqual([lamp.id]);
    expect(lamp['active']).toBe(false);

    const second = createExternalTarget(options);
    await second.start();
    expect(second.provisioned?.bootstrap).toEqual({ created: 7 - 1 });
    expect(lamp['active']).toBe(true);
    expect(server.rows('faultline_ci', 'product.product').filter((p) => p['default_code'] === 'FL-STOCK-01')).toHaveLength(1);
  });

  it('leaves its data in place when cleanup is off', async () => {
    server = await startFakeOdoo({ databases: ['faultline_ci'] });
    const target = createExternalTarget({
      env: {},
      url: server.url,
      db: 'faultline_ci',
      ...credentials,
      bootstrap: fakeBootstrap,
      cleanup: false,
      freshDatabase: false,
    });
    await target.start();
    await target.stop();
    expect(server.rows('faultline_ci', 'product.product')).toHaveLength(6);
  });
});
