/**
 * A stand-in for Odoo's RPC endpoints in tests: decodes JSON-RPC and XML-RPC
 * calls, hands them to a dispatcher, and answers the way Odoo 17 does
 * (faults as HTTP 200, None dropping `result` / faulting after commit).
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as {
  serializeMethodResponse(value: unknown): string;
  serializeFault(fault: unknown): string;
};
const Deserializer = require('xmlrpc/lib/deserializer.js') as new () => {
  deserializeMethodCall(stream: NodeJS.ReadableStream, cb: (error: Error | null, method?: string, params?: unknown[]) => void): void;
};

/** Thrown by a dispatcher to answer with an Odoo exception. */
export class FakeOdooFault extends Error {
  readonly code: 1 | 2 | 3 | 4;
  readonly exceptionName: string;
  constructor(code: 1 | 2 | 3 | 4, message: string, exceptionName?: string) {
    super(message);
    this.code = code;
    this.exceptionName =
      exceptionName ??
      ({ 1: 'builtins.ValueError', 2: 'odoo.exceptions.UserError', 3: 'odoo.exceptions.AccessDenied', 4: 'odoo.exceptions.AccessError' } as const)[code];
  }
}

export interface RpcCall {
  transport: 'jsonrpc' | 'xmlrpc';
  service: string;
  method: string;
  args: unknown[];
  headers: Headers;
}

/** Returns the result; `undefined` stands for Python's None. */
export type RpcDispatcher = (call: RpcCall) => unknown | Promise<unknown>;

export function createFakeOdooHandler(dispatch: RpcDispatcher): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    if (url.pathname === '/jsonrpc') {
      const body = (await request.json()) as { id: unknown; params: { service: string; method: string; args: unknown[] } };
      try {
        const result = await dispatch({
          transport: 'jsonrpc',
          service: body.params.service,
          method: body.params.method,
          args: body.params.args,
          headers: request.headers,
        });
        const envelope: Record<string, unknown> = { jsonrpc: '2.0', id: body.id };
        if (result !== undefined) envelope.result = result;
        return Response.json(envelope);
      } catch (error) {
        if (!(error instanceof FakeOdooFault)) throw error;
        return Response.json({
          jsonrpc: '2.0',
          id: body.id,
          error: {
            code: 200,
            message: 'Odoo Server Error',
            data: { name: error.exceptionName, debug: '', message: error.message, arguments: [error.message], context: {} },
          },
        });
      }
    }
    const match = /^\/xmlrpc\/2\/(common|object|db)$/.exec(url.pathname);
    if (match) {
      const text = await request.text();
      const { method, params } = await new Promise<{ method: string; params: unknown[] }>((resolve, reject) => {
        const stream = new PassThrough();
        new Deserializer().deserializeMethodCall(stream, (error, m, p) => (error ? reject(error) : resolve({ method: m!, params: p ?? [] })));
        stream.end(text);
      });
      const xml = (body: string) => new Response(body, { status: 200, headers: { 'content-type': 'text/xml; charset=utf-8' } });
      try {
        const result = await dispatch({ transport: 'xmlrpc', service: match[1]!, method, args: params, headers: request.headers });
        if (result === undefined || containsNull(result)) {
          return xml(
            serializer.serializeFault({
              faultCode: 1,
              faultString: 'Traceback (most recent call last):\n  ...\nTypeError: cannot marshal None unless allow_none is enabled\n',
            }),
          );
        }
        return xml(serializer.serializeMethodResponse(result));
      } catch (error) {
        if (!(error instanceof FakeOdooFault)) throw error;
        return xml(serializer.serializeFault({ faultCode: error.code, faultString: error.message }));
      }
    }
    return new Response('Not Found', { status: 404 });
  };
}

function containsNull(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === 'object') return Object.values(value as object).some(containsNull);
  return false;
}

/** A `SystemFetch` that hands every request to `handler` in-process. */
export function fetchTo(handler: (request: Request) => Promise<Response>, seen?: Request[]) {
  return async (input: string | URL | Request, init?: RequestInit & { timeoutMs?: number }): Promise<Response> => {
    const { timeoutMs: _timeout, ...rest } = init ?? {};
    const request = new Request(input, rest);
    seen?.push(request.clone());
    return handler(request);
  };
}
