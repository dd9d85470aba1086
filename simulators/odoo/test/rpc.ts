import { parsePythonJson, pythonJson } from '../transport/python-json.ts';
import { decodeMethodResponse, encodeMethodCall, type MethodResponse } from '../../../harness/wire/xmlrpc.ts';

type Handler = { handle(request: Request): Promise<Response> };

/** One XML-RPC call through handle(), decoded (doubles kept apart from ints). */
export async function xmlrpc(
  system: Handler,
  service: string,
  method: string,
  params: unknown[],
  headers: Record<string, string> = {},
): Promise<MethodResponse> {
  const response = await system.handle(
    new Request(`http://odoo.test/xmlrpc/2/${service}`, { method: 'POST', body: encodeMethodCall(method, params), headers }),
  );
  if (response.status !== 200) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
  return decodeMethodResponse(await response.text(), { doubles: 'pyfloat' });
}

/** One JSON-RPC call through handle(): the parsed response object. */
export async function jsonrpc(system: Handler, service: string, method: string, args: unknown[]): Promise<Record<string, unknown>> {
  const body = pythonJson({ jsonrpc: '2.0', method: 'call', id: 7, params: { service, method, args } });
  const response = await system.handle(new Request('http://odoo.test/jsonrpc', { method: 'POST', body, headers: { 'content-type': 'application/json' } }));
  return parsePythonJson(await response.text()) as Record<string, unknown>;
}

/** execute_kw as admin on database `db`. */
export function kw(system: Handler, model: string, method: string, args: unknown[], kwargs?: Record<string, unknown>, db = 'odoo'): Promise<MethodResponse> {
  return xmlrpc(system, 'object', 'execute_kw', kwargs === undefined ? [db, 2, 'admin', model, method, args] : [db, 2, 'admin', model, method, args, kwargs]);
}

/** The last line of a fault string (tracebacks reduced, like the transcripts). */
export function lastLine(response: MethodResponse): string {
  if (response.kind !== 'fault') throw new Error(`expected a fault, got ${JSON.stringify(response)}`);
  const lines = String(response.faultString)
    .split('\n')
    .filter((line) => line.trim() !== '');
  return lines[lines.length - 1]!;
}
