import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { UserError } from '../orm/errors.ts';
import { fields } from '../orm/fields.ts';
import { defineModel, recordMethod } from '../orm/model.ts';
import type { OdooModule } from '../orm/module.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';
import { testContext } from './context.ts';
import { jsonrpc, kw, lastLine, xmlrpc } from './rpc.ts';

/** A module written the way ARCHITECTURE.md says, to exercise the ORM's promises. */
const docs: OdooModule = {
  name: 'test_docs',
  models: [
    defineModel({
      name: 'x.doc',
      description: 'Test Document',
      fields: {
        name: fields.char({ string: 'Name', required: true, default: 'New' }),
        partner_id: fields.many2one('res.partner', 'Partner'),
        line_ids: fields.one2many('x.doc.line', 'doc_id', 'Lines'),
        state: fields.selection(
          [
            ['draft', 'Draft'],
            ['done', 'Done'],
          ],
          { string: 'State', default: 'draft' },
        ),
        total: fields.float({
          string: 'Total',
          compute: (env, row) =>
            env
              .model('x.doc.line')
              .read(env.db.table('x.doc.line').referrers('doc_id', row.id), ['qty'])
              .reduce((sum, line) => sum + Number(line.qty), 0),
        }),
        partner_city: fields.char({ string: 'City', related: 'partner_id.city' }),
      },
      hooks: {
        beforeCreate(env, vals) {
          if (vals.name === undefined || vals.name === 'New') vals.name = env.nextByCode('x.doc');
        },
      },
      methods: {
        action_done: recordMethod([], ({ model, ids }) => {
          for (const id of ids) if (model.get(id, 'state') !== 'draft') throw new UserError(`Document ${model.displayName(id)} is not a draft.`);
          model.write(ids, { state: 'done' });
          return true;
        }),
        action_touch: recordMethod([], ({ model, ids }) => {
          model.write(ids, { state: 'done' });
          return undefined;
        }),
      },
    }),
    defineModel({
      name: 'x.doc.line',
      description: 'Test Document Line',
      fields: {
        doc_id: fields.many2one('x.doc', { string: 'Document', required: true, ondelete: 'cascade' }),
        qty: fields.float({ string: 'Quantity', digits: [16, 2] }),
      },
      hooks: {
        afterCreate(env, ids) {
          for (const id of ids) if ((env.model('x.doc.line').get(id, 'qty') as number) < 0) throw new UserError('Quantities cannot be negative.');
        },
      },
    }),
  ],
  sequences: [{ code: 'x.doc', prefix: 'DOC/%(year)s/', padding: 4 }],
};

const modules = [baseModule, docs];

function emulator(options: Record<string, unknown> = {}) {
  const context = testContext();
  return { context, odoo: createOdooEmulator(context, { modules, ...options }) };
}

