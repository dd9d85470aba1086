import { Agent, request as httpRequest } from 'node:http';
import type { IncomingMessage, OutgoingHttpHeaders } from 'node:http';
import type { Clock } from '../../../core/clock.ts';
import type { HistoryWriter, Outcome } from '../../../core/history.ts';
import { HEADERS, NetworkError } from '../../../core/system.ts';
import type { NetworkErrorCode, SystemFetch, SystemRequestInit } from '../../../core/system.ts';

export interface LiveFetchOptions {
  /** Who is calling: the `from` of every `send` event. */
  from: string;
  /** Base URLs of the other systems, to name the `to` of every `send` event. */
  urls: Readonly<Record<string, string>>;
  history: HistoryWriter;
  clock: Clock;
  /** Applied when a call gives no `timeoutMs`. */
  defaultTimeoutMs: number;
  /** Sockets per destination; further calls queue (inside their timeout). */
  maxSockets?: number;
  /** More base URLs naming a destination (a second proxy to the same system, for one path). */
  aliases?: ReadonlyArray<{ name: string; base: string }>;
}

export interface LiveFetch {
  readonly fetch: SystemFetch;
  /** The same call, telling `onSend` the history's request id as soon as the `send` event is written. */
  readonly fetchTraced: (input: Parameters<SystemFetch>[0], init: Parameters<SystemFetch>[1], onSend: (req: number) => void) => Promise<Response>;
  /** Drops pooled keep-alive sockets; calls still in flight fail with a reset. */
  close(): void;
}

/** How a status maps to an outcome in the history: the server answered, so the outcome is known. */
export function outcomeOfStatus(status: number): Outcome {
  return status < 400 ? 'ok' : 'fail';
}

const NO_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * `fetch` for live mode over node:http with a keep-alive pool (global fetch
 * costs about 5x the CPU per request here). It resolves with a standard
 * Response once the whole body has arrived, so the timeout covers slow bodies
 * too (bandwidth and slicer faults), and it never follows redirects. Failures
 * reject with a `NetworkError`; every call leaves send, deliver, response or
 * timeout/error events in the history.
 */
export function createLiveFetch(options: LiveFetchOptions): LiveFetch {
  const { from, history, clock, defaultTimeoutMs } = options;
  checkTimeout(defaultTimeoutMs, 'fetchTimeoutMs');
  const maxSockets = options.maxSockets ?? 512;
  if (!(Number.isInteger(maxSockets) && maxSockets > 0)) throw new RangeError(`fetch: maxSockets must be a positive integer, got ${String(maxSockets)}`);
  // Keep every socket a burst opened: closing the extra ones (Node keeps 256 free) means reconnecting on the next burst.
  const agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'lifo' });
  const names = destinationNames(options.urls, options.aliases ?? []);

  const fetchTraced = async (input: Parameters<SystemFetch>[0], init: Parameters<SystemFetch>[1], onSend?: (req: number) => void): Promise<Response> => {
    const call = await normalise(input, init);
    const timeoutMs = init?.timeoutMs ?? defaultTimeoutMs;
    checkTimeout(timeoutMs, 'timeoutMs');
    const corr = call.headers[HEADERS.correlationId];
    const attemptText = call.headers[HEADERS.attempt];
    const attempt = attemptText === undefined ? undefined : Number(attemptText);
    const req = history.nextRequestId();
    history.append({
      kind: 'send',
      req,
      from,
      to: nameOf(names, call.url),
      method: call.method,
      path: call.url.pathname + call.url.search,
      ...(typeof corr === 'string' ? { corr } : {}),
      ...(attempt !== undefined && Number.isInteger(attempt) ? { attempt } : {}),
    });
    onSend?.(req);
    try {
      // The caller cannot see the server take the request; the head of its answer is the earliest proof.
      const answer = await send(agent, clock, call, timeoutMs, init?.signal ?? undefined, () => history.append({ kind: 'deliver', req }));
      history.append({ kind: 'response', req, status: answer.status, outcome: outcomeOfStatus(answer.status) });
      return answer;
    } catch (error) {
      if (!(error instanceof NetworkError)) {
        history.append({ kind: 'error', req, outcome: 'fail', reason: error instanceof Error ? error.message : String(error) });
        throw error;
      }
      history.append({
        kind: error.code === 'timeout' ? 'timeout' : 'error',
        req,
        outcome: error.maybeProcessed ? 'unknown' : 'fail',
        reason: error.message,
      });
      throw error;
    }
  };

  const fetch: SystemFetch = (input, init) => fetchTraced(input, init);
  return { fetch, fetchTraced, close: () => agent.destroy() };
}

