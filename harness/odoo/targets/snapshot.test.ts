import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOdooDbService } from './db-service.ts';
import { provisionOdoo } from './provision.ts';
import { copyTemplate, defaultSnapshotDir, ensureTemplate, snapshotKey } from './snapshot.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo } from './test/fake-odoo.ts';
import { createTimedFetch } from './timed-fetch.ts';

const servers: FakeOdoo[] = [];
let dir: string | undefined;
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

async function freshServer(): Promise<FakeOdoo> {
  const server = await startFakeOdoo();
  servers.push(server);
  return server;
}

function templateOptions(server: FakeOdoo, cacheFile: string | undefined) {
  const dbService = createOdooDbService({ url: server.url, masterPassword: 'admin', fetch: createTimedFetch(5_000) });
  const provision = async (db: string) => {
    await provisionOdoo({ connection: { url: server.url, db, login: 'admin', password: 'admin' }, masterPassword: 'admin', bootstrap: fakeBootstrap });
  };
  return { dbService, template: 'faultline_template', provision, cacheFile };
}

describe('template snapshot', () => {
  it('provisions the template once, then restores it from the dump in a new server', async () => {
    dir = await mkdtemp(join(tmpdir(), 'faultline-snapshot-'));
    const cacheFile = join(dir, 'odoo17.zip.b64');

    const first = await freshServer();
    expect(await ensureTemplate(templateOptions(first, cacheFile))).toBe('provisioned');
    expect(first.calls).toContain('ir.module.module.button_immediate_install');
    expect(await readdir(dir)).toEqual(['odoo17.zip.b64']);

    // New containers: the database is gone, the dump on disk is not.
    const second = await freshServer();
    expect(await ensureTemplate(templateOptions(second, cacheFile))).toBe('restored');
    expect(second.calls).toContain('db.restore');
    expect(second.calls).not.toContain('db.create_database');
    expect(second.calls).not.toContain('ir.module.module.button_immediate_install');
    expect(second.rows('faultline_template', 'product.product')).toHaveLength(6);
  });

  it('reuses a template that is already in the server', async () => {
    const server = await freshServer();
    const options = templateOptions(server, undefined);
    await ensureTemplate(options);
    server.calls.length = 0;
    expect(await ensureTemplate(options)).toBe('present');
    expect(server.calls).toEqual(['db.db_exist']);
  });

  it('gives each suite a fresh copy, leaving the template untouched', async () => {
    const server = await freshServer();
    const options = templateOptions(server, undefined);
    await ensureTemplate(options);
    await copyTemplate(options.dbService, 'faultline_template', 'faultline');
    server.rows('faultline', 'product.product').push({ id: 999, default_code: 'RUN-LEFTOVER' });
    await copyTemplate(options.dbService, 'faultline_template', 'faultline');
    expect(server.rows('faultline', 'product.product').map((p) => p['default_code'])).not.toContain('RUN-LEFTOVER');
    expect(server.rows('faultline_template', 'product.product')).toHaveLength(6);
  });

  it('refuses to hand out the template itself as the working database', async () => {
    const server = await freshServer();
    await expect(copyTemplate(templateOptions(server, undefined).dbService, 'faultline_template', 'faultline_template')).rejects.toThrow(
      /cannot be the template/,
    );
  });
});

describe('snapshotKey', () => {
  it('changes when an image or the module list changes, not with key order', () => {
    const base = snapshotKey({ odoo: 'odoo:17.0-20241125', modules: ['sale_management', 'stock', 'account'] });
    expect(snapshotKey({ modules: ['sale_management', 'stock', 'account'], odoo: 'odoo:17.0-20241125' })).toBe(base);
    expect(snapshotKey({ odoo: 'odoo:17.0-20250101', modules: ['sale_management', 'stock', 'account'] })).not.toBe(base);
    expect(snapshotKey({ odoo: 'odoo:17.0-20241125', modules: ['sale_management', 'stock'] })).not.toBe(base);
  });

  it('keeps dumps under the user cache folder', () => {
    expect(defaultSnapshotDir({ XDG_CACHE_HOME: '/c' })).toBe('/c/faultline/odoo-snapshots');
  });
});