describe('the ORM behind the emulator', () => {
  it('rolls back everything a failing call changed, but keeps the sequence number it drew', async () => {
    const { odoo } = emulator();
    const ok = await kw(odoo, 'x.doc', 'create', [{ line_ids: [[0, 0, { qty: 1 }]] }]);
    expect(ok).toEqual({ kind: 'value', value: 1 });
    const bad = await kw(odoo, 'x.doc', 'create', [
      {
        line_ids: [
          [0, 0, { qty: 2 }],
          [0, 0, { qty: -1 }],
        ],
      },
    ]);
    expect(lastLine(bad)).toBe('Quantities cannot be negative.');
    expect(await kw(odoo, 'x.doc.line', 'search_count', [[]])).toEqual({ kind: 'value', value: 1 });
    const third = await kw(odoo, 'x.doc', 'create', [{}]);
    expect(await kw(odoo, 'x.doc', 'read', [[third.kind === 'value' ? third.value : 0]], { fields: ['name'] })).toEqual({
      kind: 'value',
      value: [{ id: 3, name: 'DOC/2026/0003' }],
    });
  });

  it('commits before a None result faults over XML-RPC, and omits result over JSON-RPC', async () => {
    const { odoo } = emulator();
    await kw(odoo, 'x.doc', 'create', [{ name: 'A' }]);
    const fault = await kw(odoo, 'x.doc', 'action_touch', [[1]]);
    expect(fault.kind === 'fault' && fault.faultCode).toBe(1);
    expect(lastLine(fault)).toBe('TypeError: cannot marshal None unless allow_none is enabled');
    expect(await kw(odoo, 'x.doc', 'read', [[1]], { fields: ['state'] })).toEqual({ kind: 'value', value: [{ id: 1, state: 'done' }] });
    const json = await jsonrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'x.doc', 'action_touch', [[1]]]);
    expect(json).toEqual({ jsonrpc: '2.0', id: 7 });
  });

  it('reads computed, related and one2many values, and floats as doubles', async () => {
    const { odoo } = emulator();
    const partner = await kw(odoo, 'res.partner', 'create', [{ name: 'Lyon Shop', city: 'Lyon' }]);
    await kw(odoo, 'x.doc', 'create', [
      {
        partner_id: partner.kind === 'value' ? partner.value : 0,
        line_ids: [
          [0, 0, { qty: 1.5 }],
          [0, 0, { qty: 2 }],
        ],
      },
    ]);
    expect(await kw(odoo, 'x.doc', 'read', [[1]], { fields: ['total', 'partner_city', 'line_ids', 'partner_id'] })).toEqual({
      kind: 'value',
      value: [{ id: 1, total: 3.5, partner_city: 'Lyon', line_ids: [1, 2], partner_id: [7, 'Lyon Shop'] }],
    });
    expect(await kw(odoo, 'x.doc.line', 'read', [[2]], { fields: ['qty'] })).toEqual({ kind: 'value', value: [{ id: 2, qty: new PyFloat(2) }] });
    expect(
      await kw(odoo, 'x.doc', 'search', [
        [
          ['partner_id.city', '=', 'Lyon'],
          ['total', '>', 3],
        ],
      ]),
    ).toEqual({ kind: 'value', value: [1] });
  });

  it('faults on unknown fields, bad selections and wrong arguments as Odoo does', async () => {
    const { odoo } = emulator();
    expect(lastLine(await kw(odoo, 'x.doc', 'create', [{ nope: 1 }]))).toBe("ValueError: Invalid field 'nope' on model 'x.doc'");
    expect(lastLine(await kw(odoo, 'x.doc', 'create', [{ state: 'gone' }]))).toBe("ValueError: Wrong value for x.doc.state: 'gone'");
    expect(lastLine(await kw(odoo, 'x.doc', 'search', [[]], { limit: 1, bogus: true }))).toBe(
      "TypeError: BaseModel.search() got an unexpected keyword argument 'bogus'",
    );
    expect(lastLine(await kw(odoo, 'x.doc', 'write', [[1]]))).toBe("TypeError: BaseModel.write() missing 1 required positional argument: 'vals'");
    expect(lastLine(await kw(odoo, 'x.doc', 'search', [[], 0, 1, 'id', 5]))).toBe(
      'TypeError: BaseModel.search() takes from 2 to 5 positional arguments but 6 were given',
    );
    const unlink = await kw(odoo, 'res.partner', 'unlink', [[3]]);
    expect(unlink).toEqual({
      kind: 'fault',
      faultCode: 2,
      faultString:
        'The operation cannot be completed: another model requires the record being deleted. If possible, archive it instead.\n\nModel: User (res.users)\nConstraint: res_users_partner_id_fkey\n',
    });
    expect(lastLine(await kw(odoo, 'res.partner', 'create', [{ name: 'Orphan', parent_id: 999 }]))).toBe('Constraint: res_partner_parent_id_fkey');
  });

  it('refuses private methods with code 4 and unknown ones with code 1', async () => {
    const { odoo } = emulator();
    const privateCall = await kw(odoo, 'x.doc', '_compute_total', [[1]]);
    expect(privateCall).toEqual({ kind: 'fault', faultCode: 4, faultString: 'Private methods (such as _compute_total) cannot be called remotely.' });
    expect(lastLine(await kw(odoo, 'x.doc', 'frobnicate', [[1]]))).toBe("AttributeError: The method 'frobnicate' does not exist on the model 'x.doc'");
  });

  it('writes audit fields with the calling user and the emulator clock', async () => {
    const { odoo, context } = emulator();
    const uid = odoo.createUser({ login: 'faultline-middleware', password: 'secret' });
    const created = await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', uid, 'secret', 'res.partner', 'create', [{ name: 'By middleware' }]]);
    context.scheduler.advanceTo(context.clock.now() + 90_000);
    await kw(odoo, 'res.partner', 'write', [[created.kind === 'value' ? created.value : 0], { city: 'Rome' }]);
    const read = await kw(odoo, 'res.partner', 'read', [[created.kind === 'value' ? created.value : 0]], {
      fields: ['create_uid', 'write_uid', 'create_date', 'write_date'],
    });
    expect(read).toEqual({
      kind: 'value',
      value: [
        {
          id: 8,
          create_uid: [uid, 'faultline-middleware'],
          write_uid: [2, 'Administrator'],
          create_date: '2026-01-05 09:00:00',
          write_date: '2026-01-05 09:01:30',
        },
      ],
    });
  });
});

