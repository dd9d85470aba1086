/**
 * Records flows against a real Odoo 17 into transcripts (transcripts/README.md
 * §2), so what the emulator is told to do is first checked on the real thing.
 * It normalises the places the hand-written fixtures (101_* and up) use: ids
 * returned by create/search/copy/authenticate, `id` and relational values of
 * read/search_read rows (field types from fields_get), action `res_id`, dates,
 * tracebacks, and ids in fault texts. A developer tool, run by hand:
 *
 *   ODOO_URL=http://127.0.0.1:8169 ODOO_DB=flconf ODOO_USER=admin ODOO_PASSWORD=admin \
 *   ODOO_RESET_COMMAND='/work/shared/odoo17/kit.sh reset --port 8169 --db flconf' \
 *   node simulators/odoo/conformance/record.ts simulators/odoo/conformance/transcripts/flows/101_x.json
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pythonJson, parsePythonJson } from '../transport/python-json.ts';
import { PyFloat } from '../../../harness/wire/python-float.ts';
import { followPath, httpTarget, objectCall, send } from './replay.ts';
import { reduceTraceback } from './compare.ts';
import type { Outcome } from './transcript.ts';

interface FlowStep {
  id: string;
  transport: 'xmlrpc' | 'jsonrpc';
  service: string;
  method: string;
  args: unknown[];
  kwargs?: Record<string, unknown>;
  bind?: string | Record<string, string>;
  [key: string]: unknown;
}

type Bound = Array<{ name: string; value: unknown; model: string | null }>;

const RELATIONAL = new Set(['many2one', 'one2many', 'many2many']);

function resolve(value: unknown, bound: Bound): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, bound));
  if (value !== null && typeof value === 'object' && !(value instanceof PyFloat)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$ref') {
      const name = (value as { $ref: string }).$ref;
      const found = bound.find((entry) => entry.name === name);
      if (found === undefined) throw new Error(`unbound ${name}`);
      return found.value;
    }
    return Object.fromEntries(keys.map((key) => [key, resolve((value as Record<string, unknown>)[key], bound)]));
  }
  return value;
}

function idRef(id: unknown, model: string | null, bound: Bound): unknown {
  if (typeof id !== 'number' || !Number.isInteger(id)) return id;
  const found = bound.find((entry) => entry.value === id && entry.model === model && model !== null);
  return found !== undefined ? { $ref: found.name } : { $id: model };
}

function dates(value: unknown): unknown {
  if (typeof value === 'string') {
    if (/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(value)) return '<datetime>';
    if (/^\d{4}-\d\d-\d\d$/.test(value)) return '<date>';
    return value;
  }
  if (Array.isArray(value)) return value.map(dates);
  if (value !== null && typeof value === 'object' && !(value instanceof PyFloat)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, dates(item)]));
  }
  return value;
}

/** Ids inside fault texts (§2.2.4): `(id N)`, `model(N,)`, `User: N`. */
function faultText(text: string, stepModel: string | null, literal: ReadonlySet<number>, bound: Bound): unknown {
  const parts: unknown[] = [];
  const pattern = /\(id (\d+)\)|([a-z_]+(?:\.[a-z_]+)+)\((\d+),\)|User: (\d+)/g;
  let last = 0;
  let templated = false;
  for (const match of text.matchAll(pattern)) {
    const [whole, idA, model, idB, idC] = match;
    const raw = idA ?? idB ?? idC!;
    const id = Number(raw);
    const modelOf = idA !== undefined ? stepModel : model !== undefined ? model : 'res.users';
    const start = match.index! + whole.indexOf(raw);
    const ref = idRef(id, modelOf, bound) as { $ref?: string; $id?: string };
    if (ref.$ref === undefined && literal.has(id)) continue;
    parts.push(text.slice(last, start), ref);
    last = start + raw.length;
    templated = true;
  }
  if (!templated) return text;
  parts.push(text.slice(last));
  return { $str: parts.filter((part) => part !== '') };
}

function literalInts(value: unknown, out = new Set<number>()): Set<number> {
  if (typeof value === 'number' && Number.isInteger(value)) out.add(value);
  else if (Array.isArray(value)) for (const item of value) literalInts(item, out);
  else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) literalInts(item, out);
  return out;
}

