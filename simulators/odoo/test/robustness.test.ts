import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { decodeMethodResponse, encodeMethodCall } from '../../../harness/wire/xmlrpc.ts';
import { testContext } from './context.ts';

const odoo = createOdooEmulator(testContext(), { modules: [baseModule], accessLogLimit: 1000 });

/** JSON-like junk, the shapes clients get wrong. */
const junk = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

const models = fc.constantFrom('res.partner', 'product.product', 'res.users', 'faultline.access.log', 'nope.model', '');
const methods = fc.constantFrom(
  'create',
  'read',
  'write',
  'unlink',
  'search',
  'search_read',
  'search_count',
  'fields_get',
  'name_search',
  'default_get',
  'copy',
  '_private',
  'nope',
);

describe('the emulator under hostile input', () => {
  it('answers every XML-RPC call with a value or a fault, whatever the arguments', async () => {
    await fc.assert(
      fc.asyncProperty(models, methods, fc.array(junk, { maxLength: 3 }), fc.option(junk), async (model, method, args, kwargs) => {
        const params: unknown[] = ['odoo', 2, 'admin', model, method, args];
        if (kwargs !== null) params.push(kwargs);
        let body: string;
        try {
          body = encodeMethodCall('execute_kw', params, { allowNone: true });
        } catch {
          return; // values XML-RPC cannot carry at all
        }
        const response = await odoo.handle(new Request('http://odoo.test/xmlrpc/2/object', { method: 'POST', body }));
        expect(response.status).toBe(200);
        const decoded = decodeMethodResponse(await response.text());
        if (decoded.kind === 'fault') {
          expect([1, 2, 3, 4]).toContain(decoded.faultCode);
          expect(String(decoded.faultString)).not.toMatch(/internal emulator error/);
        }
      }),
      { numRuns: 600 },
    );
  });

  it('answers writes of any value to real fields with a value or a clean fault', async () => {
    const names = fc.constantFrom(
      'name',
      'parent_id',
      'child_ids',
      'category_id',
      'active',
      'color',
      'credit_limit',
      'lang',
      'type',
      'create_date',
      'company_id',
      'id',
      'display_name',
    );
    const vals = fc.dictionary(names, junk, { maxKeys: 4 });
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('create', 'write', 'search', 'read'), vals, junk, async (method, values, extra) => {
        const args =
          method === 'create'
            ? [values]
            : method === 'write'
              ? [[3], values]
              : method === 'search'
                ? [[[Object.keys(values)[0] ?? 'name', '=', extra]]]
                : [[3], Object.keys(values)];
        let body: string;
        try {
          body = encodeMethodCall('execute_kw', ['odoo', 2, 'admin', 'res.partner', method, args], { allowNone: true });
        } catch {
          return;
        }
        const response = await odoo.handle(new Request('http://odoo.test/xmlrpc/2/object', { method: 'POST', body }));
        const decoded = decodeMethodResponse(await response.text());
        if (decoded.kind === 'fault') expect(String(decoded.faultString)).not.toMatch(/internal emulator error/);
      }),
      { numRuns: 800 },
    );
  });

  it('answers every JSON-RPC body with JSON, whatever it is', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          junk.map((v) => JSON.stringify(v) ?? 'null'),
        ),
        async (body) => {
          const response = await odoo.handle(
            new Request('http://odoo.test/jsonrpc', { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
          );
          expect(response.status).toBe(200);
          const parsed = JSON.parse(await response.text()) as Record<string, unknown>;
          expect(parsed.jsonrpc).toBe('2.0');
        },
      ),
      { numRuns: 300 },
    );
  });
});