describe('users, logins and the access log', () => {
  it('logs every object call over the wire as a read-only model and into the history with the correlation id', async () => {
    const { odoo, context } = emulator();
    await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'admin', 'res.partner', 'create', [{ name: 'Traced' }]], { 'x-correlation-id': 'CAP-000042' });
    await kw(odoo, 'res.partner', 'nope', [[]]);
    const log = await kw(odoo, 'faultline.access.log', 'search_read', [[['model', '=', 'res.partner']]], {
      fields: ['principal', 'method', 'outcome', 'res_ids', 'corr', 'error'],
    });
    expect(log).toEqual({
      kind: 'value',
      value: [
        { id: expect.any(Number), principal: 'admin', method: 'create', outcome: 'ok', res_ids: '7', corr: 'CAP-000042', error: false },
        {
          id: expect.any(Number),
          principal: 'admin',
          method: 'nope',
          outcome: 'fail',
          res_ids: '',
          corr: false,
          error: "AttributeError: The method 'nope' does not exist on the model 'res.partner'",
        },
      ],
    });
    const refused = await kw(odoo, 'faultline.access.log', 'unlink', [[1]]);
    expect(refused.kind === 'fault' && refused.faultCode).toBe(4);
    const events = context.historyLog.toArray().filter((event) => event.kind === 'odoo' && event.model === 'res.partner');
    expect(events[0]).toMatchObject({ kind: 'odoo', principal: 'admin', model: 'res.partner', method: 'create', outcome: 'ok', ids: [7], corr: 'CAP-000042' });
  });

  it('creates integration users over RPC who then log in with their own password or an API key', async () => {
    const { odoo } = emulator();
    const uid = await kw(odoo, 'res.users', 'create', [{ name: 'Middleware', login: 'mw', password: 'pw-1' }]);
    expect(uid.kind).toBe('value');
    expect(await xmlrpc(odoo, 'common', 'authenticate', ['odoo', 'mw', 'pw-1', {}])).toEqual(uid);
    expect(await xmlrpc(odoo, 'common', 'login', ['odoo', 'mw', 'wrong'])).toEqual({ kind: 'value', value: false });
    const key = odoo.addApiKey('mw');
    const viaKey = await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', uid.kind === 'value' ? uid.value : 0, key, 'res.partner', 'search_count', [[]]]);
    expect(viaKey.kind).toBe('value');
    expect(await xmlrpc(odoo, 'object', 'execute_kw', ['odoo', 2, 'wrong', 'res.partner', 'search_count', [[]]])).toEqual({
      kind: 'fault',
      faultCode: 3,
      faultString: 'Access Denied',
    });
    const duplicate = await kw(odoo, 'res.users', 'create', [{ name: 'Again', login: 'mw', password: 'x' }]);
    expect(duplicate).toEqual({
      kind: 'fault',
      faultCode: 2,
      faultString: 'The operation cannot be completed: You can not have two users with the same login!',
    });
  });

  it('finds groups by external id and gives a new user the groups it asks for', async () => {
    const { odoo } = emulator();
    const found = await kw(
      odoo,
      'ir.model.data',
      'search_read',
      [
        [
          ['model', '=', 'res.groups'],
          ['name', 'in', ['group_sale_salesman', 'group_stock_user']],
        ],
      ],
      { fields: ['module', 'name', 'res_id'] },
    );
    expect(found.kind).toBe('value');
    const rows = (found as { value: Array<{ module: string; name: string; res_id: number }> }).value;
    expect(rows.map((row) => `${row.module}.${row.name}`).sort()).toEqual(['sales_team.group_sale_salesman', 'stock.group_stock_user']);
    const uid = await kw(odoo, 'res.users', 'create', [{ name: 'MW', login: 'mw', password: 'pw', groups_id: [[6, 0, rows.map((row) => row.res_id)]] }]);
    const user = await kw(odoo, 'res.users', 'read', [[(uid as { value: number }).value]], { fields: ['groups_id', 'name', 'partner_id', 'password'] });
    // Odoo adds the implied groups (Internal User, and what it implies) and reads them back in res.groups' name order.
    const names = await kw(odoo, 'res.groups', 'read', [(user as { value: Array<{ groups_id: number[] }> }).value[0]!.groups_id], { fields: ['full_name'] });
    expect((names as { value: Array<{ full_name: string }> }).value.map((group) => group.full_name)).toEqual([
      'User types / Internal User',
      'Technical / Mail Template Editor',
      'Extra Rights / Technical Features',
      'Inventory / User',
      'Sales / User: Own Documents Only',
    ]);
    expect(user).toEqual({
      kind: 'value',
      value: [{ id: expect.any(Number), groups_id: expect.any(Array), name: 'MW', partner_id: [expect.any(Number), 'MW'], password: '' }],
    });
  });

  it('throttles no XML-RPC login, as Odoo 17 (dispatch_rpc hides the request from the cooldown)', async () => {
    const { odoo } = emulator();
    for (let i = 0; i < 12; i++) await xmlrpc(odoo, 'common', 'authenticate', ['odoo', 'admin', 'bad', {}]);
    expect(await xmlrpc(odoo, 'common', 'authenticate', ['odoo', 'admin', 'admin', {}])).toEqual({ kind: 'value', value: 2 });
  });

  it('creates a database only with the master password', async () => {
    const { odoo } = emulator();
    expect(await xmlrpc(odoo, 'db', 'create_database', ['wrong', 'second', false, 'en_US', 'pw'])).toEqual({
      kind: 'fault',
      faultCode: 3,
      faultString: 'Access Denied',
    });
    expect(await xmlrpc(odoo, 'db', 'create_database', ['admin', 'second', false, 'en_US', 'pw', 'boss'])).toEqual({ kind: 'value', value: true });
    expect(await xmlrpc(odoo, 'db', 'list', [])).toEqual({ kind: 'value', value: ['odoo', 'second'] });
    expect(await xmlrpc(odoo, 'common', 'authenticate', ['second', 'boss', 'pw', {}])).toEqual({ kind: 'value', value: 2 });
  });
});

