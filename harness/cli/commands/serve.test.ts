import { describe, expect, it } from 'vitest';
import { serveOdoo } from '../../odoo/targets/serve-emulator.ts';
import { UsageError } from '../../run/errors.ts';
import { odooServeOptions } from './serve.ts';

async function dropDatabase(url: string, master: string, db: string): Promise<string> {
  const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: 'db', method: 'drop', args: [master, db] } });
  const response = await fetch(`${url}/jsonrpc`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
  return response.text();
}

describe('faultline serve odoo --master-password', () => {
  it('guards db.drop with the given password instead of admin', async () => {
    const served = await serveOdoo({ port: 0, ...odooServeOptions({ 'master-password': 's3cret-master' }) });
    try {
      expect(await dropDatabase(served.url, 'admin', served.db)).toContain('odoo.exceptions.AccessDenied');
      expect(served.emulator.server.database(served.db)).toBeDefined();
      expect(await dropDatabase(served.url, 's3cret-master', served.db)).toContain('"result": true');
    } finally {
      await served.close();
    }
  });

  it('refuses an empty master password with the fix', () => {
    expect(() => odooServeOptions({ 'master-password': '' })).toThrow(UsageError);
  });

  it('turns --proxy-mode and --rpc-login-cooldown into the emulator options', () => {
    expect(odooServeOptions({ 'proxy-mode': true, 'rpc-login-cooldown': true }).emulator).toEqual({ proxyMode: true, rpcLoginCooldown: true });
  });
});
