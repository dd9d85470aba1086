import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findFreePort } from '../../engine/live/http/free-port.ts';
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

describe('faultline serve <simulator>', () => {
  it('stops on Ctrl-C while the CRM still has edits and webhook retries scheduled', async () => {
    const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'faultline.js');
    // Nothing listens at the middleware's address, so every webhook fails and waits for its retry.
    const port = String(await findFreePort());
    const child = spawn(process.execPath, [bin, 'serve', 'crm', '--port', port, '--middleware-url', 'http://127.0.0.1:9'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => (chunk.toString().includes('serving crm') ? resolve() : undefined));
      child.on('exit', (code) => reject(new Error(`serve crm exited ${code} before serving`)));
    });
    // Long enough for the reps' first edits and their failed webhooks to schedule more.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    child.kill('SIGINT');
    const timedOut = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000));
    const outcome = await Promise.race([exited, timedOut]);
    if (outcome === 'still running') child.kill('SIGKILL');
    expect(outcome).toBe(0);
  }, 30_000);
});
