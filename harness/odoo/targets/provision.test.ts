import { afterEach, describe, expect, it } from 'vitest';
import { provisionOdoo } from './provision.ts';
import { NonTestDatabaseError } from './test-database.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo, FakeOdooOptions } from './test/fake-odoo.ts';

let server: FakeOdoo | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function fakeOdoo(options?: FakeOdooOptions): Promise<FakeOdoo> {
  server = await startFakeOdoo(options);
  return server;
}

const admin = { login: 'admin', password: 'admin' };

describe('provisionOdoo', () => {
  it('creates a missing database, installs the modules and runs the bootstrap', async () => {
    const odoo = await fakeOdoo();
    const lines: string[] = [];
    const report = await provisionOdoo({
      connection: { url: odoo.url, db: 'faultline', ...admin },
      masterPassword: 'admin',
      bootstrap: fakeBootstrap,
      log: (l) => lines.push(l),
    });

    expect(report.createdDatabase).toBe(true);
    expect(report.installedModules).toEqual(['sale_management', 'stock', 'account']);
    expect(report.bootstrap).toEqual({ created: 7 });
    expect(report.serverVersion).toMatch(/^17\.0/);
    const states = odoo.rows('faultline', 'ir.module.module').filter((m) => ['sale_management', 'stock', 'account'].includes(String(m['name'])));
    expect(states.map((m) => m['state'])).toEqual(['installed', 'installed', 'installed']);
    // One install call for all modules: Odoo resolves and loads them together.
    expect(odoo.calls.filter((c) => c === 'ir.module.module.button_immediate_install')).toHaveLength(1);
    expect(lines.join('\n')).toContain('creating database faultline');
  });

  it('finds everything in place on a second run and changes nothing', async () => {
    const odoo = await fakeOdoo();
    const options = { connection: { url: odoo.url, db: 'faultline_ci', ...admin }, masterPassword: 'admin', bootstrap: fakeBootstrap };
    await provisionOdoo(options);
    odoo.calls.length = 0;
    const again = await provisionOdoo(options);
    expect(again).toMatchObject({ createdDatabase: false, installedModules: [], bootstrap: { created: 0 } });
    expect(odoo.calls).not.toContain('db.create_database');
    expect(odoo.calls).not.toContain('ir.module.module.button_immediate_install');
  });

  it('uses an existing database without the master password', async () => {
    const odoo = await fakeOdoo({ databases: ['odoo_test'] });
    const report = await provisionOdoo({ connection: { url: odoo.url, db: 'odoo_test', ...admin }, bootstrap: fakeBootstrap });
    expect(report.createdDatabase).toBe(false);
    expect(report.installedModules).toEqual([]);
  });

  it('says how to get a database when it is missing and no master password is given', async () => {
    const odoo = await fakeOdoo();
    await expect(provisionOdoo({ connection: { url: odoo.url, db: 'faultline', ...admin }, bootstrap: fakeBootstrap })).rejects.toThrow(
      /database "faultline" does not exist.*ODOO_MASTER_PASSWORD/,
    );
  });

  it('explains a refused master password', async () => {
    const odoo = await fakeOdoo({ masterPassword: 's3cret' });
    await expect(
      provisionOdoo({ connection: { url: odoo.url, db: 'faultline', ...admin }, masterPassword: 'admin', bootstrap: fakeBootstrap }),
    ).rejects.toThrow(/master password is wrong.*list_db/);
    expect(odoo.databases.has('faultline')).toBe(false);
  });

  it('refuses a database that does not look like a test database before calling Odoo', async () => {
    const odoo = await fakeOdoo({ databases: ['acme'] });
    await expect(provisionOdoo({ connection: { url: odoo.url, db: 'acme', ...admin }, bootstrap: fakeBootstrap })).rejects.toThrow(NonTestDatabaseError);
    expect(odoo.calls).toEqual([]);
  });

  it('provisions a production-looking database when the user allows it explicitly', async () => {
    const odoo = await fakeOdoo({ databases: ['acme'] });
    const report = await provisionOdoo({ connection: { url: odoo.url, db: 'acme', ...admin }, bootstrap: fakeBootstrap, allowNonTestDatabase: true });
    expect(report.bootstrap).toEqual({ created: 7 });
  });

  it('refuses an Odoo that is not 17.0', async () => {
    const odoo = await fakeOdoo({ serverSerie: '16.0', databases: ['faultline'] });
    await expect(provisionOdoo({ connection: { url: odoo.url, db: 'faultline', ...admin }, bootstrap: fakeBootstrap })).rejects.toThrow(
      /runs 16\.0.*Odoo 17\.0/,
    );
  });

  it('names the modules the server cannot install', async () => {
    const odoo = await fakeOdoo({ databases: ['faultline'] });
    await expect(
      provisionOdoo({ connection: { url: odoo.url, db: 'faultline', ...admin }, bootstrap: fakeBootstrap, modules: ['sale_management', 'quality_control'] }),
    ).rejects.toThrow(/quality_control \(not on the addons path\)/);
  });

  it('says which URL did not answer', async () => {
    const odoo = await fakeOdoo();
    const url = odoo.url;
    await odoo.close();
    server = undefined;
    await expect(provisionOdoo({ connection: { url, db: 'faultline', ...admin }, bootstrap: fakeBootstrap, timeoutMs: 2_000 })).rejects.toThrow(url);
  });
});
