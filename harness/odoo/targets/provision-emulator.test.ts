import { afterEach, describe, expect, it } from 'vitest';
import { serveOdoo } from './serve-emulator.ts';
import type { ServedOdoo } from './serve-emulator.ts';
import { INTEGRATION_USER } from '../../contracts/identities.ts';
import { createOdooClient } from '../client.ts';
import { provisionOdoo } from './provision.ts';
import { createTimedFetch } from './timed-fetch.ts';

let served: ServedOdoo | undefined;
afterEach(async () => {
  await served?.close();
  served = undefined;
});

const fetch = createTimedFetch(30_000);

describe('provisionOdoo against the served emulator', () => {
  it('creates the database through the db service and bootstraps it over loopback HTTP', async () => {
    served = await serveOdoo({ db: 'seed' });
    const connection = { url: served.url, db: 'faultline', login: 'admin', password: 'admin' };
    // The same module check as against a real Odoo: the emulator lists its apps in ir.module.module.
    const report = await provisionOdoo({ connection, masterPassword: 'admin', fetch });
    expect(report.createdDatabase).toBe(true);
    expect(report.serverVersion).toMatch(/^17\.0/);

    const admin = createOdooClient({ ...connection, fetch });
    const products = await admin.searchRead('product.product', [['default_code', '=like', 'FL-%']], { fields: ['default_code', 'invoice_policy'] });
    expect(products.map((p) => p['default_code']).sort()).toEqual([
      'FL-CONSU-01',
      'FL-CONSU-02',
      'FL-ROUNDING',
      'FL-SERV-01',
      'FL-STOCK-01',
      'FL-STOCK-02',
      'FL-STOCK-03',
    ]);
    expect(new Set(products.map((p) => p['invoice_policy']))).toEqual(new Set(['order', 'delivery']));
    const middleware = createOdooClient({ ...connection, login: INTEGRATION_USER.login, password: INTEGRATION_USER.password, fetch });
    expect(await middleware.authenticate()).toBeGreaterThan(0);

    const again = await provisionOdoo({ connection, masterPassword: 'admin', fetch });
    expect(again).toMatchObject({ createdDatabase: false, bootstrap: { changes: [] } });
  });

  it('explains a wrong master password given to the emulator', async () => {
    served = await serveOdoo({ db: 'seed' });
    await expect(
      provisionOdoo({ connection: { url: served.url, db: 'faultline', login: 'admin', password: 'admin' }, masterPassword: 'wrong', modules: [], fetch }),
    ).rejects.toThrow(/master password is wrong/);
  });
});
