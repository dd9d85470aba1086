import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import odooJsonRpc from '@fernandoslim/odoo-jsonrpc';
import { OdooClient } from 'odoo-xmlrpc-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveOdoo, type ServedOdoo } from './serve-emulator.ts';

const run = promisify(execFile);

/** The package is CommonJS with `exports.default`; Node and vitest unwrap it differently. */
const OdooJSONRpc = (typeof odooJsonRpc === 'function' ? odooJsonRpc : odooJsonRpc.default) as typeof odooJsonRpc.default;

/** A Python that has odoorpc (pip install odoorpc), from FAULTLINE_ODOORPC_PYTHON or python3. */
const ODOORPC_PYTHON = process.env.FAULTLINE_ODOORPC_PYTHON ?? 'python3';
const haveOdoorpc = await run(ODOORPC_PYTHON, ['-c', 'import odoorpc'], { timeout: 20_000 }).then(
  () => true,
  () => false,
);

const ODOORPC_CLIENT = `
import json, sys, odoorpc
host, port, db = sys.argv[1], int(sys.argv[2]), sys.argv[3]
odoo = odoorpc.ODOO(host, port=port, timeout=30)
out = {"version": odoo.version}
odoo.login(db, "admin", "admin")
Partner = odoo.env["res.partner"]
pid = Partner.create({"name": "Rpc Customer", "city": "Nice"})
out["name"] = Partner.browse(pid).name
out["found"] = Partner.search([("city", "=", "Nice")])
out["company"] = odoo.env.ref("base.main_company").name
out["has_sale_order"] = "sale.order" in odoo.env
print(json.dumps(out))
`;

/** Drives the served emulator the way most integrators do: Python's standard library. */
const PYTHON_CLIENT = `
import json, sys, xmlrpc.client
url, db = sys.argv[1], sys.argv[2]
out = {}
common = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/common")
out["version"] = common.version()["server_version"]
uid = common.authenticate(db, "admin", "admin", {})
out["uid"] = uid
out["bad_login"] = common.authenticate(db, "admin", "nope", {})
models = xmlrpc.client.ServerProxy(url + "/xmlrpc/2/object")
partner = models.execute_kw(db, uid, "admin", "res.partner", "create", [{"name": "Py Customer", "email": "py@example.com"}])
product = models.execute_kw(db, uid, "admin", "product.product", "create", [{"name": "Py Widget", "type": "consu", "list_price": 10.0}])
out["partners"] = models.execute_kw(db, uid, "admin", "res.partner", "search_read", [[["id", "=", partner]]], {"fields": ["name", "email", "credit_limit"]})
order = models.execute_kw(db, uid, "admin", "sale.order", "create", [{"partner_id": partner, "client_order_ref": "PY-1", "order_line": [[0, 0, {"product_id": product, "product_uom_qty": 2}]]}])
out["confirm"] = models.execute_kw(db, uid, "admin", "sale.order", "action_confirm", [[order]])
out["order"] = models.execute_kw(db, uid, "admin", "sale.order", "read", [[order]], {"fields": ["name", "state", "amount_total", "client_order_ref"]})
try:
    models.execute_kw(db, uid, "admin", "res.partner", "_private", [[]])
except xmlrpc.client.Fault as fault:
    out["private"] = [fault.faultCode, fault.faultString]
try:
    models.execute_kw(db, uid, "admin", "sale.order", "action_lock", [[order]])
except xmlrpc.client.Fault as fault:
    out["none_fault"] = [fault.faultCode, fault.faultString.strip().splitlines()[-1]]
out["locked"] = models.execute_kw(db, uid, "admin", "sale.order", "read", [[order]], {"fields": ["locked"]})[0]["locked"]
try:
    models.execute_kw(db, uid, "admin", "sale.order", "action_unlock", [[order]])
except xmlrpc.client.Fault:
    pass
picking = models.execute_kw(db, uid, "admin", "sale.order", "read", [[order]], {"fields": ["picking_ids"]})[0]["picking_ids"][0]
out["validate"] = models.execute_kw(db, uid, "admin", "stock.picking", "button_validate", [[picking]])
wizard = models.execute_kw(db, uid, "admin", "sale.advance.payment.inv", "create", [{"advance_payment_method": "delivered"}], {"context": {"active_model": "sale.order", "active_ids": [order]}})
try:
    models.execute_kw(db, uid, "admin", "sale.advance.payment.inv", "create_invoices", [[wizard]])
except xmlrpc.client.Fault as fault:
    out["invoice_fault"] = [fault.faultCode, fault.faultString.strip().splitlines()[-1]]
invoice = models.execute_kw(db, uid, "admin", "sale.order", "read", [[order]], {"fields": ["invoice_ids"]})[0]["invoice_ids"][0]
out["post"] = models.execute_kw(db, uid, "admin", "account.move", "action_post", [[invoice]])
pay = models.execute_kw(db, uid, "admin", "account.payment.register", "create", [{}], {"context": {"active_model": "account.move", "active_ids": [invoice]}})
models.execute_kw(db, uid, "admin", "account.payment.register", "action_create_payments", [[pay]])
out["invoice"] = models.execute_kw(db, uid, "admin", "account.move", "read", [[invoice]], {"fields": ["name", "state", "payment_state", "amount_total", "amount_residual"]})[0]
print(json.dumps(out))
`;

