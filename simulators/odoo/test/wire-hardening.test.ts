import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { parsePythonJson } from '../transport/python-json.ts';
import { decodeMethodResponse } from '../../../harness/wire/xmlrpc.ts';
import { testContext } from './context.ts';
import { kw } from './rpc.ts';

type Emulator = ReturnType<typeof createOdooEmulator>;

function emulator(options: Record<string, unknown> = {}): Emulator {
  return createOdooEmulator(testContext(), options);
}

/** A raw JSON-RPC call; `args` is JSON text, so literals JavaScript cannot write (1e400, huge ints) reach the wire. */
async function rawJson(odoo: Emulator, args: string, path = '/jsonrpc'): Promise<{ status: number; text: string; body: Record<string, any> }> {
  // A whole body when it is an object, else the execute_kw arguments.
  const body = args.startsWith('{') ? args : `{"jsonrpc":"2.0","method":"call","id":1,"params":{"service":"object","method":"execute_kw","args":${args}}}`;
  const response = await odoo.handle(new Request(`http://odoo.test${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
  const text = await response.text();
  return { status: response.status, text, body: parsePythonJson(text) as Record<string, any> };
}

const XML_HEAD =
  '<params><param><value><string>odoo</string></value></param><param><value><int>2</int></value></param><param><value><string>admin</string></value></param>';

async function rawXml(odoo: Emulator, bytes: Uint8Array<ArrayBuffer> | string): Promise<ReturnType<typeof decodeMethodResponse>> {
  const response = await odoo.handle(new Request('http://odoo.test/xmlrpc/2/object', { method: 'POST', body: bytes }));
  expect(response.status).toBe(200);
  return decodeMethodResponse(await response.text());
}

function lastLine(text: string): string {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  return lines[lines.length - 1]!;
}

describe('non-finite numbers at the emulator', () => {
  it("are refused with Odoo's float_round error, and nothing is stored", async () => {
    const odoo = emulator();
    const before = odoo.execute('res.partner', 'search_count', [[]]);
    const answer = await rawJson(odoo, '["odoo",2,"admin","product.product","create",[{"name":"inf","list_price":1e400}]]');
    expect(answer.body.error.data).toMatchObject({ name: 'builtins.OverflowError', message: 'cannot convert float infinity to integer' });
    expect(odoo.execute('product.product', 'search_count', [[['name', '=', 'inf']]])).toBe(0);
    expect(odoo.execute('res.partner', 'search_count', [[]])).toBe(before);
  });

  it('refuses a total that overflows from two finite amounts and keeps every later listing parseable', async () => {
    const odoo = emulator();
    const partner = odoo.execute('res.partner', 'create', [{ name: 'P' }]);
    const product = odoo.execute('product.product', 'create', [{ name: 'X', list_price: 1 }]);
    const created = await rawJson(
      odoo,
      `["odoo",2,"admin","sale.order","create",[{"partner_id":${partner},"order_line":[[0,0,{"product_id":${product},"product_uom_qty":1e300,"price_unit":1e300}]]}]]`,
    );
    expect(created.body.error.data.name).toBe('builtins.OverflowError');
    const listing = await rawJson(odoo, '["odoo",2,"admin","sale.order","search_read",[[]],{"fields":["amount_total"]}]');
    expect(listing.text).not.toMatch(/Infinity|NaN/);
    expect(listing.body.result).toEqual([]);
  });
});

describe('integers beyond 2^53', () => {
  it('fault over JSON-RPC instead of being rounded', async () => {
    const odoo = emulator();
    const answer = await rawJson(odoo, '["odoo",2,"admin","res.partner","create",[{"name":"big","color":9007199254740993}]]');
    expect(answer.body.error.data).toMatchObject({ name: 'psycopg2.errors.NumericValueOutOfRange', message: 'integer out of range' });
    expect(odoo.execute('res.partner', 'search_count', [[['name', '=', 'big']]])).toBe(0);
  });

  it('fault over XML-RPC instead of being rounded', async () => {
    const odoo = emulator();
    const body = `<?xml version='1.0'?><methodCall><methodName>execute_kw</methodName>${XML_HEAD}<param><value><string>res.partner</string></value></param><param><value><string>search_count</string></value></param><param><value><array><data><value><array><data><value><array><data><value><string>id</string></value><value><string>=</string></value><value><int>123456789012345678901234567890</int></value></data></array></value></data></array></value></data></array></value></param></params></methodCall>`;
    const answer = await rawXml(odoo, body);
    expect(answer.kind).toBe('fault');
    expect(lastLine(String((answer as { faultString: string }).faultString))).toBe('psycopg2.errors.NumericValueOutOfRange: integer out of range');
  });

  it('are echoed as the JSON-RPC id unchanged', async () => {
    const answer = await rawJson(
      emulator(),
      '{"jsonrpc":"2.0","method":"call","id":123456789012345678901,"params":{"service":"common","method":"version","args":[]}}',
      '/jsonrpc',
    );
    expect(answer.text.startsWith('{"jsonrpc": "2.0", "id": 123456789012345678901, "result"')).toBe(true);
  });
});

describe('a JSON-RPC body nested 5,000 deep', () => {
  it("answers Odoo's RecursionError with HTTP 200, not a 500", async () => {
    const odoo = emulator();
    const deep = `${'['.repeat(5000)}${']'.repeat(5000)}`;
    for (const path of ['/jsonrpc', '/web/session/authenticate']) {
      const answer = await rawJson(odoo, `{"jsonrpc":"2.0","method":"call","id":${deep},"params":{"service":"common","method":"version","args":[]}}`, path);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: null, error: { data: { name: 'builtins.RecursionError' } } });
    }
  });

  it('answers one 900 deep as usual', async () => {
    const deep = `${'['.repeat(900)}${']'.repeat(900)}`;
    const answer = await rawJson(
      emulator(),
      `{"jsonrpc":"2.0","method":"call","id":${deep},"params":{"service":"common","method":"version","args":[]}}`,
      '/jsonrpc',
    );
    expect(answer.body.result.server_serie).toBe('17.0');
  });
});

describe('execute_kw given a list for the model or the method', () => {
  it('faults as Odoo does instead of coercing it to a string', async () => {
    const odoo = emulator();
    const model = await kw(odoo, ['res.partner'] as never, 'search_count', [[]]);
    expect(model.kind === 'fault' && lastLine(String(model.faultString))).toBe("TypeError: unhashable type: 'list'");
    const method = await kw(odoo, 'res.partner', ['search_count'] as never, [[]]);
    expect(method.kind === 'fault' && lastLine(String(method.faultString))).toBe("TypeError: expected string or bytes-like object, got 'list'");
    const number = await kw(odoo, 5 as never, 'search_count', [[]]);
    expect(number).toMatchObject({ kind: 'fault', faultCode: 2, faultString: "Object 5 doesn't exist" });
  });
});

describe('XML-RPC body encodings', () => {
  const call = (encoding: string | undefined, name: Uint8Array): Uint8Array<ArrayBuffer> => {
    const head = new TextEncoder().encode(
      `<?xml version='1.0'${encoding === undefined ? '' : ` encoding='${encoding}'`}?><methodCall><methodName>execute_kw</methodName>${XML_HEAD}<param><value><string>res.partner</string></value></param><param><value><string>create</string></value></param><param><value><array><data><value><struct><member><name>name</name><value><string>`,
    );
    const tail = new TextEncoder().encode('</string></value></member></struct></value></data></array></value></param></params></methodCall>');
    return new Uint8Array([...head, ...name, ...tail]);
  };

  it("refuses invalid UTF-8 with expat's error and stores nothing", async () => {
    const odoo = emulator();
    const before = odoo.execute('res.partner', 'search_count', [[]]);
    const answer = await rawXml(odoo, call(undefined, new Uint8Array([0x42, 0xff, 0xfe])));
    expect(answer.kind === 'fault' && lastLine(String(answer.faultString))).toMatch(
      /^xml\.parsers\.expat\.ExpatError: not well-formed \(invalid token\): line 1, column \d+$/,
    );
    expect(odoo.execute('res.partner', 'search_count', [[]])).toBe(before);
  });

  it('decodes a body declared ISO-8859-1 per its declaration', async () => {
    const odoo = emulator();
    const answer = await rawXml(odoo, call('ISO-8859-1', new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x80])));
    expect(answer.kind).toBe('value');
    const id = (answer as { value: number }).value;
    expect(odoo.execute('res.partner', 'read', [[id], ['name']])).toEqual([{ id, name: 'Café \u0080' }]);
  });
});

describe('JSON-RPC body encodings', () => {
  it('read invalid UTF-8 with replacement characters, as a real Odoo 17 does', async () => {
    const odoo = emulator();
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(
        '{"jsonrpc":"2.0","method":"call","id":1,"params":{"service":"object","method":"execute_kw","args":["odoo",2,"admin","res.partner","create",[{"name":"Bad ',
      ),
      0xff,
      ...new TextEncoder().encode('"}]]}}'),
    ]);
    const response = await odoo.handle(
      new Request('http://odoo.test/jsonrpc', { method: 'POST', body: bytes, headers: { 'content-type': 'application/json; charset=ISO-8859-1' } }),
    );
    const id = (parsePythonJson(await response.text()) as { result: number }).result;
    expect(odoo.execute('res.partner', 'read', [[id], ['name']])).toEqual([{ id, name: 'Bad \ufffd' }]);
  });
});