async function normaliseOk(
  result: unknown,
  step: FlowStep,
  model: string | null,
  method: string,
  bound: Bound,
  fieldTypes: (model: string) => Promise<Record<string, { type: string; relation?: string }>>,
): Promise<unknown> {
  if (step.service === 'common' && (step.method === 'authenticate' || step.method === 'login')) return idRef(result, 'res.users', bound);
  if (model === null) return dates(result);
  if (method === 'create' || method === 'copy') return Array.isArray(result) ? result.map((id) => idRef(id, model, bound)) : idRef(result, model, bound);
  if (method === 'search') return (result as unknown[]).map((id) => idRef(id, model, bound));
  if (method === 'name_search') return (result as Array<[number, string]>).map(([id, name]) => [idRef(id, model, bound), name]);
  if ((method === 'read' || method === 'search_read') && Array.isArray(result)) {
    const types = await fieldTypes(model);
    return result.map((row: Record<string, unknown>) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => {
          if (key === 'id') return [key, idRef(value, model, bound)];
          const field = types[key];
          if (field === undefined || !RELATIONAL.has(field.type) || value === false) return [key, dates(value)];
          if (field.type === 'many2one' && Array.isArray(value)) return [key, [idRef(value[0], field.relation ?? null, bound), value[1]]];
          return [key, (value as unknown[]).map((id) => idRef(id, field.relation ?? null, bound))];
        }),
      ),
    );
  }
  if (result !== null && typeof result === 'object' && !Array.isArray(result) && 'res_model' in result)
    return normaliseAction(result as Record<string, unknown>, bound, fieldTypes);
  return dates(result);
}

/** Action dicts (§2.2.1): id, res_id, view_id, views, search_view_id, and the id-valued context keys. */
async function normaliseAction(
  result: Record<string, unknown>,
  bound: Bound,
  fieldTypes: (model: string) => Promise<Record<string, { type: string; relation?: string }>>,
): Promise<unknown> {
  const action = { ...result };
  const resModel = String(action.res_model);
  if (typeof action.res_id === 'number') action.res_id = idRef(action.res_id, resModel, bound);
  if (typeof action.id === 'number') action.id = { $id: null };
  if (typeof action.view_id === 'number') action.view_id = { $id: 'ir.ui.view' };
  if (typeof action.search_view_id === 'number') action.search_view_id = { $id: 'ir.ui.view' };
  else if (Array.isArray(action.search_view_id) && typeof action.search_view_id[0] === 'number')
    action.search_view_id = [{ $id: 'ir.ui.view' }, action.search_view_id[1]];
  if (Array.isArray(action.views))
    action.views = action.views.map((view) => (Array.isArray(view) && typeof view[0] === 'number' ? [{ $id: 'ir.ui.view' }, view[1]] : view));
  const context = action.context;
  if (context !== null && typeof context === 'object' && !Array.isArray(context)) {
    const types = await fieldTypes(resModel).catch(() => ({}) as Record<string, { type: string; relation?: string }>);
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(context as Record<string, unknown>)) {
      let model: string | null | undefined;
      if (key === 'active_id' || key === 'active_ids')
        model = typeof (context as Record<string, unknown>).active_model === 'string' ? String((context as Record<string, unknown>).active_model) : null;
      else if (key === 'button_validate_picking_ids') model = 'stock.picking';
      else if (key.startsWith('default_') && types[key.slice(8)]?.relation !== undefined) model = types[key.slice(8)]!.relation!;
      else if (/_ids?$/.test(key)) model = null;
      if (model === undefined) out[key] = dates(value);
      else if (typeof value === 'number') out[key] = idRef(value, model, bound);
      else if (Array.isArray(value))
        out[key] = value.map((item) =>
          typeof item === 'number'
            ? idRef(item, model!, bound)
            : Array.isArray(item)
              ? item.map((part, i) => (i > 0 && typeof part === 'number' ? idRef(part, model!, bound) : part))
              : item,
        );
      else out[key] = value;
    }
    action.context = out;
  }
  return dates(action);
}

async function bindModel(
  step: FlowStep,
  model: string | null,
  path: string,
  fieldTypes: (model: string) => Promise<Record<string, { type: string; relation?: string }>>,
  result: unknown,
): Promise<string | null> {
  if (step.service === 'common') return 'res.users';
  if (model === null) return null;
  const segments = path === '' ? [] : path.split('.');
  if (segments.length === 0 || (segments.length === 1 && Array.isArray(result))) {
    return ['create', 'search', 'copy', 'name_create'].includes(String(step.args[4])) ? model : null;
  }
  if (!Array.isArray(result) && segments[0] === 'res_id') return String((result as Record<string, unknown>).res_model);
  const field = segments.find((segment) => !/^\d+$/.test(segment) && segment !== 'id');
  if (field === undefined) return model;
  return (await fieldTypes(model))[field]?.relation ?? null;
}

