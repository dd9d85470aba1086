import { afterEach, describe, expect, it } from 'vitest';
import { ComposeStackNotReadyError, composeSettings, createComposeTarget, provisionComposeOdoo } from './compose.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo } from './test/fake-odoo.ts';

let server: FakeOdoo | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('compose target', () => {
  it('defaults to the stack of docker-compose.yml on loopback', () => {
    expect(composeSettings({ env: {} })).toEqual({ url: 'http://127.0.0.1:8069', db: 'faultline', login: 'admin', password: 'admin', masterPassword: 'admin' });
  });

  it('takes options over ODOO_* variables over defaults', () => {
    const env = { ODOO_URL: 'http://127.0.0.1:18069/', ODOO_DB: 'faultline_env', ODOO_PASSWORD: 'env-pw' };
    expect(composeSettings({ env, db: 'faultline_flag' })).toMatchObject({
      url: 'http://127.0.0.1:18069',
      db: 'faultline_flag',
      password: 'env-pw',
      login: 'admin',
    });
  });

  it('says to run docker compose up when no Odoo answers', async () => {
    server = await startFakeOdoo();
    const url = server.url;
    await server.close();
    server = undefined;
    const start = createComposeTarget({ env: {}, url }).start();
    await expect(start).rejects.toThrow(ComposeStackNotReadyError);
    await expect(start).rejects.toThrow(/No Odoo answers at http:\/\/127\.0\.0\.1:\d+[\s\S]*docker compose up -d/);
  });

  it('points at the init service when the database is not there yet', async () => {
    server = await startFakeOdoo();
    await expect(createComposeTarget({ env: {}, url: server.url }).start()).rejects.toThrow(
      /database "faultline" does not exist yet[\s\S]*docker compose logs -f odoo-init/,
    );
  });

  it('asks for provisioning when the master data is missing', async () => {
    server = await startFakeOdoo({ databases: ['faultline'] });
    await expect(createComposeTarget({ env: {}, url: server.url }).start()).rejects.toThrow(/0 of 6 products[\s\S]*docker compose run --rm odoo-init/);
  });

  it('runs in a copy of the provisioned database and drops only the copy on stop', async () => {
    server = await startFakeOdoo();
    const env = { ODOO_URL: server.url };
    await provisionComposeOdoo({ env, bootstrap: fakeBootstrap, waitMs: 5_000 });
    const target = createComposeTarget({ env });
    expect(target.kind).toBe('compose');
    const connection = await target.start();
    expect(connection).toMatchObject({ url: server.url, login: 'admin', password: 'admin' });
    expect(connection.db).toMatch(/^faultline-run-/);
    expect(server.rows(connection.db, 'product.product')).toHaveLength(6);
    server.calls.length = 0;
    await target.stop();
    expect(server.calls).toEqual(['db.drop']);
    expect([...server.databases.keys()]).toEqual(['faultline']);
  });
});
