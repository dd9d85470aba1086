/**
 * The Odoo emulator under fuzzed input on both transports (XML-RPC and
 * JSON-RPC, plus the web session routes): never a 5xx, never a hang, no
 * change to the database when the call is refused, and bounded memory.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { createOdooEmulator, PEER_HEADER } from '../../simulators/odoo/index.ts';
import { testContext } from '../../simulators/odoo/test/context.ts';
import { parsePythonJson, pythonJson } from '../../simulators/odoo/transport/python-json.ts';
import { MAX_SESSIONS } from '../../simulators/odoo/transport/web-session.ts';
import { MAX_TRACKED_SOURCES } from '../../simulators/odoo/service/auth.ts';
import { decodeMethodResponse, encodeMethodCall } from '../../harness/wire/xmlrpc.ts';
import { answerWithin, FUZZ_RUNS, FUZZ_SEED, junk, rawBodies } from './shared.ts';

const odoo = createOdooEmulator(testContext({ seed: FUZZ_SEED }), { masterPassword: 'fuzz-master-never-generated', accessLogLimit: 200 });
odoo.createUser({ login: 'sally', password: 'sally-pw' });
const heapAtStart = process.memoryUsage().heapUsed;

/** The database as data: every table's rows. Cheap enough for the base data a fuzz run works on. */
function snapshot(): string {
  return odoo.withEnv((env) => {
    const tables: Record<string, unknown> = {};
    for (const name of env.db.registry.models.keys()) {
      if (name === 'faultline.access.log') continue; // refused calls are logged: that is the point of the log
      tables[name] = [...env.db.table(name).rows.values()];
    }
    return JSON.stringify(tables, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value));
  });
}

const services = fc.constantFrom('common', 'object', 'db', 'nope');
const methods = fc.constantFrom('execute_kw', 'execute', 'authenticate', 'login', 'version', 'list', 'drop', 'create_database', 'nope');
const models = fc.oneof(fc.constantFrom('res.partner', 'res.users', 'sale.order', 'product.product', 'nope.model', ''), junk);
const modelMethods = fc.oneof(
  fc.constantFrom('create', 'read', 'write', 'unlink', 'search', 'search_read', 'search_count', 'name_search', 'fields_get', 'copy', '_private'),
  junk,
);

/** An object-service call that is wrong somewhere (bad password, junk arguments) or a call to another service with junk. */
const calls = fc.oneof(
  fc
    .tuple(models, modelMethods, fc.array(junk, { maxLength: 3 }), fc.option(junk), fc.constantFrom('admin', 'wrong', ''))
    .map(([model, method, args, kwargs, password]) => ({
      service: 'object',
      method: 'execute_kw',
      params: ['odoo', 2, password, model, method, args, ...(kwargs === null ? [] : [kwargs])],
    })),
  fc.tuple(services, methods, fc.array(junk, { maxLength: 5 })).map(([service, method, params]) => ({ service, method, params })),
);

async function post(path: string, body: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
  return answerWithin(`POST ${path}`, odoo.handle(new Request(`http://odoo.test${path}`, { method: 'POST', body, headers })));
}

/** Whether an answer refused the call: an XML-RPC fault, a JSON-RPC error, or a 4xx. */
async function refused(response: Response, transport: 'xml' | 'json'): Promise<{ refused: boolean; text: string }> {
  const text = await response.text();
  if (response.status >= 400) return { refused: true, text };
  if (transport === 'xml') return { refused: decodeMethodResponse(text).kind === 'fault', text };
  return { refused: 'error' in (parsePythonJson(text) as object), text };
}

/** Odoo commits, then fails to marshal None over XML-RPC: that fault follows a change on purpose. */
const COMMITTED_THEN_FAULTED = /cannot marshal None/;

const options = { seed: FUZZ_SEED, numRuns: FUZZ_RUNS, endOnFailure: true } as const;

describe('the emulator under fuzzed input', () => {
  it('answers every XML-RPC call without a 5xx, and a refused one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(calls, async ({ service, method, params }) => {
        let body: string;
        try {
          body = encodeMethodCall(method, params, { allowNone: true });
        } catch {
          return; // values XML-RPC cannot carry at all
        }
        const before = snapshot();
        const response = await post(`/xmlrpc/2/${service}`, body);
        expect(response.status).toBeLessThan(500);
        const answer = await refused(response, 'xml');
        if (answer.refused && !COMMITTED_THEN_FAULTED.test(answer.text)) expect(snapshot()).toBe(before);
      }),
      options,
    );
  });

  it('answers every JSON-RPC call without a 5xx or a bare Infinity, and a refused one changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(calls, fc.option(junk), async ({ service, method, params }, id) => {
        const before = snapshot();
        const response = await post('/jsonrpc', pythonJson({ jsonrpc: '2.0', method: 'call', id, params: { service, method, args: params } }), {
          'content-type': 'application/json',
        });
        expect(response.status).toBeLessThan(500);
        const answer = await refused(response, 'json');
        expect(answer.text).not.toMatch(/(?<!")\b(-?Infinity|NaN)\b(?!")/);
        if (answer.refused) expect(snapshot()).toBe(before);
      }),
      options,
    );
  });

  it('answers raw bytes, broken XML and JSON, and deep nesting on every route with a client error at worst', async () => {
    const paths = fc.constantFrom(
      '/xmlrpc/2/object',
      '/xmlrpc/2/common',
      '/xmlrpc/object',
      '/jsonrpc',
      '/web/session/authenticate',
      '/web/dataset/call_kw',
      '/web/webclient/version_info',
      '/%E0%A4%A',
      '/web/session/%',
    );
    await fc.assert(
      fc.asyncProperty(
        paths,
        rawBodies,
        fc.constantFrom('application/json', 'text/xml', 'application/json; charset=ISO-8859-1', 'text/plain'),
        async (path, body, type) => {
          const before = snapshot();
          const response = await post(path, body, { 'content-type': type });
          expect(response.status).toBeLessThan(500);
          await response.arrayBuffer();
          expect(snapshot()).toBe(before);
        },
      ),
      options,
    );
  });

  it('keeps sessions and login failures bounded under a flood of web logins from many peers', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom('sally-pw', 'wrong'), junk, async (peer, password, params) => {
        const body = JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 1, params: { db: 'odoo', login: 'sally', password, junk: params } });
        const response = await post('/web/session/authenticate', body, {
          'content-type': 'application/json',
          [PEER_HEADER]: `10.${peer % 256}.${(peer >> 8) % 256}.${(peer >> 16) % 256}`,
        });
        expect(response.status).toBe(200);
        await response.arrayBuffer();
      }),
      options,
    );
    expect(odoo.server.auth().trackedSources).toBeLessThanOrEqual(MAX_TRACKED_SOURCES);
    expect(MAX_SESSIONS).toBeLessThanOrEqual(10_000);
  });

  afterAll(() => {
    // Everything above keeps at most a bounded log, sessions and failure map: the heap may not run away.
    expect(process.memoryUsage().heapUsed - heapAtStart).toBeLessThan(256 * 1024 * 1024);
  });
});
