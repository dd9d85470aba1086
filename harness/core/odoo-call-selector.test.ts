import { describe, expect, it } from 'vitest';
import { createOdooClient } from '../odoo/client.ts';
import type { OdooTransport } from '../odoo/client.ts';
import { XMLRPC_CODECS } from '../odoo/xmlrpc-codec.ts';
import { SimWorld } from '../engine/sim/world.ts';
import { createOdooEmulator } from '../../simulators/odoo/index.ts';
import { scenarioProblems } from '../scenario/validate.ts';
import { faultLabel, liveSelectorProblem, matchesLink, odooCallOf } from './faults.ts';
import type { FaultSpec } from './faults.ts';
import type { SystemContext } from './system.ts';

const jsonRpc = (args: unknown[], service = 'object', method = 'execute_kw') =>
  JSON.stringify({ jsonrpc: '2.0', method: 'call', params: { service, method, args }, id: 1 });

describe('the Odoo call a request body names', () => {
  it('is read from JSON-RPC and from both XML-RPC encodings of execute_kw', () => {
    const args = ['db', 2, 'pw', 'sale.order', 'action_confirm', [[5]], {}];
    expect(odooCallOf(jsonRpc(args))).toEqual({ model: 'sale.order', method: 'action_confirm' });
    for (const codec of Object.values(XMLRPC_CODECS))
      expect(odooCallOf(codec.encodeCall('execute_kw', args))).toEqual({ model: 'sale.order', method: 'action_confirm' });
  });

  it('is none for a login, a version query or a body that is no call', () => {
    expect(odooCallOf(jsonRpc(['db', 'admin', 'pw', {}], 'common', 'authenticate'))).toBeUndefined();
    expect(odooCallOf(XMLRPC_CODECS.fast.encodeCall('version', []))).toBeUndefined();
    expect(odooCallOf('not json')).toBeUndefined();
    expect(matchesLink({ to: 'odoo', odoo: { method: 'create' } }, 'middleware', 'odoo', '/jsonrpc', undefined)).toBe(false);
  });

  it('matches by model, by method, or both', () => {
    const body = jsonRpc(['db', 2, 'pw', 'account.move', 'action_post', [[9]]]);
    expect(matchesLink({ to: 'odoo', odoo: { method: 'action_post' } }, 'middleware', 'odoo', '/jsonrpc', body)).toBe(true);
    expect(matchesLink({ to: 'odoo', odoo: { model: 'account.move' } }, 'middleware', 'odoo', '/jsonrpc', body)).toBe(true);
    expect(matchesLink({ to: 'odoo', odoo: { model: 'sale.order', method: 'action_post' } }, 'middleware', 'odoo', '/jsonrpc', body)).toBe(false);
  });

  it('names the call in the fault label', () => {
    expect(faultLabel({ link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'action_confirm' } }, kind: 'drop' })).toBe(
      'drop@middleware->odoo[sale.order.action_confirm]',
    );
  });
});

describe('a fault aimed at one Odoo method in a simulated run', () => {
  const run = async (transport: OdooTransport) => {
    const fault: FaultSpec = { link: { from: 'middleware', to: 'odoo', odoo: { model: 'res.partner', method: 'create' } }, kind: 'http-error', status: 503 };
    let caller!: SystemContext;
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      faults: [fault],
      systems: [
        { name: 'odoo', factory: createOdooEmulator },
        {
          name: 'middleware',
          factory: (context) => {
            caller = context;
            return { handle: async () => new Response(null, { status: 204 }) };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    const odoo = createOdooClient({
      url: world.urls.odoo!,
      db: 'odoo',
      login: 'admin',
      password: 'admin',
      transport,
      fetch: (input, init) => caller.fetch(input, init),
      timeoutMs: 5_000,
    });
    const read = await world.drive(odoo.executeKw<number>('res.partner', 'search_count', [[]]));
    const create = await world.drive(
      odoo.executeKw('res.partner', 'create', [{ name: 'Ada' }]).then(
        () => 'created',
        (error: Error) => error.message,
      ),
    );
    return { read, create };
  };

  it.each(['jsonrpc', 'xmlrpc'] as const)('strikes that method and lets the others through (%s)', async (transport) => {
    const { read, create } = await run(transport);
    expect(typeof read).toBe('number');
    expect(create).toMatch(/503/);
  });
});

const scenario = (link: Record<string, unknown>) => ({
  name: 's',
  description: 'one fault on one selected call',
  orders: { count: 1 },
  faults: [{ link, kind: 'drop' }],
});

describe('a scenario naming an Odoo call', () => {
  it('is valid on a link to Odoo', () => {
    expect(scenarioProblems(scenario({ from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'action_confirm' } }))).toEqual([]);
  });

  it('is refused on a link elsewhere, or with a misspelt key, saying what to write', () => {
    expect(
      scenarioProblems(scenario({ from: 'middleware', to: 'logistics', odoo: { method: 'create' } }))
        .map((p) => p.message)
        .join(),
    ).toMatch(/needs to: "odoo" \(it goes to logistics\)/);
    expect(scenarioProblems(scenario({ to: 'odoo', odoo: { methd: 'create' } })).map((p) => p.path)).toContain('faults[0].link.odoo.methd');
  });
});

describe('live mode', () => {
  it('refuses an Odoo call selector on a fault Toxiproxy applies, and says what to do', () => {
    const network = new Set(['latency', 'response-lost']);
    const problem = liveSelectorProblem([{ link: { to: 'odoo', odoo: { method: 'action_confirm' } }, kind: 'response-lost' }], network);
    expect(problem).toMatch(/Toxiproxy.*cannot read which call or method/);
    expect(problem).toMatch(/run in sim mode/);
    expect(liveSelectorProblem([{ link: { to: 'odoo', odoo: { method: 'action_confirm' } }, kind: 'drop' }], network)).toBeUndefined();
  });

  it('refuses an HTTP method selector on a fault Toxiproxy applies, and keeps it on one the sender applies', () => {
    const network = new Set(['latency', 'response-lost']);
    const booking = { from: 'middleware', to: 'logistics', path: '/shipments', httpMethod: 'POST' } as const;
    expect(liveSelectorProblem([{ link: booking, kind: 'response-lost' }], network)).toMatch(/one HTTP method \(link.httpMethod\)/);
    expect(liveSelectorProblem([{ link: booking, kind: 'drop' }], network)).toBeUndefined();
  });
});

describe('an HTTP method selector', () => {
  it('strikes only requests with that method on the path', () => {
    const booking = { from: 'middleware', to: 'logistics', path: '/shipments', httpMethod: 'POST' } as const;
    expect(matchesLink(booking, 'middleware', 'logistics', '/shipments', undefined, 'POST')).toBe(true);
    expect(matchesLink(booking, 'middleware', 'logistics', '/shipments', undefined, 'GET')).toBe(false);
    expect(faultLabel({ link: booking, kind: 'response-lost' })).toBe('response-lost@middleware->logistics/shipments(POST)');
  });

  it('is checked: a lower-case or unknown method is refused with the ones allowed', () => {
    const problems = scenarioProblems(scenario({ from: 'middleware', to: 'logistics', path: '/shipments', httpMethod: 'post' }));
    expect(problems.map((p) => `${p.path}: ${p.message}`).join('\n')).toMatch(/link\.httpMethod: must be one of GET, POST, PUT, PATCH, DELETE/);
  });
});
