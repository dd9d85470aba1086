import { decodeMethodResponse, encodeMethodCall } from '../../../harness/wire/xmlrpc.ts';
import { parsePythonJson, pythonJson } from '../transport/python-json.ts';
import { compareOutcome, type CompareOptions, type Mismatch } from './compare.ts';
import type { Outcome, Transcript, TranscriptStep } from './transcript.ts';
import { sortIdLists } from './ties.ts';

/** Where a replay sends its calls: the emulator in-process, or any Odoo over HTTP. */
export interface ReplayTarget {
  readonly db: string;
  readonly login: string;
  readonly password: string;
  /** The year sequence names will carry (README §3, "Year in sequence names"). */
  readonly year: string;
  /** The day (YYYY-MM-DD) the target's clock reads, where it is not the recording's (a real server): date group labels follow it. */
  readonly date?: string;
  post(path: string, body: string, contentType: string): Promise<{ status: number; text: string }>;
}

export interface StepResult {
  readonly id: string;
  readonly status: 'pass' | 'fail' | 'not-replayable';
  readonly mismatches: readonly Mismatch[];
  readonly actual?: Outcome;
  readonly note?: string;
}

export interface ReplayReport {
  readonly name: string;
  readonly steps: readonly StepResult[];
  readonly passed: boolean;
}

class Unbound extends Error {
  override readonly name = 'Unbound';
}

function resolve(value: unknown, bindings: ReadonlyMap<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolve(item, bindings));
  if (value !== null && typeof value === 'object' && value.constructor === Object) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$ref') {
      const name = (value as { $ref: string }).$ref;
      if (!bindings.has(name)) throw new Unbound(name);
      return bindings.get(name);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) out[key] = resolve((value as Record<string, unknown>)[key], bindings);
    return out;
  }
  return value;
}

/** Follows a bind path such as `0.picking_ids.0` (README §1.2). */
export function followPath(value: unknown, path: string): { found: boolean; value?: unknown } {
  if (path === '') return { found: true, value };
  let current = value;
  for (const segment of path.split('.')) {
    if (Array.isArray(current)) {
      const index = Number(segment);
      if (!Number.isInteger(index) || index < 0 || index >= current.length) return { found: false };
      current = current[index];
    } else if (current !== null && typeof current === 'object' && segment in current) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: current };
}

export async function send(target: ReplayTarget, step: { transport: string; service: string; method: string }, params: unknown[]): Promise<Outcome> {
  if (step.transport === 'xmlrpc') {
    const response = await target.post(`/xmlrpc/2/${step.service}`, encodeMethodCall(step.method, params), 'text/xml');
    if (response.status !== 200) throw new Error(`HTTP ${response.status} from /xmlrpc/2/${step.service}: ${response.text.slice(0, 200)}`);
    const decoded = decodeMethodResponse(response.text, { doubles: 'pyfloat' });
    return decoded.kind === 'fault' ? { fault: { code: decoded.faultCode, string: decoded.faultString } } : { ok: decoded.value };
  }
  const body = pythonJson({ jsonrpc: '2.0', method: 'call', id: 1, params: { service: step.service, method: step.method, args: params } });
  const response = await target.post('/jsonrpc', body, 'application/json');
  if (response.status !== 200) throw new Error(`HTTP ${response.status} from /jsonrpc: ${response.text.slice(0, 200)}`);
  const parsed = parsePythonJson(response.text) as Record<string, unknown>;
  if ('error' in parsed) return { error: parsed.error as { code: unknown; message: unknown; data: Record<string, unknown> } };
  if ('result' in parsed) return { ok: parsed.result };
  return { no_result: true };
}

/** One `execute_kw` over XML-RPC as the target's user; anything but an answer is an error naming the call. */
export async function objectCall(
  target: ReplayTarget,
  uid: number,
  model: string,
  method: string,
  args: unknown[],
  kwargs: Record<string, unknown>,
): Promise<unknown> {
  const outcome = await send(target, { transport: 'xmlrpc', service: 'object', method: 'execute_kw' }, [
    target.db,
    uid,
    target.password,
    model,
    method,
    args,
    kwargs,
  ]);
  if (!('ok' in outcome)) throw new Error(`${model}.${method}: ${JSON.stringify(outcome).slice(0, 300)}`);
  return outcome.ok;
}

/**
 * Replays a transcript against a target, step by step, comparing each outcome
 * with the recorded one (README §3) and binding from the actual results.
 */
