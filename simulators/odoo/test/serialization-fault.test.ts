import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { decodeMethodResponse, encodeMethodCall } from '../../../harness/wire/xmlrpc.ts';
import { testContext } from './context.ts';
import { jsonrpc, kw } from './rpc.ts';

/** Odoo 17 over PostgreSQL 15: psycopg2 keeps the server's closing newline in str(exc) and exc.args. */
const MESSAGE = 'could not serialize access due to concurrent update\n';

function failingOdoo() {
  const odoo = createOdooEmulator(testContext(), { modules: [baseModule], accessLogLimit: 100 });
  odoo.setFault!('serialization-failure', { kind: 'serialization-failure', probability: 1 });
  return odoo;
}

describe('the injected serialization failure', () => {
  it('ends its XML-RPC traceback as Odoo does once retrying() gives up: the type, the message and a blank line', async () => {
    const odoo = failingOdoo();
    const answer = await kw(odoo, 'res.partner', 'create', [{ name: 'Raced' }]);
    expect(answer.kind).toBe('fault');
    if (answer.kind !== 'fault') return;
    expect(answer.faultCode).toBe(1);
    expect(String(answer.faultString)).toMatch(/^Traceback \(most recent call last\):\n/);
    expect(String(answer.faultString).endsWith(`\npsycopg2.errors.SerializationFailure: ${MESSAGE}\n`)).toBe(true);
  });

  it("carries psycopg2's message and args unchanged over JSON-RPC", async () => {
    const odoo = failingOdoo();
    const answer = await jsonrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.partner', 'create', [{ name: 'Raced' }]]);
    const error = answer.error as { code: number; message: string; data: { name: string; message: string; arguments: unknown[] } };
    expect(error.code).toBe(200);
    expect(error.message).toBe('Odoo Server Error');
    expect(error.data.name).toBe('psycopg2.errors.SerializationFailure');
    expect(error.data.message).toBe(MESSAGE);
    expect(error.data.arguments).toEqual([MESSAGE]);
  });

  it('is the faultCode string on the legacy /xmlrpc/object route (exception_to_unicode joins the args)', async () => {
    const odoo = failingOdoo();
    const body = encodeMethodCall('execute_kw', ['odoo', 2, 'admin', 'res.partner', 'create', [{ name: 'Raced' }]]);
    const response = await odoo.handle(new Request('http://odoo.test/xmlrpc/object', { method: 'POST', body }));
    const answer = decodeMethodResponse(await response.text());
    expect(answer.kind === 'fault' && answer.faultCode).toBe(MESSAGE);
  });

  it('commits nothing, over either protocol', async () => {
    const odoo = failingOdoo();
    const before = odoo.execute('res.partner', 'search_count', [[]]);
    await kw(odoo, 'res.partner', 'create', [{ name: 'Raced' }]);
    await jsonrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.partner', 'create', [{ name: 'Raced' }]]);
    expect(odoo.execute('res.partner', 'search_count', [[]])).toBe(before);
  });

  it("strikes the web client's call_kw writes as well, once the session is valid", async () => {
    const odoo = failingOdoo();
    const post = (path: string, params: Record<string, unknown>, cookie = ''): Promise<Response> =>
      odoo.handle(
        new Request(`http://odoo.test${path}`, {
          method: 'POST',
          body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 3, params }),
          headers: { 'content-type': 'application/json', cookie },
        }),
      );
    const create = { model: 'res.partner', method: 'create', args: [{ name: 'Raced' }], kwargs: {} };
    const expired = (await (await post('/web/dataset/call_kw', create)).json()) as { error: { code: number } };
    expect(expired.error.code).toBe(100);
    const login = await post('/web/session/authenticate', { db: 'odoo', login: 'admin', password: 'admin' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const struck = (await (await post('/web/dataset/call_kw', create, cookie)).json()) as { error: { data: { name: string; message: string } } };
    expect(struck.error.data).toMatchObject({ name: 'psycopg2.errors.SerializationFailure', message: MESSAGE });
    const read = (await (await post('/web/dataset/call_kw', { ...create, method: 'search_count', args: [[]] }, cookie)).json()) as { result: unknown };
    expect(typeof read.result).toBe('number');
  });

  it('leaves reads alone', async () => {
    const odoo = failingOdoo();
    const answer = await jsonrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.partner', 'search_count', [[]]]);
    expect(typeof answer.result).toBe('number');
  });
});
