import { describe, expect, it } from 'vitest';
import { createOdooEmulator, PEER_HEADER } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { MAX_TRACKED_SOURCES } from '../service/auth.ts';
import { MAX_SESSIONS } from '../transport/web-session.ts';
import { testContext } from './context.ts';
import { kw, xmlrpc } from './rpc.ts';

type Emulator = ReturnType<typeof createOdooEmulator>;

function emulator(options: Record<string, unknown> = {}) {
  const context = testContext();
  return { context, odoo: createOdooEmulator(context, { modules: [baseModule], ...options }) };
}

async function webLogin(
  odoo: Emulator,
  password: string,
  headers: Record<string, string> = {},
): Promise<{ cookie: string | undefined; body: Record<string, any> }> {
  const response = await odoo.handle(
    new Request('http://odoo.test/web/session/authenticate', {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { db: 'odoo', login: 'sally', password } }),
      headers: { 'content-type': 'application/json', ...headers },
    }),
  );
  return { cookie: response.headers.get('set-cookie')?.split(';')[0], body: (await response.json()) as Record<string, any> };
}

async function callKw(odoo: Emulator, cookie: string): Promise<Record<string, any>> {
  const response = await odoo.handle(
    new Request('http://odoo.test/web/dataset/call_kw', {
      method: 'POST',
      body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 2, params: { model: 'res.users', method: 'search_count', args: [[]], kwargs: {} } }),
      headers: { 'content-type': 'application/json', cookie },
    }),
  );
  return (await response.json()) as Record<string, any>;
}

describe('web session ids', () => {
  it('differ between two emulators started with the same seed', async () => {
    const a = emulator().odoo;
    const b = emulator().odoo;
    a.createUser({ login: 'sally', password: 'pw' });
    b.createUser({ login: 'sally', password: 'pw' });
    const first = (await webLogin(a, 'pw')).cookie;
    const second = (await webLogin(b, 'pw')).cookie;
    expect(first).toMatch(/^session_id=[0-9a-f]{40}$/);
    expect(second).toMatch(/^session_id=[0-9a-f]{40}$/);
    expect(first).not.toBe(second);
  });

  it('end when the password changes', async () => {
    const { odoo } = emulator();
    const uid = odoo.createUser({ login: 'sally', password: 'pw' });
    const { cookie } = await webLogin(odoo, 'pw');
    expect((await callKw(odoo, cookie!)).result).toEqual(expect.any(Number));
    await kw(odoo, 'res.users', 'write', [[uid], { password: 'new-pw' }]);
    expect((await callKw(odoo, cookie!)).error).toMatchObject({ code: 100, message: 'Odoo Session Expired' });
  });

  it('end when the user is archived, and stay ended after unarchiving', async () => {
    const { odoo } = emulator();
    const uid = odoo.createUser({ login: 'sally', password: 'pw' });
    const { cookie } = await webLogin(odoo, 'pw');
    await kw(odoo, 'res.users', 'write', [[uid], { active: false }]);
    expect((await callKw(odoo, cookie!)).error).toMatchObject({ code: 100 });
    await kw(odoo, 'res.users', 'write', [[uid], { active: true }]);
    expect((await callKw(odoo, cookie!)).error).toMatchObject({ code: 100 });
  });

  it('are kept up to a bound, oldest forgotten first', async () => {
    const { odoo } = emulator({ loginCooldown: { failures: 0, durationMs: 0 } });
    odoo.createUser({ login: 'sally', password: 'pw' });
    const first = (await webLogin(odoo, 'pw')).cookie!;
    for (let i = 0; i < MAX_SESSIONS; i++) await webLogin(odoo, 'pw');
    expect((await callKw(odoo, first)).error).toMatchObject({ code: 100 });
  }, 20_000);
});

describe('the web login cooldown', () => {
  it('refuses even the right password from the same peer after ten failures, whatever X-Forwarded-For says', async () => {
    const { odoo, context } = emulator();
    odoo.createUser({ login: 'sally', password: 'pw' });
    const peer = { [PEER_HEADER]: '203.0.113.7' };
    for (let i = 0; i < 10; i++) await webLogin(odoo, 'bad', peer);
    const refused = await webLogin(odoo, 'pw', { ...peer, 'x-forwarded-for': '10.0.0.9', 'x-forwarded-host': 'shop.example' });
    expect(refused.body.error.data).toMatchObject({
      name: 'odoo.exceptions.AccessDenied',
      message: 'Too many login failures, please wait a bit before trying again.',
    });
    expect((await webLogin(odoo, 'pw', { [PEER_HEADER]: '203.0.113.8' })).body.result.uid).toEqual(expect.any(Number));
    context.scheduler.advanceTo(context.clock.now() + 61_000);
    expect((await webLogin(odoo, 'pw', peer)).body.result.uid).toEqual(expect.any(Number));
  });

  it('keys on the forwarded address with proxy mode on and X-Forwarded-Host present, as Odoo behind a proxy', async () => {
    const { odoo } = emulator({ proxyMode: true });
    odoo.createUser({ login: 'sally', password: 'pw' });
    const viaProxy = (client: string) => ({ [PEER_HEADER]: '10.0.0.1', 'x-forwarded-host': 'shop.example', 'x-forwarded-for': `spoofed, ${client}` });
    for (let i = 0; i < 10; i++) await webLogin(odoo, 'bad', viaProxy('198.51.100.1'));
    expect((await webLogin(odoo, 'pw', viaProxy('198.51.100.1'))).body.error).toBeDefined();
    expect((await webLogin(odoo, 'pw', viaProxy('198.51.100.2'))).body.result.uid).toEqual(expect.any(Number));
  });

  it('remembers a bounded number of sources', async () => {
    const { odoo } = emulator();
    odoo.createUser({ login: 'sally', password: 'pw' });
    for (let i = 0; i < MAX_TRACKED_SOURCES + 50; i++) await webLogin(odoo, 'bad', { [PEER_HEADER]: `10.${i >> 16}.${(i >> 8) & 255}.${i & 255}` });
    expect(odoo.server.auth().trackedSources).toBe(MAX_TRACKED_SOURCES);
  }, 20_000);
});

describe('the RPC login cooldown (option rpcLoginCooldown, off in Odoo 17)', () => {
  it('throttles execute_kw after ten failures from one peer, right password included', async () => {
    const { odoo } = emulator({ rpcLoginCooldown: true });
    const peer = { [PEER_HEADER]: '203.0.113.7' };
    for (let i = 0; i < 10; i++) await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'bad', 'res.users', 'search_count', [[]]], peer);
    const refused = await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.users', 'search_count', [[]]], peer);
    expect(refused).toMatchObject({ kind: 'fault', faultCode: 3, faultString: 'Too many login failures, please wait a bit before trying again.' });
    expect(await xmlrpc(odoo, 'common', 'authenticate', ['odoo', 'admin', 'admin', {}], peer)).toEqual({ kind: 'value', value: false });
    expect(await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.users', 'search_count', [[]]], { [PEER_HEADER]: '203.0.113.8' })).toMatchObject(
      { kind: 'value' },
    );
  });

  it('is off by default, like Odoo 17 over RPC', async () => {
    const { odoo } = emulator();
    for (let i = 0; i < 12; i++) await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'bad', 'res.users', 'search_count', [[]]]);
    expect(await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.users', 'search_count', [[]]])).toMatchObject({ kind: 'value' });
  });
});
