import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { History } from '../../../core/history.ts';
import { NetworkError } from '../../../core/system.ts';
import { createLiveContext, createWallHistory } from './live-context.ts';
import type { LiveSystemContext } from './live-context.ts';
import { serveSystem } from '../processes/serve-system.ts';
import type { ServedSystem } from '../processes/serve-system.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(handle: (request: Request) => Promise<Response>): Promise<ServedSystem> {
  const s = await serveSystem({ handle });
  cleanups.push(() => s.close());
  return s;
}

function context(urls: Record<string, string>, history = createWallHistory(), fetchTimeoutMs?: number): LiveSystemContext {
  const ctx = createLiveContext({
    name: 'middleware',
    seed: 7,
    urls,
    config: { retries: 3 },
    history,
    ...(fetchTimeoutMs !== undefined ? { fetchTimeoutMs } : {}),
  });
  cleanups.push(() => ctx.close());
  return ctx;
}

async function freePortNobodyListensOn(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function rejection(promise: Promise<unknown>): Promise<NetworkError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof NetworkError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

describe('createLiveContext', () => {
  it('gives a live context with the wall clock, a seeded rng and frozen urls and config', () => {
    const ctx = context({ odoo: 'http://127.0.0.1:1' });
    expect(ctx.mode).toBe('live');
    expect(ctx.name).toBe('middleware');
    expect(Math.abs(ctx.clock.now() - Date.now())).toBeLessThan(1_000);
    expect(ctx.config).toEqual({ retries: 3 });
    expect(Object.isFrozen(ctx.urls)).toBe(true);
    const again = createLiveContext({ name: 'middleware', seed: 7, urls: {}, history: createWallHistory() });
    expect([ctx.rng.next(), ctx.rng.next()]).toEqual([again.rng.next(), again.rng.next()]);
    again.close();
  });

  it('refuses a missing history or a bad seed with a message saying what to pass', () => {
    expect(() => createLiveContext({ name: 'x', seed: 1.5, urls: {}, history: createWallHistory() })).toThrow(/seed must be an integer/);
    expect(() => createLiveContext({ name: 'x', seed: 1, urls: {}, history: undefined as never })).toThrow(/createWallHistory/);
    expect(() => createLiveContext({ name: 'x', seed: 1, urls: { odoo: 'localhost:8069' }, history: createWallHistory() })).toThrow(
      /urls\.odoo is not an absolute http URL/,
    );
  });
});

describe('live fetch', () => {
  it('returns a standard Response and records send, deliver and response with correlation id and attempt', async () => {
    const odoo = await serve(async (request) =>
      Response.json({ echoed: await request.json(), corr: request.headers.get('x-correlation-id') }, { status: 201, headers: { 'x-extra': 'yes' } }),
    );
    const history = createWallHistory();
    const ctx = context({ odoo: odoo.url }, history);
    const response = await ctx.fetch(`${odoo.url}/jsonrpc?db=x`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'X-Correlation-Id': 'CAP-000042', 'x-attempt': '2' },
      body: JSON.stringify({ a: 1 }),
      timeoutMs: 2_000,
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(201);
    expect(response.headers.get('x-extra')).toBe('yes');
    expect(response.url).toBe(`${odoo.url}/jsonrpc?db=x`);
    expect(await response.json()).toEqual({ echoed: { a: 1 }, corr: 'CAP-000042' });
    const events = history.toArray().map(({ t: _t, ...rest }) => rest);
    expect(events).toEqual([
      { seq: 0, kind: 'send', req: 1, from: 'middleware', to: 'odoo', method: 'POST', path: '/jsonrpc?db=x', corr: 'CAP-000042', attempt: 2 },
      { seq: 1, kind: 'deliver', req: 1 },
      { seq: 2, kind: 'response', req: 1, status: 201, outcome: 'ok' },
    ]);
  });

  it('accepts a Request as input and records an error status as a failed outcome', async () => {
    const s = await serve(async (request) => new Response(`${request.method} ${await request.text()}`, { status: 503 }));
    const history = new History(() => 0);
    const ctx = context({ payment: s.url }, history);
    const response = await ctx.fetch(new Request(`${s.url}/payments`, { method: 'PUT', body: 'hello' }));
    expect(await response.text()).toBe('PUT hello');
    expect(history.toArray().at(-1)).toMatchObject({ kind: 'response', status: 503, outcome: 'fail' });
    expect(history.toArray()[0]).toMatchObject({ to: 'payment', path: '/payments' });
  });

  it('sends form, blob and stream bodies with the content type fetch would give them', async () => {
    const s = await serve(async (request) => Response.json({ type: request.headers.get('content-type'), body: await request.text() }));
    const ctx = context({});
    const form = await (await ctx.fetch(`${s.url}/f`, { method: 'POST', body: new URLSearchParams({ a: '1', b: 'x y' }) })).json();
    expect(form).toEqual({ type: 'application/x-www-form-urlencoded;charset=UTF-8', body: 'a=1&b=x+y' });
    const blob = await (await ctx.fetch(`${s.url}/b`, { method: 'POST', body: new Blob(['{"k":1}'], { type: 'application/json' }) })).json();
    expect(blob).toEqual({ type: 'application/json', body: '{"k":1}' });
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('chunk-1,'));
        controller.enqueue(new TextEncoder().encode('chunk-2'));
        controller.close();
      },
    });
    const streamed = await (await ctx.fetch(`${s.url}/s`, { method: 'POST', body: stream, headers: { 'content-type': 'text/csv' } })).json();
    expect(streamed).toEqual({ type: 'text/csv', body: 'chunk-1,chunk-2' });
  });

  it('answers HEAD without a body', async () => {
    const s = await serve(async () => new Response('ignored for HEAD', { headers: { 'x-ok': '1' } }));
    const response = await context({}).fetch(s.url, { method: 'HEAD' });
    expect(response.headers.get('x-ok')).toBe('1');
    expect(await response.text()).toBe('');
  });

  it('names an unknown destination by host and port', async () => {
    const s = await serve(async () => new Response('x'));
    const history = createWallHistory();
    await (await context({}, history).fetch(s.url)).text();
    expect(history.toArray()[0]).toMatchObject({ kind: 'send', to: `127.0.0.1:${s.port}` });
  });

  it('times out a call that gets no answer: code timeout, maybe processed, outcome unknown', async () => {
    let received = 0;
    const s = await serve(() => {
      received++;
      return new Promise<Response>(() => {});
    });
    const history = createWallHistory();
    const ctx = context({ logistics: s.url }, history);
    const error = await rejection(ctx.fetch(`${s.url}/shipments`, { method: 'POST', body: '{}', timeoutMs: 150 }));
    expect(error.code).toBe('timeout');
    expect(error.maybeProcessed).toBe(true);
    expect(error.message).toMatch(/POST .*\/shipments got no complete answer within 150 ms/);
    expect(received).toBe(1);
    expect(history.toArray().map((e) => e.kind)).toEqual(['send', 'timeout']);
    expect(history.toArray()[1]).toMatchObject({ outcome: 'unknown' });
  });

  it('applies the context default timeout when a call gives none', async () => {
    const s = await serve(() => new Promise<Response>(() => {}));
    const error = await rejection(context({}, createWallHistory(), 100).fetch(s.url));
    expect(error.code).toBe('timeout');
  });

  it('maps a refused connection to code refused, certainly not processed, outcome fail', async () => {
    const port = await freePortNobodyListensOn();
    const history = createWallHistory();
    const error = await rejection(context({}, history).fetch(`http://127.0.0.1:${port}/orders`, { timeoutMs: 2_000 }));
    expect(error.code).toBe('refused');
    expect(error.maybeProcessed).toBe(false);
    expect(history.toArray().map((e) => [e.kind, (e as { outcome?: string }).outcome])).toEqual([
      ['send', undefined],
      ['error', 'fail'],
    ]);
  });

  it('maps a connection the server drops after reading the request to code reset, maybe processed', async () => {
    const server = createServer((socket) => {
      socket.once('data', () => socket.resetAndDestroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const port = (server.address() as { port: number }).port;
    const history = createWallHistory();
    const error = await rejection(context({}, history).fetch(`http://127.0.0.1:${port}/orders`, { method: 'POST', body: 'x', timeoutMs: 2_000 }));
    expect(error.code).toBe('reset');
    expect(error.maybeProcessed).toBe(true);
    expect(history.toArray()[1]).toMatchObject({ kind: 'error', outcome: 'unknown' });
  });

  it('stops a call when the caller aborts it', async () => {
    const s = await serve(() => new Promise<Response>(() => {}));
    const controller = new AbortController();
    const pending = context({}).fetch(s.url, { signal: controller.signal, timeoutMs: 5_000 });
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(pending);
    expect(error.code).toBe('aborted');
  });

  it('refuses calls it cannot make with a message saying what to do', async () => {
    const ctx = context({});
    await expect(ctx.fetch('/relative')).rejects.toThrow(/not an absolute URL; build it from context.urls/);
    await expect(ctx.fetch('https://127.0.0.1:1/')).rejects.toThrow(/only http: URLs/);
    await expect(ctx.fetch('http://127.0.0.1:1/', { timeoutMs: 0 })).rejects.toThrow(/timeoutMs must be a positive number/);
    await expect(ctx.fetch('http://127.0.0.1:1/', { body: 'x' })).rejects.toThrow(/GET request cannot have a body/);
  });

  it('reuses a keep-alive connection across calls', async () => {
    const s = await serve(async () => new Response('ok'));
    // A counting TCP relay in front of the server shows how many connections the client opened.
    const net = await import('node:net');
    const sockets = new Set<import('node:net').Socket>();
    let connections = 0;
    const relay = net.createServer((socket) => {
      connections++;
      const upstream = net.connect(s.port, '127.0.0.1');
      sockets.add(socket).add(upstream);
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          relay.close(() => resolve());
        }),
    );
    const port = (relay.address() as { port: number }).port;
    const ctx = context({});
    for (let i = 0; i < 5; i++) await (await ctx.fetch(`http://127.0.0.1:${port}/`, { timeoutMs: 2_000 })).text();
    expect(connections).toBe(1);
  });
});
