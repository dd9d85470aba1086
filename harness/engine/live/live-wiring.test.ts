/**
 * The pieces together, the way a live run wires them: slots served first,
 * one Toxiproxy proxy per link, contexts that see the proxy URLs, systems
 * attached, a fault schedule, open-model load, and cleanup of everything.
 */
import { describe, expect, it } from 'vitest';
import type { SystemContext } from '../../core/system.ts';
import { withCleanup } from './processes/cleanup.ts';
import { scheduleNetworkFaults } from './faults/fault-schedule.ts';
import { createLiveContext, createWallHistory } from './http/live-context.ts';
import { constantRate, runOpenLoad } from './load/load.ts';
import { serveSystem } from './processes/serve-system.ts';
import { createLinkProxies, findToxiproxyServer, startToxiproxy } from './faults/toxiproxy.ts';

const binary = await findToxiproxyServer();
if (binary === undefined) console.warn('SKIPPED: live wiring test: toxiproxy-server not found; run `bash tools/install-toxiproxy.sh`');

function middleware(ctx: SystemContext) {
  return {
    async handle(request: Request): Promise<Response> {
      const order = (await request.json()) as { ref: string };
      try {
        const answer = await ctx.fetch(`${ctx.urls.odoo}/jsonrpc`, {
          method: 'POST',
          headers: { 'x-correlation-id': order.ref, 'x-attempt': '1' },
          body: JSON.stringify({ method: 'create', ref: order.ref }),
          timeoutMs: 1_000,
        });
        return Response.json({ orderId: ((await answer.json()) as { id: number }).id }, { status: 202 });
      } catch (error) {
        return Response.json({ error: (error as Error).message }, { status: 502 });
      }
    },
  };
}

describe.skipIf(binary === undefined)('live wiring (real Toxiproxy)', () => {
  it('routes a link through Toxiproxy, records its outage in the history and leaves nothing running', async () => {
    const history = createWallHistory();
    let toxiproxyPid: number | undefined;
    const result = await withCleanup(async (cleanup) => {
      let nextId = 0;
      const odooServer = await serveSystem({ handle: async () => Response.json({ id: ++nextId }) });
      cleanup.add('odoo server', () => odooServer.close());

      const toxiproxy = await startToxiproxy({ binary: binary! });
      toxiproxyPid = toxiproxy.pid;
      cleanup.add('toxiproxy', () => toxiproxy.stop(), { onExit: () => toxiproxy.killNow() });
      const [toOdoo] = await createLinkProxies(toxiproxy, [{ name: 'middleware->odoo', upstreamUrl: odooServer.url }]);

      // The middleware learns Odoo's address through its proxy, so it is served only once the proxy exists.
      const middlewareContext = createLiveContext({ name: 'middleware', seed: 1, urls: { odoo: toOdoo!.url }, history });
      cleanup.add('middleware context', () => middlewareContext.close());
      const middlewareServer = await serveSystem(middleware(middlewareContext));
      cleanup.add('middleware server', () => middlewareServer.close());
      const captureContext = createLiveContext({ name: 'capture', seed: 1, urls: { middleware: middlewareServer.url }, history });
      cleanup.add('capture context', () => captureContext.close());

      const schedule = scheduleNetworkFaults({
        links: [toOdoo!],
        history,
        faults: [{ id: 'odoo-outage', link: 'middleware->odoo', fault: { kind: 'down' }, startMs: 200, endMs: 700 }],
      });
      cleanup.add('fault schedule', () => schedule.stop());

      const load = await runOpenLoad({
        profile: constantRate(100, 1_000),
        maxInFlight: 50,
        task: async ({ index }) => {
          const ref = `CAP-${String(index + 1).padStart(6, '0')}`;
          const response = await captureContext.fetch(`${middlewareServer.url}/orders`, {
            method: 'POST',
            headers: { 'x-correlation-id': ref },
            body: JSON.stringify({ ref }),
          });
          await response.arrayBuffer();
          if (response.status !== 202) throw new Error(`middleware answered ${response.status}`);
        },
      });
      await schedule.done;
      return load;
    });

    expect(result.started).toBe(100);
    expect(result.completed).toBeGreaterThan(0);
    expect(result.failed).toBeGreaterThan(0);
    expect(result.errors.map((e) => e.message)).toEqual(['middleware answered 502']);
    const faults = history.toArray().filter((e) => e.kind === 'fault');
    expect(faults.map((e) => e.kind === 'fault' && `${e.fault} ${e.state} ${e.target}`)).toEqual([
      'odoo-outage on middleware->odoo',
      'odoo-outage off middleware->odoo',
    ]);
    const odooCalls = history.toArray().filter((e) => e.kind === 'send' && e.from === 'middleware');
    expect(odooCalls.every((e) => e.kind === 'send' && e.to === 'odoo' && e.corr?.startsWith('CAP-'))).toBe(true);
    // Each failed order is one Odoo call that got no answer: refused while the link was down, or reset as it went down.
    const odooRequests = new Set(odooCalls.map((e) => (e.kind === 'send' ? e.req : -1)));
    const unanswered = history.toArray().filter((e) => (e.kind === 'error' || e.kind === 'timeout') && odooRequests.has(e.req));
    expect(unanswered.length).toBe(result.failed);
    expect(unanswered.filter((e) => e.kind === 'error' && e.reason.includes('ECONNREFUSED')).length).toBeGreaterThan(0);
    expect(toxiproxyPid).toBeDefined();
    expect(() => process.kill(toxiproxyPid!, 0)).toThrow();
  });
});
