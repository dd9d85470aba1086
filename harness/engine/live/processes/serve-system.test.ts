import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { System } from '../../../core/system.ts';
import { serveSystem } from './serve-system.ts';
import type { ServedSystem } from './serve-system.ts';

const served: ServedSystem[] = [];
afterEach(async () => {
  await Promise.all(served.splice(0).map((s) => s.close()));
});

async function serve(handle: System['handle'], options: Parameters<typeof serveSystem>[1] = {}): Promise<ServedSystem> {
  const s = await serveSystem({ handle }, options);
  served.push(s);
  return s;
}

/** A raw node:http call, so the tests do not depend on the code under test to read answers. */
function call(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method ?? 'GET', headers: init.headers, timeout: 5_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('test call timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}

describe('serveSystem', () => {
  it('hands the handler a standard Request with method, path, query, headers and body', async () => {
    let seen: { method: string; url: string; corr: string | null; body: string } | undefined;
    const s = await serve(async (request) => {
      seen = { method: request.method, url: request.url, corr: request.headers.get('x-correlation-id'), body: await request.text() };
      return Response.json({ ok: true }, { status: 202 });
    });
    const answer = await call(`${s.url}/orders?x=1`, {
      method: 'POST',
      headers: { 'x-correlation-id': 'CAP-000001', 'content-type': 'application/json' },
      body: '{"ref":"CAP-000001"}',
    });
    expect(answer.status).toBe(202);
    expect(JSON.parse(answer.body)).toEqual({ ok: true });
    expect(answer.headers['content-type']).toContain('application/json');
    expect(seen).toEqual({ method: 'POST', url: `${s.url}/orders?x=1`, corr: 'CAP-000001', body: '{"ref":"CAP-000001"}' });
  });

  it('listens on a free loopback port when none is given', async () => {
    const s = await serve(async () => new Response('hi'));
    expect(s.url).toBe(`http://127.0.0.1:${s.port}`);
    expect(s.port).toBeGreaterThan(0);
    expect((await call(s.url)).body).toBe('hi');
  });

  it('answers 500 with the message when the handler throws, and keeps serving', async () => {
    const s = await serve(async (request) => {
      if (new URL(request.url).pathname === '/boom') throw new Error('ledger exploded');
      return new Response('fine');
    });
    const failed = await call(`${s.url}/boom`);
    expect(failed.status).toBe(500);
    expect(JSON.parse(failed.body).error).toContain('ledger exploded');
    expect((await call(`${s.url}/ok`)).body).toBe('fine');
  });

  it('answers 500 when the handler returns something that is not a Response', async () => {
    const s = await serve((async () => ({ status: 200 })) as unknown as System['handle']);
    const answer = await call(s.url);
    expect(answer.status).toBe(500);
    expect(JSON.parse(answer.body).error).toMatch(/instead of a Response/);
  });

  it('rejects a body over the limit with a 413 that says what to do, without calling the handler', async () => {
    let calls = 0;
    const s = await serve(
      async () => {
        calls++;
        return new Response('ok');
      },
      { bodyLimitBytes: 100 },
    );
    const declared = await call(`${s.url}/orders`, { method: 'POST', body: 'x'.repeat(101) });
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error).toMatch(/larger than the limit of 100 bytes.*bodyLimitBytes/);
    const chunked = await call(`${s.url}/orders`, { method: 'POST', headers: { 'transfer-encoding': 'chunked' }, body: 'x'.repeat(5_000) });
    expect(chunked.status).toBe(413);
    const fits = await call(`${s.url}/orders`, { method: 'POST', body: 'x'.repeat(100) });
    expect(fits.status).toBe(200);
    expect(calls).toBe(1);
  });

  it('passes response status, headers and every set-cookie through', async () => {
    const s = await serve(async () => {
      const headers = new Headers({ 'x-attempt': '2' });
      headers.append('set-cookie', 'a=1');
      headers.append('set-cookie', 'b=2');
      return new Response(null, { status: 204, headers });
    });
    const answer = await call(s.url);
    expect(answer.status).toBe(204);
    expect(answer.headers['x-attempt']).toBe('2');
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    expect(answer.body).toBe('');
  });

  it('keeps connections alive between requests', async () => {
    const ports = new Set<number>();
    const s = await serve(async () => new Response('k'));
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(s.url, { agent, timeout: 5_000 }, (res) => {
            ports.add(res.socket.localPort ?? -1);
            res.resume();
            res.on('end', resolve);
          });
          req.on('error', reject);
          req.end();
        });
      }
    } finally {
      agent.destroy();
    }
    expect(ports.size).toBe(1);
  });

  it('closes with keep-alive connections open', async () => {
    const s = await serveSystem({ handle: async () => new Response('x') });
    const { Agent } = await import('node:http');
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      httpRequest(s.url, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end();
    });
    await s.close();
    agent.destroy();
    await expect(call(s.url)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('refuses bad options with a message saying what to pass', async () => {
    await expect(serveSystem({ handle: async () => new Response() }, { port: 70000 })).rejects.toThrow(/port must be an integer in 0\.\.65535/);
    await expect(serveSystem({ handle: async () => new Response() }, { bodyLimitBytes: -1 })).rejects.toThrow(/bodyLimitBytes/);
    await expect(serveSystem({} as System)).rejects.toThrow(/handle\(request\)/);
  });

  it('says the port is taken when it is', async () => {
    const s = await serve(async () => new Response());
    await expect(serveSystem({ handle: async () => new Response() }, { port: s.port })).rejects.toThrow(/port is taken/);
  });
});