export async function replayTranscript(
  transcript: Transcript,
  target: ReplayTarget,
  options: CompareOptions = {},
  orderInsensitive: ReadonlySet<string> = new Set(),
): Promise<ReplayReport> {
  const bindings = new Map<string, unknown>([
    ['$db', target.db],
    ['$password', target.password],
  ]);
  const auth = await send(target, { transport: 'xmlrpc', service: 'common', method: 'authenticate' }, [target.db, target.login, target.password, {}]);
  if (!('ok' in auth) || typeof auth.ok !== 'number') {
    throw new Error(
      `cannot replay ${transcript.name}: authenticate(${target.db}, ${target.login}) answered ${JSON.stringify(auth)}; check the database, login and password`,
    );
  }
  bindings.set('$uid', auth.ok);
  const compareOptions: CompareOptions = {
    ...options,
    yearFrom: transcript.recorded.date.slice(0, 4),
    yearTo: target.year,
    ...(target.date !== undefined && { dateFrom: transcript.recorded.date, dateTo: target.date }),
  };
  const results: StepResult[] = [];
  for (const step of transcript.steps) results.push(await replayStep(step, target, bindings, compareOptions, orderInsensitive.has(step.id)));
  return { name: transcript.name, steps: results, passed: results.every((result) => result.status === 'pass') };
}

async function replayStep(
  step: TranscriptStep,
  target: ReplayTarget,
  bindings: Map<string, unknown>,
  options: CompareOptions,
  orderInsensitive: boolean,
): Promise<StepResult> {
  let params: unknown[];
  try {
    params = resolve(step.args, bindings) as unknown[];
    if (step.kwargs !== undefined) params = [...params, resolve(step.kwargs, bindings)];
  } catch (error) {
    if (error instanceof Unbound)
      return { id: step.id, status: 'not-replayable', mismatches: [], note: `needs ${error.message}, which an earlier step did not bind` };
    throw error;
  }
  let actual: Outcome;
  try {
    actual = await send(target, step, params);
  } catch (error) {
    return {
      id: step.id,
      status: 'fail',
      mismatches: [{ path: '', expected: JSON.stringify(step.outcome), actual: String(error), reason: 'the call itself failed' }],
    };
  }
  // Names bound at this step already count in its own outcome (README §2.2.1), so bind first.
  const bindMismatches: Mismatch[] = [];
  const fresh = new Map<string, unknown>();
  if (step.bind !== undefined) {
    const paths: Record<string, string> = typeof step.bind === 'string' ? { [step.bind]: '' } : step.bind;
    for (const [name, path] of Object.entries(paths)) {
      const found = 'ok' in actual ? followPath(actual.ok, path) : { found: false };
      if (!found.found)
        bindMismatches.push({
          path: `bind.${name}`,
          expected: path,
          actual: JSON.stringify(actual),
          reason: `bind path "${path}" does not exist in the actual result`,
        });
      else if (!bindings.has(name)) fresh.set(name, found.value);
    }
  }
  for (const [name, value] of fresh) bindings.set(name, value);
  let mismatches = [...compareOutcome(step.outcome, actual, bindings, step.traceback_head !== undefined, options), ...bindMismatches];
  if (orderInsensitive && mismatches.length > 0) {
    mismatches = [
      ...compareOutcome(sortIdLists(step.outcome, bindings), sortIdLists(actual, bindings), bindings, step.traceback_head !== undefined, options),
      ...bindMismatches,
    ];
  }
  return { id: step.id, status: mismatches.length === 0 ? 'pass' : 'fail', mismatches, actual };
}

/** A readable account of the failed steps, for test output. */
export function formatReport(report: ReplayReport): string {
  const lines: string[] = [];
  for (const step of report.steps) {
    if (step.status === 'pass') continue;
    lines.push(`${report.name} / ${step.id}: ${step.status}${step.note !== undefined ? ` (${step.note})` : ''}`);
    for (const mismatch of step.mismatches)
      lines.push(
        `    at ${mismatch.path || '<outcome>'}: ${mismatch.reason}\n      expected ${String(mismatch.expected).slice(0, 400)}\n      actual   ${String(mismatch.actual).slice(0, 400)}`,
      );
  }
  return lines.join('\n');
}

/** A target that calls a System's handle() in-process (no sockets). */
export function inProcessTarget(
  system: { handle(request: Request): Promise<Response> },
  options: { db: string; login?: string; password?: string; year: string },
): ReplayTarget {
  return {
    db: options.db,
    login: options.login ?? 'admin',
    password: options.password ?? 'admin',
    year: options.year,
    async post(path, body, contentType) {
      const response = await system.handle(new Request(`http://odoo.emulator${path}`, { method: 'POST', body, headers: { 'content-type': contentType } }));
      return { status: response.status, text: await response.text() };
    },
  };
}

/** A target that speaks HTTP to any Odoo (the emulator served, or a real Odoo 17). */
export function httpTarget(options: {
  url: string;
  db: string;
  login: string;
  password: string;
  year: string;
  date?: string;
  timeoutMs?: number;
}): ReplayTarget {
  const base = options.url.replace(/\/+$/, '');
  return {
    db: options.db,
    login: options.login,
    password: options.password,
    year: options.year,
    ...(options.date !== undefined && { date: options.date }),
    async post(path, body, contentType) {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        body,
        headers: { 'content-type': contentType },
        signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
      });
      return { status: response.status, text: await response.text() };
    },
  };
}
