import { afterEach, describe, expect, it } from 'vitest';
import { ComposeStackNotReadyError } from './compose.ts';
import { provisionOdooTarget, resolveOdooTarget, UnknownOdooTargetError } from './resolve.ts';
import { NonTestDatabaseError } from './test-database.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo } from './test/fake-odoo.ts';

let server: FakeOdoo | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const base = { bootstrap: fakeBootstrap, env: {} };

describe('resolveOdooTarget', () => {
  it.each(['emulated', 'container', 'compose', 'external'] as const)('gives a %s target of that kind', (kind) => {
    const options = kind === 'external' ? { ...base, url: 'http://127.0.0.1:1', db: 'faultline_ci', user: 'admin', password: 'admin' } : base;
    expect(resolveOdooTarget(kind, options).kind).toBe(kind);
  });

  it('names the valid targets when given an unknown one', () => {
    expect(() => resolveOdooTarget('docker', base)).toThrow(UnknownOdooTargetError);
    expect(() => resolveOdooTarget('docker', base)).toThrow(/emulated, container, compose, external/);
  });

  it('maps --odoo-allow-destructive to the external target’s guard', () => {
    const options = { ...base, url: 'http://127.0.0.1:1', db: 'acme', user: 'admin', password: 'admin' };
    expect(() => resolveOdooTarget('external', options)).toThrow(NonTestDatabaseError);
    expect(resolveOdooTarget('external', { ...options, allowDestructive: true }).kind).toBe('external');
  });

  it('passes the CLI’s Odoo flags to the compose target', async () => {
    server = await startFakeOdoo();
    await expect(resolveOdooTarget('compose', { ...base, url: server.url, db: 'faultline_other' }).start()).rejects.toThrow(/database "faultline_other"/);
  });
});

describe('provisionOdooTarget', () => {
  it('provisions the compose stack the way its init service does', async () => {
    server = await startFakeOdoo();
    const report = await provisionOdooTarget('compose', { ...base, url: server.url });
    expect(report?.createdDatabase).toBe(true);
    expect((await resolveOdooTarget('compose', { ...base, url: server.url }).start()).db).toMatch(/^faultline-run-/);
  });

  it('provisions an external Odoo and keeps the master data there', async () => {
    server = await startFakeOdoo({ databases: ['staging'] });
    await provisionOdooTarget('external', { ...base, url: server.url, db: 'staging', user: 'admin', password: 'admin' });
    expect(server.rows('staging', 'product.product')).toHaveLength(6);
  });

  it('says the emulator needs no provisioning', async () => {
    await expect(provisionOdooTarget('emulated', base)).rejects.toThrow(/needs no provisioning/);
  });

  it('fails with what to run when the compose stack is down', async () => {
    server = await startFakeOdoo();
    const url = server.url;
    await server.close();
    server = undefined;
    await expect(resolveOdooTarget('compose', { ...base, url }).start()).rejects.toThrow(ComposeStackNotReadyError);
  });
});
