import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PyFloat } from './python-float.ts';
import { decodeMethodCall, decodeMethodResponse, encodeFault, encodeMethodCall, encodeMethodResponse, XmlRpcMarshalError, XmlRpcParseError } from './xmlrpc.ts';

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as {
  serializeMethodCall(method: string, params: unknown[]): string;
  serializeMethodResponse(value: unknown): string;
};
type Deserializer = {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, callback: (error: unknown, value?: unknown) => void): void;
  deserializeMethodCall(stream: NodeJS.ReadableStream, callback: (error: unknown, method?: string, params?: unknown[]) => void): void;
};
const DeserializerClass = require('xmlrpc/lib/deserializer.js') as new (encoding?: string) => Deserializer;

/** The `xmlrpc` package, the reference decoder. */
function referenceResponse(xml: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new DeserializerClass('utf8').deserializeMethodResponse(stream, (error, value) => (error ? reject(error) : resolve(value)));
    stream.end(xml);
  });
}

function referenceCall(xml: string): Promise<{ method: string; params: unknown[] }> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new DeserializerClass('utf8').deserializeMethodCall(stream, (error, method, params) =>
      error ? reject(error) : resolve({ method: method!, params: params! }),
    );
    stream.end(xml);
  });
}

/** Characters XML 1.0 can carry, minus CR (XML parsers turn it into LF) and the control characters Odoo strips. */
const XML_TEXT = /^[\t\n\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const text = fc.string({ unit: 'binary', maxLength: 24 }).filter((s) => XML_TEXT.test(s));
const key = text.filter((s) => s !== '__proto__');
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const double = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Number.isInteger(x));

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    int32,
    double,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  ),
}));

describe('the XML-RPC codec', () => {
  it('writes responses the xmlrpc package reads back as the same values', async () => {
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        const xml = encodeMethodResponse(v, { allowNone: true });
        expect(await referenceResponse(xml)).toEqual(v);
        expect(decodeMethodResponse(xml)).toEqual({ kind: 'value', value: v });
      }),
      { numRuns: 400 },
    );
  });

  it('reads calls written by the xmlrpc package as the package itself reads them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(value, { maxLength: 4 }), async (params) => {
        const xml = serializer.serializeMethodCall('execute_kw', params);
        const reference = await referenceCall(xml);
        expect(decodeMethodCall(xml)).toEqual({ methodName: reference.method, params: reference.params });
        expect(reference.params).toEqual(params);
      }),
      { numRuns: 400 },
    );
  });

  it('round-trips calls through its own encoder and decoder', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), (params) => {
        expect(decodeMethodCall(encodeMethodCall('execute_kw', params, { allowNone: true }))).toEqual({ methodName: 'execute_kw', params });
      }),
    );
  });

  it('writes the same bytes as Python xmlrpc.client.dumps and reads what Python writes', () => {
    const corpus = fc.sample(value, { numRuns: 300, seed: 17 });
    const script = [
      'import json, sys, xmlrpc.client',
      'values = json.load(sys.stdin)',
      'dumped = [xmlrpc.client.dumps((v,), methodresponse=True, allow_none=True) for v in values]',
      'print(json.dumps(dumped))',
    ].join('\n');
    const python = JSON.parse(execFileSync('python3', ['-c', script], { input: JSON.stringify(corpus), encoding: 'utf8', timeout: 30_000 })) as string[];
    corpus.forEach((v, i) => {
      expect(encodeMethodResponse(v, { allowNone: true })).toBe(python[i]);
      expect(decodeMethodResponse(python[i]!)).toEqual({ kind: 'value', value: v });
    });
  });

  it('writes faults as Python does, with the code and the string', () => {
    const xml = encodeFault(2, "Object no.such.model doesn't exist & <more>");
    expect(xml).toBe(
      "<?xml version='1.0'?>\n<methodResponse>\n<fault>\n<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n" +
        "<member>\n<name>faultString</name>\n<value><string>Object no.such.model doesn't exist &amp; &lt;more&gt;</string></value>\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n",
    );
    expect(decodeMethodResponse(xml)).toEqual({ kind: 'fault', faultCode: 2, faultString: "Object no.such.model doesn't exist & <more>" });
  });

  it('keeps 100.0 apart from 100 when asked to', () => {
    const xml = encodeMethodResponse([new PyFloat(100), 100, 2.5]);
    expect(xml).toContain('<double>100.0</double>');
    const decoded = decodeMethodResponse(xml, { doubles: 'pyfloat' });
    expect(decoded).toEqual({ kind: 'value', value: [new PyFloat(100), 100, 2.5] });
  });

  it('refuses None and integers beyond 32 bits the way Python does', () => {
    expect(() => encodeMethodResponse(null)).toThrow(new XmlRpcMarshalError('TypeError', 'cannot marshal None unless allow_none is enabled'));
    expect(() => encodeMethodResponse({ a: [1, undefined] })).toThrow(/cannot marshal None/);
    expect(() => encodeMethodResponse(2 ** 31)).toThrow(/int exceeds XML-RPC limits/);
  });

  it('refuses entity declarations instead of expanding them', () => {
    const bomb =
      `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>` +
      '<methodCall><methodName>version</methodName><params><param><value><string>&b;</string></value></param></params></methodCall>';
    expect(() => decodeMethodCall(bomb)).toThrow(/DOCTYPE and entity declarations are not accepted/);
    expect(() => decodeMethodCall('<methodCall><methodName>x</methodName><params><param><value>&ext;</value></param></params></methodCall>')).toThrow(
      /undefined entity/,
    );
  });

  it('reports malformed XML as a parse error with a position, never hanging', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(), (junk, cut) => {
        const valid = encodeMethodCall('execute_kw', ['db', 2, 'pw', 'res.partner', 'search', [[]]]);
        for (const input of [junk, valid.slice(0, cut % valid.length), valid.slice(0, cut % valid.length) + junk]) {
          try {
            decodeMethodCall(input);
          } catch (error) {
            expect(error).toBeInstanceOf(XmlRpcParseError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses nesting deeper than its limit', () => {
    const deep = `<methodCall><methodName>m</methodName><params><param><value>${'<array><data><value>'.repeat(100)}1${'</value></data></array>'.repeat(100)}</value></param></params></methodCall>`;
    expect(() => decodeMethodCall(deep)).toThrow(/nesting deeper than 64/);
  });

  it('reads the untyped, i4, i8, nil, base64 and comment forms', () => {
    const xml = `<?xml version="1.0"?><!-- hi --><methodCall><methodName>m</methodName><params>
      <param><value>plain &amp; simple</value></param><param><value><i4>-5</i4></value></param>
      <param><value><i8>4294967296</i8></value></param><param><value><nil/></value></param>
      <param><value><base64>aGk=</base64></value></param><param><value><string><![CDATA[<raw>]]></string></value></param>
      <param><value/></param></params></methodCall>`;
    expect(decodeMethodCall(xml).params).toEqual(['plain & simple', -5, 4294967296, null, Buffer.from('hi'), '<raw>', '']);
  });
});
