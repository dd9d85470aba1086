import { describe, expect, it } from 'vitest';
import { NetworkError } from '../../core/system.ts';
import { createOdooClient } from '../client.ts';
import { INTEGRATION_USER } from '../../contracts/identities.ts';
import { createEmulatedTarget } from './emulated.ts';
import { provisionOdoo } from './provision.ts';
import { createTimedFetch } from './timed-fetch.ts';

describe('emulated target', () => {
  it('serves the emulator on loopback, provisioned by the shared bootstrap', async () => {
    const target = createEmulatedTarget({ db: 'faultline' });
    const connection = await target.start();
    try {
      expect(connection).toMatchObject({ db: 'faultline', login: 'admin', password: 'admin' });
      expect(connection.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const fetch = createTimedFetch(10_000);
      const admin = createOdooClient({ ...connection, fetch });
      // The catalogue's six products and the rounding-difference product.
      expect(await admin.searchCount('product.product', [['default_code', '=like', 'FL-%']])).toBe(7);
      // The middleware's own login works: the bootstrap made the integration user.
      const middleware = createOdooClient({ ...connection, login: INTEGRATION_USER.login, password: INTEGRATION_USER.password, fetch });
      expect(await middleware.authenticate()).toBeGreaterThan(0);
      // The same path run again changes nothing.
      const again = await provisionOdoo({ connection, masterPassword: 'admin', fetch });
      expect(again).toMatchObject({ createdDatabase: false, installedModules: [], bootstrap: { changes: [] } });
    } finally {
      await target.stop();
    }
    // Stopped: nothing answers any more (refused, or reset on a pooled keep-alive socket).
    await expect(createTimedFetch(2_000)(`${connection.url}/web/health`)).rejects.toBeInstanceOf(NetworkError);
  });
});
