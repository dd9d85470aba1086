import { describe, expect, it } from 'vitest';
import { createOdooClient, OdooError } from '../client.ts';
import { createFakeOdooHandler, fetchTo, FakeOdooFault } from './fake-odoo-server.ts';
import type { RpcCall } from './fake-odoo-server.ts';

function fakeOdoo(calls: RpcCall[] = []) {
  return createFakeOdooHandler((call) => {
    calls.push(call);
    if (call.service === 'common' && call.method === 'version')
      return { server_version: '17.0', server_version_info: [17, 0, 0, 'final', 0, ''], server_serie: '17.0', protocol_version: 1 };
    if (call.service === 'common' && call.method === 'authenticate') return call.args[2] === 'secret' ? 7 : false;
    const [, uid, password, model, method, args, kwargs] = call.args as [string, number, string, string, string, unknown[], Record<string, unknown>];
    if (uid !== 7 || password !== 'secret') throw new FakeOdooFault(3, 'Access Denied');
    if (model === 'sale.order' && method === 'search_read')
      return [{ id: 1, name: 'S00001', client_order_ref: (args[0] as unknown[][])[0]![2], fields: kwargs.fields }];
    if (model === 'sale.order' && method === 'create') return 42;
    if (model === 'sale.order' && method === 'write') return true;
    if (model === 'sale.order' && method === 'search_count') return 3;
    if (model === 'sale.order' && method === 'action_lock') return undefined;
    if (model === 'sale.order' && method === 'unlink')
      throw new FakeOdooFault(2, 'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.');
    throw new FakeOdooFault(1, `Traceback...\nAttributeError: The method '${method}' does not exist on the model '${model}'`);
  });
}

const variants = [
  { transport: 'jsonrpc', codec: 'fast', label: 'JSON-RPC' },
  { transport: 'xmlrpc', codec: 'fast', label: 'XML-RPC (fast codec)' },
  { transport: 'xmlrpc', codec: 'package', label: 'XML-RPC (xmlrpc package codec)' },
] as const;

for (const { transport, codec, label } of variants) {
  describe(`the Odoo client over ${label}`, () => {
    const make = (calls: RpcCall[] = [], password = 'secret') =>
      createOdooClient({
        url: 'http://odoo.test/',
        db: 'faultline',
        login: 'faultline-middleware',
        password,
        transport,
        xmlrpcCodec: codec,
        fetch: fetchTo(fakeOdoo(calls)),
        timeoutMs: 5000,
      });

    it('logs in once and reuses the uid for every call', async () => {
      const calls: RpcCall[] = [];
      const client = make(calls);
      await Promise.all([client.searchCount('sale.order', []), client.searchCount('sale.order', [])]);
      expect(calls.filter((c) => c.method === 'authenticate')).toHaveLength(1);
      expect(client.uid).toBe(7);
    });

    it('sends search_read with its domain and keyword arguments', async () => {
      const client = make();
      const rows = await client.searchRead('sale.order', [['client_order_ref', '=', 'CAP-000001']], { fields: ['name'], limit: 1 });
      expect(rows).toEqual([{ id: 1, name: 'S00001', client_order_ref: 'CAP-000001', fields: ['name'] }]);
    });

    it('returns the id of a created record and true for a write', async () => {
      const client = make();
      expect(await client.create('sale.order', { partner_id: 3 })).toBe(42);
      expect(await client.write('sale.order', [42], { note: 'x' })).toBe(true);
    });

    it('reads the server version without logging in', async () => {
      const calls: RpcCall[] = [];
      const version = await make(calls).version();
      expect(version.server_serie).toBe('17.0');
      expect(calls.map((c) => c.method)).toEqual(['version']);
    });

    it('surfaces a business refusal as an OdooError that says what Odoo said', async () => {
      const error = await make()
        .executeKw('sale.order', 'unlink', [[1]])
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OdooError);
      const odooError = error as OdooError;
      expect(odooError.isUserError).toBe(true);
      expect(odooError.isNoneResult).toBe(false);
      expect(odooError.message).toContain('You must first cancel it');
      if (transport === 'xmlrpc') expect(odooError.faultCode).toBe(2);
      else expect(odooError.exceptionName).toBe('odoo.exceptions.UserError');
    });

    it('flags a None result as isNoneResult, or returns null when the caller accepts None', async () => {
      const client = make();
      const error = (await client.executeKw('sale.order', 'action_lock', [[1]]).catch((e: unknown) => e)) as OdooError;
      expect(error).toBeInstanceOf(OdooError);
      expect(error.isNoneResult).toBe(true);
      expect(await client.executeKw('sale.order', 'action_lock', [[1]], {}, { acceptNone: true })).toBeNull();
    });

    it('says the login was refused when the password is wrong', async () => {
      const error = (await make([], 'wrong')
        .searchCount('sale.order', [])
        .catch((e: unknown) => e)) as OdooError;
      expect(error).toBeInstanceOf(OdooError);
      expect(error.isAccessDenied).toBe(true);
      expect(error.message).toMatch(/refused the login/);
    });

    it('passes the correlation id of the client, and of a single call when given', async () => {
      const calls: RpcCall[] = [];
      const client = make(calls).withCorrelationId('CAP-000007');
      await client.searchCount('sale.order', []);
      await client.searchCount('sale.order', [], { correlationId: 'CAP-000008', attempt: 2 });
      const last = calls.at(-1)!;
      expect(calls.at(-2)!.headers.get('x-correlation-id')).toBe('CAP-000007');
      expect(last.headers.get('x-correlation-id')).toBe('CAP-000008');
      expect(last.headers.get('x-attempt')).toBe('2');
    });

    it('gives every call a timeout', async () => {
      const timeouts: (number | undefined)[] = [];
      const handler = fakeOdoo();
      const client = createOdooClient({
        url: 'http://odoo.test',
        db: 'faultline',
        login: 'faultline-middleware',
        password: 'secret',
        transport,
        xmlrpcCodec: codec,
        timeoutMs: 1234,
        fetch: (input, init) => {
          timeouts.push(init?.timeoutMs);
          return fetchTo(handler)(input, init);
        },
      });
      await client.searchCount('sale.order', [], { timeoutMs: 99 });
      expect(timeouts).toEqual([99, 99]);
      await client.searchCount('sale.order', []);
      expect(timeouts.at(-1)).toBe(1234);
    });
  });
}

describe('the Odoo client on bad input', () => {
  it('refuses a URL that is not http(s) and says what to pass', () => {
    expect(() => createOdooClient({ url: 'odoo:8069', db: 'x', login: 'a', password: 'b', fetch: fetch })).toThrow(/http\(s\) base URL/);
  });

  it('refuses an unknown transport', () => {
    expect(() => createOdooClient({ url: 'http://o', db: 'x', login: 'a', password: 'b', fetch: fetch, transport: 'soap' as never })).toThrow(
      /"jsonrpc" or "xmlrpc"/,
    );
  });

  it('reports a non-RPC answer as a protocol error naming the status', async () => {
    const client = createOdooClient({
      url: 'http://o',
      db: 'x',
      login: 'a',
      password: 'b',
      fetch: async () => new Response('<html>Bad Gateway</html>', { status: 502 }),
    });
    const error = (await client.version().catch((e: unknown) => e)) as OdooError;
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('HTTP 502');
  });
});