describe('bad input over the wire', () => {
  it('answers malformed XML, entity declarations and junk with a fault, and oversized bodies with 413', async () => {
    const { odoo } = emulator({ maxBodyBytes: 1000 });
    const post = (body: string) => odoo.handle(new Request('http://odoo.test/xmlrpc/2/object', { method: 'POST', body }));
    for (const body of ['<methodCall><methodName>execute_kw', '<!DOCTYPE x [<!ENTITY a "b">]><methodCall/>', 'not xml at all', '']) {
      const response = await post(body);
      expect(response.status).toBe(200);
      expect(await response.text()).toMatch(/<name>faultCode<\/name>\n<value><int>1<\/int>/);
    }
    const big = await post(`<methodCall><methodName>${'x'.repeat(2000)}</methodName></methodCall>`);
    expect(big.status).toBe(413);
    expect(await big.text()).toMatch(/at most 1000/);
  });

  it('answers JSON-RPC bad JSON as an Odoo error, wrong content types with 400, and serves the health check', async () => {
    const { odoo } = emulator();
    const bad = await odoo.handle(new Request('http://odoo.test/jsonrpc', { method: 'POST', body: '{nope', headers: { 'content-type': 'application/json' } }));
    expect((JSON.parse(await bad.text()) as { error: { data: { name: string } } }).error.data.name).toBe('werkzeug.exceptions.BadRequest');
    const wrongType = await odoo.handle(new Request('http://odoo.test/jsonrpc', { method: 'POST', body: '{}', headers: { 'content-type': 'text/plain' } }));
    expect(wrongType.status).toBe(400);
    const health = await odoo.handle(new Request('http://odoo.test/web/health'));
    expect(await health.json()).toEqual({ status: 'pass' });
    expect((await odoo.handle(new Request('http://odoo.test/nope'))).status).toBe(404);
  });
});

