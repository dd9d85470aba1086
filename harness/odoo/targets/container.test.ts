import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../world/catalogue.ts';
import { createOdooClient } from '../client.ts';
import { createContainerTarget, templateNameFor } from './container.ts';
import { DockerUnavailableError, checkDocker, checkImages } from './docker-availability.ts';
import { IMAGES } from './images.ts';
import { fakeBootstrap } from './test/fake-bootstrap.ts';
import { createTimedFetch } from './timed-fetch.ts';
import { useOdooContainer } from './use-odoo-container.ts';

const docker = await checkDocker();
// Docker may answer while its registry does not (offline CI, a firewall): then skip, not fail.
const ready = docker.available ? await checkImages([IMAGES.postgres, IMAGES.odoo, IMAGES.toxiproxy]) : docker;
if (!ready.available) console.log(`[container target] skipping the tests that start Odoo 17 in Docker: ${ready.reason}`);

describe('container target without Docker', () => {
  it.skipIf(docker.available)('says Docker is missing and which other targets work', async () => {
    const start = createContainerTarget({ bootstrap: fakeBootstrap, snapshotDir: false }).start();
    await expect(start).rejects.toThrow(DockerUnavailableError);
    await expect(start).rejects.toThrow(/--odoo emulated.*--odoo compose.*--odoo external/);
  });

  it('keeps the template apart from the working database', () => {
    expect(templateNameFor('faultline')).toBe('faultline_template');
  });
});

describe.skipIf(!ready.available)('container target with Docker', () => {
  // The real bootstrap (bootstrapOdoo) against the real Odoo: the catalogue plus the rounding-difference product.
  const odoo = useOdooContainer({ live: true });

  it('serves a provisioned Odoo 17 database with the modules installed', async () => {
    const connection = odoo.connection();
    const client = createOdooClient({ ...connection, fetch: createTimedFetch(60_000) });
    expect((await client.version()).server_serie).toBe('17.0');
    const modules = await client.searchRead('ir.module.module', [['name', 'in', ['sale_management', 'stock', 'account']]], { fields: ['name', 'state'] });
    expect(modules.map((m) => m['state'])).toEqual(['installed', 'installed', 'installed']);
    expect(await client.searchCount('product.product', [['default_code', '=like', 'FL-%']])).toBe(CATALOGUE.length + 1);
  });

  it('hands out a fresh copy of the template on request', async () => {
    const started = odoo.target.started!;
    const copy = await started.freshDatabase('faultline_copy');
    const client = createOdooClient({ ...copy, fetch: createTimedFetch(60_000) });
    expect(await client.searchCount('product.product', [['default_code', '=like', 'FL-%']])).toBe(CATALOGUE.length + 1);
  });

  it('puts Toxiproxy in front of Odoo in live mode', async () => {
    const proxy = odoo.target.started!.toxiproxy!;
    const health = await createTimedFetch(10_000)(`${proxy.odooUrl}/web/health`);
    expect(health.status).toBe(200);
  });
});
