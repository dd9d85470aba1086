import { OdooError, PythonError } from '../orm/errors.ts';
import type { CallMeta, OdooServer } from '../service/server.ts';
import { parsePythonJson, pythonJson } from './python-json.ts';

interface JsonRpcError {
  code: number;
  message: string;
  data: { name: string; debug: string; message: string; arguments: unknown[]; context: Record<string, unknown> };
}

/** Odoo's serialize_exception for a JSON-RPC error response. */
export function jsonRpcError(error: unknown): JsonRpcError {
  let name: string;
  let message: string;
  let args: unknown[];
  let debug: string;
  if (error instanceof PythonError) {
    ({ pythonName: name, message, pythonArgs: args } = error);
    debug = error.faultString();
  } else if (error instanceof OdooError) {
    ({ pythonName: name, message, pythonArgs: args } = error);
    debug = `Traceback (most recent call last):\n  File "odoo/http.py", line 1, in <faultline-emulator>\n${name}: ${message}\n`;
  } else {
    name = 'builtins.Exception';
    message = `internal emulator error: ${error instanceof Error ? error.message : String(error)}`;
    args = [message];
    debug = `Traceback (most recent call last):\n  File "faultline/simulators/odoo", line 1\nException: ${message}\n`;
  }
  return { code: 200, message: 'Odoo Server Error', data: { name, debug, message, arguments: args, context: {} } };
}

export interface JsonRpcOutcome {
  readonly status: number;
  readonly body: string;
  readonly contentType: string;
}

const JSON_TYPES = new Set(['application/json', 'application/json-rpc']);

/** POST /jsonrpc: `{"params": {"service", "method", "args"}}`; errors are HTTP 200 too. */
export function handleJsonRpc(server: OdooServer, contentType: string | null, body: string, meta: CallMeta): JsonRpcOutcome {
  const mime = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (!JSON_TYPES.has(mime)) {
    return {
      status: 400,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html>\n<html lang=en>\n<title>400 Bad Request</title>\n<h1>Bad Request</h1>\n<p>Request inferred type is compatible with ['http'] but /jsonrpc is type=json; send Content-Type: application/json.</p>\n`,
    };
  }
  let id: unknown = null;
  const respond = (payload: Record<string, unknown>): JsonRpcOutcome => ({
    status: 200,
    contentType: 'application/json; charset=utf-8',
    body: pythonJson({ jsonrpc: '2.0', id, ...payload }),
  });
  let request: unknown;
  try {
    request = parsePythonJson(body);
  } catch (problem) {
    // Too deep: Odoo's RecursionError; anything else JSON.parse refuses: werkzeug's BadRequest.
    const error = jsonRpcError(
      problem instanceof PythonError ? problem : new PythonError('werkzeug.exceptions.BadRequest', '400 Bad Request: Invalid JSON data', 'odoo/http.py'),
    );
    return respond({ error });
  }
  try {
    if (request === null || typeof request !== 'object' || Array.isArray(request)) {
      throw new PythonError('werkzeug.exceptions.BadRequest', '400 Bad Request: Invalid JSON-RPC data', 'odoo/http.py');
    }
    id = (request as Record<string, unknown>).id ?? null;
    const params = (request as Record<string, unknown>).params;
    if (params === null || typeof params !== 'object' || Array.isArray(params)) {
      throw new PythonError('TypeError', "RPC.jsonrpc() missing 3 required positional arguments: 'service', 'method', and 'args'", 'odoo/http.py');
    }
    const { service, method, args } = params as Record<string, unknown>;
    const missing = (['service', 'method', 'args'] as const).filter((key) => !(key in (params as object)));
    if (missing.length > 0) {
      const names = missing.map((key) => `'${key}'`);
      const list = names.length === 1 ? names[0] : names.length === 2 ? `${names[0]} and ${names[1]}` : `${names[0]}, ${names[1]}, and ${names[2]}`;
      throw new PythonError(
        'TypeError',
        `RPC.jsonrpc() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`,
        'odoo/http.py',
      );
    }
    if (!Array.isArray(args))
      throw new PythonError('TypeError', `odoo.http.dispatch_rpc() argument after * must be an iterable, not ${typeof args}`, 'odoo/http.py');
    const result = server.dispatch(String(service), String(method), args, meta);
    // Odoo drops the `result` key when the method returned None.
    return respond(result === undefined ? {} : { result });
  } catch (error) {
    return respond({ error: jsonRpcError(error) });
  }
}
