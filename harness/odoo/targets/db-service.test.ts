import { afterEach, describe, expect, it } from 'vitest';
import { createOdooDbService } from './db-service.ts';
import { startFakeOdoo } from './test/fake-odoo.ts';
import type { FakeOdoo } from './test/fake-odoo.ts';
import { createTimedFetch } from './timed-fetch.ts';

const servers: FakeOdoo[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function serviceFor(options: Parameters<typeof startFakeOdoo>[0]) {
  const server = await startFakeOdoo(options);
  servers.push(server);
  return { server, service: createOdooDbService({ url: server.url, masterPassword: 'admin', fetch: createTimedFetch(5_000) }) };
}

describe('the db service', () => {
  it('accepts a copy whose answer was lost to the copy closing the request’s own connection', async () => {
    const { server, service } = await serviceFor({ databases: ['source'], duplicateAnswersConnectionClosed: 'after-copy' });
    await service.duplicate('source', 'copy');
    expect(server.databases.has('copy')).toBe(true);
    expect(server.calls).toEqual(['db.duplicate_database', 'db.db_exist']);
  });

  it('reports a failed copy when the target does not exist afterwards', async () => {
    const { server, service } = await serviceFor({ databases: ['source'], duplicateAnswersConnectionClosed: 'before-copy' });
    await expect(service.duplicate('source', 'copy')).rejects.toThrow(/SSL connection has been closed/);
    expect(server.databases.has('copy')).toBe(false);
  });

  it('tells the user the master password was refused', async () => {
    const { service } = await serviceFor({ databases: ['source'], masterPassword: 'other' });
    await expect(service.duplicate('source', 'copy')).rejects.toThrow(/master password is wrong/);
  });
});
