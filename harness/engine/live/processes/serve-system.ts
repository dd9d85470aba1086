import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { System } from '../../../core/system.ts';

export interface ServeOptions {
  /** Interface to bind; loopback unless a user's setup (containers) needs otherwise. */
  host?: string;
  /** 0 (the default) asks the kernel for a free port. */
  port?: number;
  /** Largest request body accepted; bigger ones get a 413 without reaching the handler. */
  bodyLimitBytes?: number;
}

export interface ServedSystem {
  /** Base URL, no trailing slash, e.g. `http://127.0.0.1:43121`. */
  readonly url: string;
  readonly port: number;
  /** Stops accepting, drops open connections (idle keep-alive ones included) and resolves once closed. */
  close(): Promise<void>;
}

export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/*
 * Idle keep-alive sockets stay open longer than a client's typical idle
 * period, so a pooled client socket is not closed under a request in flight
 * (the classic keep-alive race that shows up as a spurious ECONNRESET, which
 * in Faultline would look like a network fault nobody injected).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Serves a System over HTTP/1.1: each request becomes a standard `Request`,
 * the handler's `Response` is written back. A handler that throws or rejects
 * gives a 500 with its message; the server never crashes because of one.
 * `start`/`stop` of the System are left to the runner.
 */
export async function serveSystem(system: System, options: ServeOptions = {}): Promise<ServedSystem> {
  if (system === null || typeof system !== 'object' || typeof system.handle !== 'function') {
    throw new TypeError('serveSystem needs a System with a handle(request) method; did you pass the factory instead of the system it builds?');
  }
  const host = options.host ?? '127.0.0.1';
  if (typeof host !== 'string' || host === '') throw new TypeError(`serveSystem: host must be a non-empty string such as "127.0.0.1", got ${String(host)}`);
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new RangeError(`serveSystem: port must be an integer in 0..65535 (0 picks a free port), got ${String(port)}`);
  }
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  if (!Number.isInteger(bodyLimit) || bodyLimit < 0) {
    throw new RangeError(`serveSystem: bodyLimitBytes must be a non-negative integer, got ${String(bodyLimit)}`);
  }

  let origin = '';
  const server = createServer({ keepAlive: true, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, headersTimeout: KEEP_ALIVE_TIMEOUT_MS + 1_000 }, (req, res) => {
    handleOne(system, origin, bodyLimit, req, res).catch((error: unknown) => {
      // Reached only when writing the answer itself failed (client gone): nothing left to tell anyone.
      res.destroy(error instanceof Error ? error : undefined);
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;

  await listen(server, host, port);
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${urlHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url: origin,
    port: address.port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const hint =
        error.code === 'EADDRINUSE'
          ? ' (the port is taken; pass port 0 for a free one)'
          : error.code === 'EADDRNOTAVAIL'
            ? ' (no such local address; use 127.0.0.1)'
            : '';
      reject(new Error(`serveSystem: cannot listen on ${host}:${port}: ${error.message}${hint}`, { cause: error }));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

async function handleOne(system: System, origin: string, bodyLimit: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const method = req.method ?? 'GET';
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > bodyLimit) {
    sendTooLarge(res, req, bodyLimit);
    return;
  }

  let body: Buffer | undefined;
  if (method !== 'GET' && method !== 'HEAD') {
    const read = await readBody(req, bodyLimit);
    if (read === 'too-large') {
      sendTooLarge(res, req, bodyLimit);
      return;
    }
    body = read;
  }

  let response: Response;
  try {
    const request = new Request(requestUrl(origin, req.url), {
      method,
      headers: requestHeaders(req.rawHeaders),
      body: body as Uint8Array<ArrayBuffer> | undefined,
    });
    response = await system.handle(request);
    if (!(response instanceof Response)) {
      throw new TypeError(`handler returned ${describe(response)} instead of a Response; return new Response(...) or Response.json(...)`);
    }
  } catch (error) {
    sendJson(res, 500, { error: `handler failed: ${error instanceof Error ? error.message : String(error)}` });
    return;
  }
  await writeResponse(res, response);
}

function requestUrl(origin: string, rawUrl: string | undefined): string {
  const url = rawUrl ?? '/';
  // Absolute-form targets (sent to proxies) are kept; origin-form paths get our own origin.
  return url.startsWith('/') ? origin + url : /^https?:\/\//i.test(url) ? url : `${origin}/${url}`;
}

function requestHeaders(raw: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  return headers;
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        // Stop buffering; the 413 goes out with `Connection: close` and the rest is discarded.
        req.pause();
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    });
    req.on('error', (error) => {
      if (done) return;
      done = true;
      reject(error);
    });
  });
}

function sendTooLarge(res: ServerResponse, req: IncomingMessage, limit: number): void {
  res.shouldKeepAlive = false;
  sendJson(res, 413, {
    error: `request body is larger than the limit of ${limit} bytes (${req.method ?? 'GET'} ${req.url ?? '/'}); send a smaller body or raise bodyLimitBytes`,
  });
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  const raw: string[] = [];
  let hasLength = false;
  for (const [name, value] of response.headers) {
    if (name === 'set-cookie') continue;
    if (name === 'content-length') hasLength = true;
    raw.push(name, value);
  }
  for (const cookie of response.headers.getSetCookie()) raw.push('set-cookie', cookie);

  let body: Buffer | undefined;
  if (response.body !== null) {
    try {
      body = Buffer.from(await response.arrayBuffer());
    } catch (error) {
      sendJson(res, 500, { error: `handler's response body failed: ${error instanceof Error ? error.message : String(error)}` });
      return;
    }
  }
  if (!hasLength && body !== undefined) raw.push('content-length', String(body.length));
  res.writeHead(response.status, response.statusText || undefined, raw);
  res.end(body);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return `an object (${Object.prototype.toString.call(value)})`;
  return typeof value;
}
