import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NetworkError } from '../../../core/system.ts';
import { scheduleNetworkFaults } from './fault-schedule.ts';
import { createLiveContext, createWallHistory } from '../http/live-context.ts';
import { serveSystem } from '../processes/serve-system.ts';
import type { ServedSystem } from '../processes/serve-system.ts';
import { createLinkProxies, findToxiproxyServer, startToxiproxy, toxicFor, ToxiproxyMissingError } from './toxiproxy.ts';
import type { LinkProxy, ToxiproxyServer } from './toxiproxy.ts';
import { monotonicMs } from '../../../core/wall-clock.ts';

describe('toxicFor', () => {
  it('maps each network fault to the Toxiproxy toxic with its attributes', () => {
    expect(toxicFor({ kind: 'latency', latencyMs: 200, jitterMs: 50 })).toEqual({
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: 200, jitter: 50 },
    });
    expect(toxicFor({ kind: 'bandwidth', rateKBps: 10, direction: 'upstream' })).toEqual({
      type: 'bandwidth',
      stream: 'upstream',
      toxicity: 1,
      attributes: { rate: 10 },
    });
    expect(toxicFor({ kind: 'slow_close', delayMs: 300 })?.attributes).toEqual({ delay: 300 });
    expect(toxicFor({ kind: 'timeout', timeoutMs: 0 })?.attributes).toEqual({ timeout: 0 });
    expect(toxicFor({ kind: 'reset_peer', toxicity: 0.5 })).toMatchObject({ type: 'reset_peer', toxicity: 0.5, attributes: { timeout: 0 } });
    expect(toxicFor({ kind: 'slicer', averageSizeBytes: 64, sizeVariationBytes: 16, delayMicros: 100 })?.attributes).toEqual({
      average_size: 64,
      size_variation: 16,
      delay: 100,
    });
    expect(toxicFor({ kind: 'limit_data', bytes: 1000 })?.attributes).toEqual({ bytes: 1000 });
    expect(toxicFor({ kind: 'down' })).toBeUndefined();
  });

  it('refuses a fault it cannot express, saying which field is wrong', () => {
    expect(() => toxicFor({ kind: 'latency', latencyMs: -1 })).toThrow(/latencyMs must be a non-negative number of milliseconds/);
    expect(() => toxicFor({ kind: 'bandwidth', rateKBps: 0 })).toThrow(/rateKBps must be an integer >= 1/);
    expect(() => toxicFor({ kind: 'latency', latencyMs: 1, toxicity: 2 })).toThrow(/toxicity must be between 0 and 1/);
    expect(() => toxicFor({ kind: 'latency', latencyMs: 1, direction: 'sideways' as never })).toThrow(/direction must be "upstream"/);
    expect(() => toxicFor({ kind: 'jam' } as never)).toThrow(/unknown network fault kind "jam"; use one of latency/);
  });
});