describe('the legacy /xmlrpc/<service> routes', () => {
  it("answers with string fault codes, as Odoo's xmlrpc_handle_exception_string does", async () => {
    const { odoo } = emulator();
    const { encodeMethodCall, decodeMethodResponse } = await import('../../../harness/wire/xmlrpc.ts');
    const call = async (params: unknown[]) => {
      const response = await odoo.handle(new Request('http://odoo.test/xmlrpc/object', { method: 'POST', body: encodeMethodCall('execute_kw', params) }));
      return decodeMethodResponse(await response.text());
    };
    expect(await call(['odoo', 2, 'admin', 'no.such', 'search', [[]]])).toEqual({
      kind: 'fault',
      faultCode: "warning -- UserError\n\nObject no.such doesn't exist",
      faultString: '',
    });
    expect(await call(['odoo', 2, 'bad', 'res.partner', 'search', [[]]])).toEqual({ kind: 'fault', faultCode: 'AccessDenied', faultString: 'Access Denied' });
    const value = await call(['odoo', 2, 'admin', 'res.partner', 'search', [[['name', 'bogus', 1]]]]);
    expect(value.kind === 'fault' && value.faultCode).toBe("Invalid leaf ('name', 'bogus', 1)");
  });
});

describe("the web client's session routes", () => {
  const post = (odoo: { handle(r: Request): Promise<Response> }, path: string, params: Record<string, unknown>, cookie?: string) =>
    odoo.handle(
      new Request(`http://odoo.test${path}`, {
        method: 'POST',
        body: JSON.stringify({ jsonrpc: '2.0', method: 'call', id: 3, params }),
        headers: { 'content-type': 'application/json', ...(cookie !== undefined ? { cookie } : {}) },
      }),
    );

  it('logs in with a session cookie and calls models through /web/dataset/call_kw', async () => {
    const { odoo } = emulator();
    const login = await post(odoo, '/web/session/authenticate', { db: 'odoo', login: 'admin', password: 'admin' });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    expect(((await login.json()) as { result: { uid: number; username: string } }).result).toMatchObject({ uid: 2, username: 'admin', db: 'odoo' });
    const created = await post(
      odoo,
      '/web/dataset/call_kw/res.partner/create',
      { model: 'res.partner', method: 'create', args: [{ name: 'Via session' }], kwargs: {} },
      cookie,
    );
    expect(await created.json()).toEqual({ jsonrpc: '2.0', id: 3, result: 7 });
    const expired = await post(odoo, '/web/dataset/call_kw', { model: 'res.partner', method: 'search', args: [[]], kwargs: {} });
    expect(((await expired.json()) as { error: { code: number; message: string; data: { name: string } } }).error).toMatchObject({
      code: 100,
      message: 'Odoo Session Expired',
      data: { name: 'odoo.http.SessionExpiredException' },
    });
    const denied = await post(odoo, '/web/session/authenticate', { db: 'odoo', login: 'admin', password: 'nope' });
    expect(((await denied.json()) as { error: { data: { name: string } } }).error.data.name).toBe('odoo.exceptions.AccessDenied');
    expect(
      odoo
        .accessLog()
        .filter((entry) => entry.model === 'res.partner')
        .map((entry) => [entry.principal, entry.method, entry.transport]),
    ).toEqual([['admin', 'create', 'jsonrpc']]);
  });
});
