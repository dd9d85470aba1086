/**
 * Whole live runs against a real Toxiproxy: a tiny scenario end to end, the
 * duplicate a lost response causes in the naive design (as in sim mode), and
 * cleanup that leaves no server, proxy or process behind.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SystemFactory } from '../../core/system.ts';
import { resolveMiddleware } from '../resolve-middleware.ts';
import type { RunOptions } from '../../run/run-options.ts';
import { runScenario } from '../run-scenario.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { findToxiproxyServer } from './faults/toxiproxy.ts';

const binary = await findToxiproxyServer();
if (binary === undefined) console.warn('SKIPPED: live runs: toxiproxy-server not found; run `bash tools/install-toxiproxy.sh`');

/** The capture platform runs on real time: give up on an answer within seconds, not the default 10 s. */
const QUICK = { capture: { retry: { timeoutMs: 1_500, attempts: 2, initialBackoffMs: 200 } } };
/** One virtual hour of parcel steps in one real second. */
const TIME_SCALE = 1 / 3600;

function tiny(name: string, faults: Scenario['faults']): Scenario {
  return {
    name,
    description: 'a few orders on a quick clock',
    seed: 5,
    orders: { count: 4, ratePerSecond: 8 },
    systems: QUICK,
    faults,
    budget: { settleMs: 1_500 },
  };
}

async function options(middleware: string, mode: 'sim' | 'live' = 'live'): Promise<RunOptions> {
  return {
    mode,
    odoo: 'emulated',
    middleware: await resolveMiddleware(middleware, process.cwd()),
    middlewareArg: middleware,
    ...(mode === 'live' && { live: { timeScale: TIME_SCALE, timeoutMs: 60_000 } }),
  };
}

/** Processes whose parent is this test process (Toxiproxy, a user's middleware). */
function childProcesses(): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.push(Number(entry));
    } catch {
      // the process went away while we looked
    }
  }
  return children;
}

function listeningServers(): number {
  return process.getActiveResourcesInfo().filter((kind) => kind === 'TCPServerWrap').length;
}

/** A closed server's handle is released on a later turn of the event loop: give it a few turns, no more. */
async function serversAfterClose(baseline: number): Promise<number> {
  for (let turn = 0; turn < 20 && listeningServers() > baseline; turn++) await new Promise((resolve) => setImmediate(resolve));
  return listeningServers();
}

describe.skipIf(binary === undefined)('runLive (real Toxiproxy)', () => {
  it('runs a tiny scenario with a latency fault to a pass with the resilient middleware', async () => {
    const scenario = tiny('tiny-latency', [{ link: { from: 'middleware', to: 'odoo' }, kind: 'latency', meanMs: 30, jitterMs: 10 }]);
    const result = await runScenario(scenario, await options('resilient'));

    expect(result.mode).toBe('live');
    expect(result.invariants.filter((v) => v.verdict !== 'pass').map((v) => `${v.name}: ${v.summary}`)).toEqual([]);
    expect(result.verdict).toBe('pass');
    expect(result.stats.orders).toBe(4);
    expect(result.stats.quiescent).toBe(true);
    const faults = [...result.history].filter((e) => e.kind === 'fault');
    expect(faults.map((e) => e.kind === 'fault' && `${e.fault} ${e.state} ${e.target}`)).toContain('latency@middleware->odoo on middleware->odoo');
    expect(result.stats.live?.placedToOdooMs.count).toBe(4);
    expect(result.stats.live?.placedToInvoicedMs.count).toBe(4);
    expect(result.stats.live?.faultErrors).toEqual([]);
    // Kept with the observations, so `recheck` judges the stored run by the same bounds.
    expect(result.observations.options?.convergenceBoundMs).toBeGreaterThan(0);
    expect(result.observations.options?.runEnd?.quiescent).toBe(true);
  }, 60_000);

  it('makes the naive middleware duplicate an order when the answer to the capture platform is lost, as in sim mode', async () => {
    const scenario = tiny('tiny-response-lost', [
      { link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', schedule: { kind: 'window', fromMs: 0, toMs: 60_000 } },
    ]);
    const live = await runScenario(scenario, await options('naive'));
    const sim = await runScenario(scenario, await options('naive', 'sim'));

    const verdict = (name: string) => [live, sim].map((r) => r.invariants.find((v) => v.name === name)?.verdict);
    expect(verdict('no-duplicate-orders')).toEqual(['fail', 'fail']);
    const odooOrders = live.observations.odoo?.saleOrders?.length ?? 0;
    expect(odooOrders).toBeGreaterThan(4);
  }, 60_000);

  it('leaves no server, proxy or child process behind, also when a system fails to start', async () => {
    const serversBefore = listeningServers();
    const broken: SystemFactory = () => {
      throw new Error('the middleware cannot start: no config');
    };
    const scenario = tiny('tiny-broken', []);
    const run = runScenario(scenario, { ...(await options('naive')), middleware: { name: 'broken', factory: broken }, middlewareArg: 'broken' });
    await expect(run).rejects.toThrow('the middleware cannot start');
    expect(childProcesses()).toEqual([]);
    expect(await serversAfterClose(serversBefore)).toBe(serversBefore);

    const command = runScenario(scenario, {
      ...(await options('naive')),
      live: { timeScale: TIME_SCALE, timeoutMs: 30_000, middlewareCommand: `${process.execPath} -e "process.exit(3)"` },
    });
    await expect(command).rejects.toThrow(/did not become ready/);
    expect(childProcesses()).toEqual([]);
    expect(await serversAfterClose(serversBefore)).toBe(serversBefore);
  }, 60_000);
});