describe('startToxiproxy without Toxiproxy installed', () => {
  it('says what to install', async () => {
    const error = await startToxiproxy({ env: { PATH: '/nonexistent', HOME: '/nonexistent' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToxiproxyMissingError);
    expect((error as Error).message).toMatch(/tools\/install-toxiproxy\.sh.*TOXIPROXY_URL/s);
  });

  it('says when TOXIPROXY_URL points at nothing', async () => {
    await expect(startToxiproxy({ url: 'http://127.0.0.1:9', startTimeoutMs: 300 })).rejects.toThrow(/TOXIPROXY_URL=http:\/\/127\.0\.0\.1:9 does not answer/);
  });
});

const binary = await findToxiproxyServer();
if (binary === undefined) console.warn('SKIPPED: Toxiproxy tests against the real server: toxiproxy-server not found; run `bash tools/install-toxiproxy.sh`');

describe.skipIf(binary === undefined)('Toxiproxy links (real server)', () => {
  let server: ToxiproxyServer;
  let upstream: ServedSystem;
  let received = 0;
  const contexts: { close(): void }[] = [];

  beforeAll(async () => {
    server = await startToxiproxy({ binary: binary! });
    upstream = await serveSystem({
      handle: async (request) => {
        received++;
        const path = new URL(request.url).pathname;
        if (path === '/big') return new Response('x'.repeat(20_000));
        return Response.json({ path, body: await request.text() });
      },
    });
  });
  afterAll(async () => {
    for (const ctx of contexts) ctx.close();
    await server?.stop();
    await upstream?.close();
  });

  function caller(history = createWallHistory()) {
    const ctx = createLiveContext({ name: 'middleware', seed: 1, urls: {}, history, fetchTimeoutMs: 3_000 });
    contexts.push(ctx);
    return ctx;
  }

  let counter = 0;
  async function link(): Promise<LinkProxy> {
    const [proxy] = await createLinkProxies(server, [{ name: `middleware->odoo-${++counter}`, upstreamUrl: upstream.url }]);
    return proxy!;
  }

  it('starts a managed server on a free loopback port', () => {
    expect(server.managed).toBe(true);
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('forwards requests through a proxy with no toxics unchanged', async () => {
    const proxy = await link();
    expect(proxy.url).not.toBe(upstream.url);
    const response = await caller().fetch(`${proxy.url}/orders`, { method: 'POST', body: 'hello' });
    expect(await response.json()).toEqual({ path: '/orders', body: 'hello' });
  });

  it('adds at least the configured latency while the fault is on, and none after', async () => {
    const proxy = await link();
    const ctx = caller();
    await proxy.applyFault('slow-odoo', { kind: 'latency', latencyMs: 300 });
    const started = monotonicMs();
    await (await ctx.fetch(`${proxy.url}/x`)).text();
    expect(monotonicMs() - started).toBeGreaterThanOrEqual(290);
    await proxy.removeFault('slow-odoo');
    expect(proxy.activeFaults()).toEqual([]);
  });

  it('takes a link down (connection refused) and brings it back', async () => {
    const proxy = await link();
    const ctx = caller();
    await proxy.applyFault('outage', { kind: 'down' });
    const error = await ctx.fetch(`${proxy.url}/x`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('refused');
    expect((error as NetworkError).maybeProcessed).toBe(false);
    await proxy.removeFault('outage');
    expect((await ctx.fetch(`${proxy.url}/x`)).status).toBe(200);
  });

  it('turns a held answer into a timeout the caller sees as maybe processed (the duplicate-making case)', async () => {
    const proxy = await link();
    const history = createWallHistory();
    const ctx = caller(history);
    await proxy.applyFault('black-hole', { kind: 'timeout', timeoutMs: 0 });
    const before = received;
    const error = (await ctx.fetch(`${proxy.url}/orders`, { method: 'POST', body: '{}', timeoutMs: 400 }).catch((e: unknown) => e)) as NetworkError;
    expect(error.code).toBe('timeout');
    expect(error.maybeProcessed).toBe(true);
    expect(received).toBe(before + 1);
    expect(history.toArray().at(-1)).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
    await proxy.removeFault('black-hole');
  });

  it('resets connections with reset_peer', async () => {
    const proxy = await link();
    await proxy.applyFault('rst', { kind: 'reset_peer', timeoutMs: 0 });
    const error = (await caller()
      .fetch(`${proxy.url}/x`, { method: 'POST', body: 'a' })
      .catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('reset');
    await proxy.removeFault('rst');
  });

  it('cuts an answer short with limit_data', async () => {
    const proxy = await link();
    await proxy.applyFault('cut', { kind: 'limit_data', bytes: 1_000 });
    const history = createWallHistory();
    const error = (await caller(history)
      .fetch(`${proxy.url}/big`)
      .catch((e: unknown) => e)) as NetworkError;
    expect(error).toBeInstanceOf(NetworkError);
    expect(error.code).toBe('reset');
    expect(error.maybeProcessed).toBe(true);
    // The head of the answer came through, so the request was delivered; the answer itself was lost.
    expect(history.toArray().map((e) => e.kind)).toEqual(['send', 'deliver', 'error']);
    await proxy.removeFault('cut');
  });

  it('delivers a sliced answer whole', async () => {
    const proxy = await link();
    await proxy.applyFault('slices', { kind: 'slicer', averageSizeBytes: 500, sizeVariationBytes: 100, delayMicros: 10 });
    expect((await (await caller().fetch(`${proxy.url}/big`)).text()).length).toBe(20_000);
    await proxy.removeFault('slices');
  });

  it('still delivers whole answers under bandwidth and slow_close faults', async () => {
    const proxy = await link();
    await proxy.applyFault('thin-pipe', { kind: 'bandwidth', rateKBps: 2_000 });
    await proxy.applyFault('lingering', { kind: 'slow_close', delayMs: 50 });
    expect(proxy.activeFaults()).toEqual(['thin-pipe', 'lingering']);
    expect((await (await caller().fetch(`${proxy.url}/big`)).text()).length).toBe(20_000);
    await proxy.removeFault('thin-pipe');
    await proxy.removeFault('lingering');
  });

  it('keeps a link down until the last of two overlapping outages ends', async () => {
    const proxy = await link();
    const ctx = caller();
    await proxy.applyFault('outage-a', { kind: 'down' });
    await proxy.applyFault('outage-b', { kind: 'down' });
    await proxy.removeFault('outage-a');
    expect(((await ctx.fetch(`${proxy.url}/x`).catch((e: unknown) => e)) as NetworkError).code).toBe('refused');
    await proxy.removeFault('outage-b');
    expect((await ctx.fetch(`${proxy.url}/x`)).status).toBe(200);
  });

  it('says what to do when a proxy with the link’s name already exists', async () => {
    const proxy = await link();
    await expect(createLinkProxies(server, [{ name: proxy.name, upstreamUrl: upstream.url }])).rejects.toThrow(/already exists .*toxiproxy-cli delete/);
  });

  it('refuses to switch the same fault on twice', async () => {
    const proxy = await link();
    await proxy.applyFault('dup', { kind: 'latency', latencyMs: 1 });
    await expect(proxy.applyFault('dup', { kind: 'latency', latencyMs: 1 })).rejects.toThrow(/already on/);
    await proxy.removeFault('dup');
  });

  it('switches faults on and off on a schedule and records both in the history', async () => {
    const proxy = await link();
    const history = createWallHistory();
    const schedule = scheduleNetworkFaults({
      links: [proxy],
      history,
      faults: [
        { id: 'blip', link: proxy.name, fault: { kind: 'down' }, startMs: 0, endMs: 100 },
        { id: 'lag', link: proxy.name, fault: { kind: 'latency', latencyMs: 5 }, startMs: 50 },
      ],
    });
    await schedule.done;
    expect(proxy.activeFaults()).toEqual(['lag']);
    await schedule.stop();
    expect(proxy.activeFaults()).toEqual([]);
    expect(schedule.errors).toEqual([]);
    const faults = history
      .toArray()
      .filter((e) => e.kind === 'fault')
      .map((e) => e.kind === 'fault' && `${e.fault}:${e.state}:${e.target}`);
    expect(faults).toEqual([`blip:on:${proxy.name}`, `lag:on:${proxy.name}`, `blip:off:${proxy.name}`, `lag:off:${proxy.name}`]);
  });

  it('refuses a schedule naming a link that has no proxy', async () => {
    const proxy = await link();
    expect(() =>
      scheduleNetworkFaults({ links: [proxy], history: createWallHistory(), faults: [{ id: 'x', link: 'nowhere', fault: { kind: 'down' }, startMs: 0 }] }),
    ).toThrow(/targets link "nowhere", which has no proxy; known links: middleware->odoo/);
  });

  it('uses a running server given by URL and removes only the proxies it created', async () => {
    const external = await startToxiproxy({ url: server.url });
    expect(external.managed).toBe(false);
    const [proxy] = await createLinkProxies(external, [{ name: 'external-link', upstreamUrl: upstream.url }]);
    expect((await caller().fetch(`${proxy!.url}/x`)).status).toBe(200);
    await external.stop();
    const names = Object.keys(await server.client.getAll());
    expect(names).not.toContain('external-link');
    expect(names).toContain('middleware->odoo-1');
  });
});