async function main(): Promise<void> {
  const [flowPath] = process.argv.slice(2);
  if (flowPath === undefined) throw new Error('usage: record.ts <flow.json>');
  const env = (name: string): string => {
    const value = process.env[name];
    if (value === undefined) throw new Error(`set ${name}`);
    return value;
  };
  const reset = process.env.ODOO_RESET_COMMAND;
  if (reset !== undefined && reset !== '') {
    const done = spawnSync(reset, { shell: true, encoding: 'utf8', timeout: 180_000 });
    if (done.status !== 0) throw new Error(`reset failed: ${done.stderr}`);
  }
  const target = httpTarget({ url: env('ODOO_URL'), db: env('ODOO_DB'), login: env('ODOO_USER'), password: env('ODOO_PASSWORD'), year: '' });
  const flow = parsePythonJson(readFileSync(flowPath, 'utf8')) as { name: string; description?: string; steps: FlowStep[] };
  const auth = await send(target, { transport: 'xmlrpc', service: 'common', method: 'authenticate' }, [target.db, target.login, target.password, {}]);
  const uid = (auth as { ok: number }).ok;
  const version = await send(target, { transport: 'xmlrpc', service: 'common', method: 'version' }, []);
  const bound: Bound = [
    { name: '$db', value: target.db, model: null },
    { name: '$password', value: target.password, model: null },
    { name: '$uid', value: uid, model: 'res.users' },
  ];
  const cache = new Map<string, Record<string, { type: string; relation?: string }>>();
  const fieldTypes = async (model: string) => {
    let types = cache.get(model);
    if (types === undefined) {
      types = (await objectCall(target, uid, model, 'fields_get', [], { attributes: ['type', 'relation'] })) as Record<
        string,
        { type: string; relation?: string }
      >;
      cache.set(model, types);
    }
    return types;
  };
  const steps: unknown[] = [];
  for (const step of flow.steps) {
    let params = resolve(step.args, bound) as unknown[];
    if (step.kwargs !== undefined) params = [...params, resolve(step.kwargs, bound)];
    const actual: Outcome = await send(target, step, params);
    const objectModel = step.service === 'object' && step.method === 'execute_kw' ? String(step.args[3]) : null;
    const objectMethod = step.service === 'object' && step.method === 'execute_kw' ? String(step.args[4]) : '';
    const bindings: Record<string, { value: unknown; model: string | null }> = {};
    if (step.bind !== undefined && 'ok' in actual) {
      const paths = typeof step.bind === 'string' ? { [step.bind]: '' } : step.bind;
      for (const [name, path] of Object.entries(paths)) {
        const found = followPath(actual.ok, path);
        if (!found.found) throw new Error(`${step.id}: bind path ${path} not in ${JSON.stringify(actual.ok)}`);
        const model = await bindModel(step, objectModel, path, fieldTypes, actual.ok);
        bound.push({ name, value: found.value, model });
        bindings[name] = { value: found.value, model };
      }
    }
    let outcome: unknown;
    const literal = literalInts(step.args);
    if ('ok' in actual) outcome = { ok: await normaliseOk(actual.ok, step, objectModel, objectMethod, bound, fieldTypes) };
    else if ('fault' in actual)
      outcome = { fault: { code: actual.fault.code, string: faultText(reduceTraceback(String(actual.fault.string)), objectModel, literal, bound) } };
    else if ('error' in actual) {
      const data = actual.error.data;
      outcome = {
        error: {
          code: actual.error.code,
          message: actual.error.message,
          data: {
            name: data.name,
            message: faultText(reduceTraceback(String(data.message)), objectModel, literal, bound),
            arguments: (data.arguments as unknown[]).map((item) =>
              typeof item === 'string' ? faultText(reduceTraceback(item), objectModel, literal, bound) : item,
            ),
            context: data.context,
          },
        },
      };
    } else outcome = actual;
    const raw = 'fault' in actual ? { fault: { code: actual.fault.code, string: reduceTraceback(String(actual.fault.string)) } } : actual;
    const record: Record<string, unknown> = { ...step, outcome };
    if (pythonJson(raw) !== pythonJson(outcome)) record.raw = raw;
    if ('fault' in actual && String(actual.fault.string).startsWith('Traceback')) record.traceback_head = String(actual.fault.string).slice(0, 200);
    if (Object.keys(bindings).length > 0) record.bindings = bindings;
    steps.push(record);
    console.log(`${step.id}: ${pythonJson(outcome).slice(0, 160)}`);
  }
  const serverVersion = (version as { ok: { server_version: string } }).ok.server_version;
  // The server's own clock (the admin's last login, set by authenticate) names the year sequence numbers carry.
  const [admin] = (await objectCall(target, uid, 'res.users', 'read', [[uid]], { fields: ['login_date'] })) as Array<{ login_date: string }>;
  const transcript = {
    format: 'odoo17-transcript/1',
    name: flow.name,
    description: flow.description,
    recorded: { server_version: serverVersion, date: admin!.login_date.slice(0, 10), uid },
    steps,
  };
  const out = join(flowPath, '..', '..', 'recorded', basename(flowPath));
  writeFileSync(out, `${pythonJson(transcript)}\n`);
  console.log(`wrote ${out}`);
}

await main();