interface NormalisedCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: Buffer | undefined;
}

async function normalise(input: string | URL | Request, init: SystemRequestInit | undefined): Promise<NormalisedCall> {
  let url: URL;
  let method = init?.method;
  const headers: Record<string, string> = {};
  let body: Buffer | undefined;
  if (input instanceof Request) {
    url = new URL(input.url);
    method ??= input.method;
    for (const [name, value] of input.headers) headers[name] = value;
    if (init?.body === undefined && input.body !== null) body = Buffer.from(await input.arrayBuffer());
  } else {
    try {
      url = new URL(input);
    } catch {
      throw new TypeError(`fetch: ${JSON.stringify(String(input))} is not an absolute URL; build it from context.urls, e.g. \`\${context.urls.odoo}/jsonrpc\``);
    }
  }
  if (url.protocol !== 'http:') {
    throw new TypeError(`fetch: only http: URLs are served in live mode, got ${url.protocol} in ${url.href}`);
  }
  method = (method ?? 'GET').toUpperCase();
  if (init?.headers !== undefined) copyHeaders(init.headers, headers);

  if (init?.body !== undefined && init.body !== null) {
    const encoded = await encodeBody(init.body, url, headers);
    body = encoded;
  }
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw new TypeError(`fetch: a ${method} request cannot have a body (${url.href}); use POST or drop the body`);
  }
  if (body !== undefined) headers['content-length'] = String(body.length);
  return { url, method, headers, body };
}

function copyHeaders(source: HeadersInit, target: Record<string, string>): void {
  if (source instanceof Headers) {
    for (const [name, value] of source) target[name] = value;
  } else if (Array.isArray(source)) {
    for (const [name, value] of source) target[name!.toLowerCase()] = value!;
  } else {
    for (const name of Object.keys(source)) target[name.toLowerCase()] = (source as Record<string, string>)[name]!;
  }
}

async function encodeBody(body: BodyInit, url: URL, headers: Record<string, string>): Promise<Buffer> {
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain;charset=UTF-8';
    return Buffer.from(body, 'utf8');
  }
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return Buffer.from(body.toString(), 'utf8');
  }
  // Blobs, form data and streams are rare here: let the platform encode them (and pick a multipart boundary).
  const request = new Request(url, { method: 'POST', body, duplex: 'half' } as RequestInit);
  const type = request.headers.get('content-type');
  if (type !== null) headers['content-type'] ??= type;
  return Buffer.from(await request.arrayBuffer());
}