describe('clients we did not write talk to the served emulator', () => {
  let served: ServedOdoo;
  beforeAll(async () => {
    served = await serveOdoo({ port: 0, db: 'clients' });
  });
  afterAll(async () => {
    await served.close();
  });

  it('serves Python xmlrpc.client through a whole order to cash: login, partner, order, delivery, invoice, payment', async () => {
    const { stdout } = await run('python3', ['-c', PYTHON_CLIENT, served.url, 'clients'], { timeout: 60_000 });
    const out = JSON.parse(stdout) as Record<string, unknown>;
    expect(out.version).toBe('17.0-20240709');
    expect(out.uid).toBe(2);
    expect(out.bad_login).toBe(false);
    expect(out.partners).toEqual([{ id: expect.any(Number), name: 'Py Customer', email: 'py@example.com', credit_limit: 0 }]);
    expect(out.confirm).toBe(true);
    expect(out.order).toEqual([{ id: expect.any(Number), name: 'S00001', state: 'sale', amount_total: 23, client_order_ref: 'PY-1' }]);
    expect(out.private).toEqual([4, 'Private methods (such as _private) cannot be called remotely.']);
    expect(out.none_fault).toEqual([1, 'TypeError: cannot marshal None unless allow_none is enabled']);
    expect(out.locked).toBe(true);
    expect(out.validate).toBe(true);
    // Without a payment term, create_invoices faults after committing the invoice (real-odoo17-observations.md).
    expect(out.invoice_fault).toEqual([1, 'TypeError: cannot marshal None unless allow_none is enabled']);
    expect(out.post).toBe(false);
    expect(out.invoice).toEqual({
      id: expect.any(Number),
      name: expect.stringMatching(/^INV\/\d{4}\/00001$/),
      state: 'posted',
      payment_state: 'paid',
      amount_total: 23,
      amount_residual: 0,
    });
  });

  it.skipIf(!haveOdoorpc)(
    `serves Python's odoorpc (skipped unless ${ODOORPC_PYTHON} can import odoorpc: pip install odoorpc, or set FAULTLINE_ODOORPC_PYTHON)`,
    async () => {
      const url = new URL(served.url);
      const { stdout } = await run(ODOORPC_PYTHON, ['-c', ODOORPC_CLIENT, url.hostname, url.port, 'clients'], { timeout: 60_000 });
      const out = JSON.parse(stdout) as Record<string, unknown>;
      expect(out).toEqual({ version: '17.0-20240709', name: 'Rpc Customer', found: [expect.any(Number)], company: 'My Company', has_sale_order: true });
    },
  );

  it('serves the session-based npm client @fernandoslim/odoo-jsonrpc (/web/session/authenticate, /web/dataset/call_kw)', async () => {
    const url = new URL(served.url);
    const odoo = new OdooJSONRpc({ baseUrl: `${url.protocol}//${url.hostname}`, port: Number(url.port), db: 'clients', username: 'admin', password: 'admin' });
    const session = (await odoo.connect()) as { uid: number; username: string };
    expect(session).toMatchObject({ uid: 2, username: 'admin' });
    const id = await odoo.create('res.partner', { name: 'Session Customer', city: 'Bern' });
    expect(await odoo.searchRead('res.partner', [['city', '=', 'Bern']], ['name'])).toEqual([{ id, name: 'Session Customer' }]);
    await expect(odoo.call_kw('res.partner', '_private', [[]])).rejects.toThrow('Private methods (such as _private) cannot be called remotely.');
  });

  it('serves the npm odoo-xmlrpc-ts client', async () => {
    const client = new OdooClient({ url: served.url, db: 'clients', username: 'admin', password: 'admin' });
    expect((await client.version()).server_serie).toBe('17.0');
    const uid = await client.authenticate();
    expect(uid).toBe(2);
    const id = await client.create('res.partner', { name: 'Npm Customer', city: 'Lyon' });
    const rows = await client.searchRead<{ id: number; name: string; city: string }>('res.partner', [['city', '=', 'Lyon']], { fields: ['name', 'city'] });
    expect(rows).toEqual([{ id, name: 'Npm Customer', city: 'Lyon' }]);
    expect(await client.searchCount('res.partner', [['name', 'ilike', 'npm']])).toBe(1);
    await expect(client.execute('no.such.model', 'search', [[]])).rejects.toThrow(/Object no.such.model doesn't exist/);
  });
});