function send(
  agent: Agent,
  clock: Clock,
  call: NormalisedCall,
  timeoutMs: number,
  signal: AbortSignal | undefined,
  onAnswerHead: () => void,
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const target = `${call.method} ${call.url.href}`;
    let sent = false;
    let settled = false;
    const finish = (error: NetworkError | undefined, response?: Response) => {
      if (settled) return;
      settled = true;
      cancelTimer();
      signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        request.destroy();
        reject(error);
      } else {
        resolve(response!);
      }
    };
    const onAbort = () => finish(new NetworkError('aborted', `${target} aborted by the caller`, sent));
    if (signal?.aborted === true) {
      reject(new NetworkError('aborted', `${target} aborted by the caller before it was sent`, false));
      return;
    }

    const request = httpRequest(
      {
        agent,
        protocol: 'http:',
        hostname: call.url.hostname.replace(/^\[|\]$/g, ''),
        port: call.url.port === '' ? 80 : Number(call.url.port),
        path: call.url.pathname + call.url.search,
        method: call.method,
        headers: call.headers as OutgoingHttpHeaders,
      },
      (res) => {
        if (!settled) onAnswerHead();
        readAll(res).then(
          (bytes) => finish(undefined, toResponse(res, bytes, call.url.href)),
          (error: NodeJS.ErrnoException) => finish(mapError(error, target, true)),
        );
      },
    );
    const cancelTimer = clock.setTimer(timeoutMs, () => {
      finish(new NetworkError('timeout', `${target} got no complete answer within ${timeoutMs} ms`, sent));
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    request.on('finish', () => {
      sent = true;
    });
    request.on('error', (error: NodeJS.ErrnoException) => finish(mapError(error, target, sent)));
    request.end(call.body);
  });
}

function readAll(res: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    res.on('error', reject);
    // A body cut short by the peer ends with 'aborted'/'close' rather than 'end'.
    res.on('close', () => {
      if (!res.complete) reject(Object.assign(new Error('the connection closed before the answer was complete'), { code: 'ECONNRESET' }));
    });
  });
}

function toResponse(res: IncomingMessage, bytes: Buffer, url: string): Response {
  const headers = new Headers();
  const raw = res.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i]!, raw[i + 1]!);
  const status = res.statusCode ?? 0;
  const response = new Response(NO_BODY_STATUSES.has(status) ? null : (bytes as Uint8Array<ArrayBuffer>), {
    status,
    statusText: res.statusMessage ?? '',
    headers,
  });
  Object.defineProperty(response, 'url', { value: url });
  return response;
}

function mapError(error: NodeJS.ErrnoException, target: string, sent: boolean): NetworkError {
  const code = error.code ?? '';
  let kind: NetworkErrorCode;
  let maybeProcessed = sent;
  if (
    code === 'ECONNREFUSED' ||
    code === 'ENOTFOUND' ||
    code === 'EAI_AGAIN' ||
    code === 'EHOSTUNREACH' ||
    code === 'ENETUNREACH' ||
    code === 'EADDRNOTAVAIL'
  ) {
    kind = 'refused';
    maybeProcessed = false;
  } else if (code === 'ETIMEDOUT') {
    kind = 'timeout';
  } else {
    // ECONNRESET, EPIPE, "socket hang up", a malformed answer: the connection broke.
    kind = 'reset';
  }
  const detail = code === '' ? error.message : `${code}: ${error.message}`;
  return new NetworkError(kind, `${target} failed (${detail})`, maybeProcessed);
}

function checkTimeout(value: number, name: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new RangeError(`fetch: ${name} must be a positive number of milliseconds, got ${String(value)}; every network call needs a timeout`);
  }
}

interface NamedBase {
  name: string;
  base: string;
}

function destinationNames(urls: Readonly<Record<string, string>>, aliases: ReadonlyArray<{ name: string; base: string }>): NamedBase[] {
  const bases: NamedBase[] = [];
  for (const [name, value] of Object.entries(urls)) {
    const url = URL.parse(value);
    if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new TypeError(`urls.${name} is not an absolute http URL: ${JSON.stringify(value)}; give a base URL such as http://127.0.0.1:8069`);
    }
    bases.push({ name, base: (url.origin + url.pathname).replace(/\/+$/, '') });
  }
  for (const alias of aliases) bases.push({ name: alias.name, base: alias.base.replace(/\/+$/, '') });
  // Longest base first, so a system mounted under a path wins over one at the origin.
  return bases.sort((a, b) => b.base.length - a.base.length);
}

function nameOf(bases: NamedBase[], url: URL): string {
  const href = url.origin + url.pathname;
  for (const { name, base } of bases) {
    if (href === base || href.startsWith(base + '/')) return name;
  }
  return url.host;
}
