/**
 * The simulators' own speed, without Odoo or a real middleware.
 *
 * Sim: capture + payment + 3PL on virtual time with a stub middleware that
 * acks orders, books a shipment per order and acks every webhook, in the
 * test kit's world (testing/sim-world.ts, the sim engine's). Counts scheduler
 * events (arrivals, network hops, webhook holds, retries, lifecycle steps)
 * per CPU second. Target: 50,000 simulator events/s on one core.
 *
 * Live: each simulator served by harness/engine/live/processes/serve-system.ts in its own
 * process; a closed-loop node:http client with keep-alive (32 in flight)
 * drives its main endpoint for a few seconds. Target: 2,000 req/s each.
 *
 *   node bench/simulators.bench.ts [orders=20000] [liveSeconds=5]
 */
import { existsSync, readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { System, SystemContext } from '../harness/core/system.ts';
import { createCaptureSimulator } from '../simulators/capture/index.ts';
import { createLogisticsProvider } from '../simulators/logistics/index.ts';
import { createPaymentGateway } from '../simulators/payment/index.ts';
import type { CapturePlatform } from '../simulators/capture/index.ts';
import { TestWorld } from '../testing/sim-world.ts';
import { median, recordResults } from './results.ts';

const SERVE_SYSTEM = fileURLToPath(new URL('../harness/engine/live/processes/serve-system.ts', import.meta.url));
type LiveName = 'capture' | 'payment' | 'logistics';

/** A middleware that does the least a middleware can: ack, and book a shipment per order. */
function stubMiddleware(context: SystemContext): System {
  const ok = (status: number) => new Response('{"ok":true}', { status, headers: { 'content-type': 'application/json' } });
  return {
    async handle(request) {
      const path = request.url.slice(request.url.indexOf('/', 8));
      if (path === '/orders') {
        const order = (await request.json()) as { ref: string; lines: { sku: string; quantity: number }[]; customer: unknown };
        void context
          .fetch(`${context.urls.logistics}/shipments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ orderRef: order.ref, lines: order.lines.map((l) => ({ sku: l.sku, quantity: l.quantity })), address: order.customer }),
            timeoutMs: 10_000,
          })
          .catch(() => {});
        return ok(202);
      }
      await request.arrayBuffer();
      return ok(200);
    },
  };
}

async function simRun(orders: number, seed: number) {
  // Building the world starts the systems (the capture platform schedules its first order): the clock below times the run.
  const world = await TestWorld.create({
    seed,
    systems: {
      middleware: stubMiddleware,
      payment: createPaymentGateway,
      logistics: createLogisticsProvider,
      capture: { factory: createCaptureSimulator, config: { orders, arrival: 'poisson', ratePerSecond: 200 } },
    },
  });
  const capture = world.system<CapturePlatform>('capture');
  const cpu = process.cpuUsage();
  const wall = performance.now();
  await world.run();
  const used = process.cpuUsage(cpu);
  const cpuS = (used.user + used.system) / 1e6;
  const wallS = (performance.now() - wall) / 1000;
  const summary = await capture.done;
  return {
    cpuS,
    wallS,
    events: world.sim.scheduler.executedEvents,
    messages: world.sim.network.messages,
    history: world.history.length,
    acknowledged: summary.acknowledged,
    heapMiB: process.memoryUsage().heapUsed / 1_048_576,
  };
}

async function serveChild(name: LiveName, port: number, middlewareUrl: string): Promise<void> {
  const { serveSystem } = (await import(SERVE_SYSTEM)) as typeof import('../harness/engine/live/processes/serve-system.ts');
  const { createLiveContext, createWallHistory } = await import('../harness/engine/live/http/live-context.ts');
  const urls = { middleware: middlewareUrl };
  // Capture only serves reads: it places 20 orders first so GET /orders/{ref} finds something.
  const config = name === 'capture' ? { orders: 20, arrival: 'burst', burstSize: 20, payAtCheckout: false } : {};
  const context = createLiveContext({ name, seed: 1, urls, config, history: createWallHistory() });
  const factories = { capture: createCaptureSimulator, payment: createPaymentGateway, logistics: createLogisticsProvider };
  const system = factories[name](context);
  await system.start?.();
  await serveSystem(system, { port });
  setTimeout(() => process.exit(0), 5 * 60_000).unref();
  process.on('SIGTERM', () => process.exit(0));
}

function closedLoop(url: string, make: (i: number) => { method: string; path: string; body?: string }, seconds: number, concurrency = 32) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  let done = 0;
  let failed = 0;
  let issued = 0;
  const deadline = performance.now() + seconds * 1000;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const { method, path, body } = make(issued++);
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          method,
          path,
          agent,
          timeout: 10_000,
          headers: body === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== undefined && res.statusCode < 300) done++;
            else failed++;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline) await one();
  };
  const start = performance.now();
  return Promise.all(Array.from({ length: concurrency }, worker)).then(() => {
    agent.destroy();
    return { perSecond: done / ((performance.now() - start) / 1000), done, failed };
  });
}

/** utime + stime of a process from /proc, in seconds (Linux; clock ticks at 100 Hz). */
function processCpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function liveBench(seconds: number): Promise<Record<string, unknown>> {
  if (!existsSync(SERVE_SYSTEM)) {
    console.log('live: skipped, harness/engine/live/processes/serve-system.ts is not there yet');
    return { skipped: 'harness/engine/live/processes/serve-system.ts missing' };
  }
  const { serveSystem } = (await import(SERVE_SYSTEM)) as typeof import('../harness/engine/live/processes/serve-system.ts');
  const { startChild } = await import('../harness/engine/live/processes/child.ts');
  const { findFreePort } = await import('../harness/engine/live/http/free-port.ts');
  const { waitForHttp } = await import('../harness/engine/live/http/wait-for-http.ts');
  const middleware = await serveSystem({
    handle: async (r) => {
      await r.arrayBuffer();
      return new Response('{"ok":true}', { status: 200 });
    },
  });
  const workloads: Record<LiveName, (i: number) => { method: string; path: string; body?: string }> = {
    payment: (i) => ({ method: 'POST', path: '/payments', body: JSON.stringify({ orderRef: `CAP-${i}`, amount: 2.31, currency: 'USD' }) }),
    logistics: (i) => ({
      method: 'POST',
      path: '/shipments',
      body: JSON.stringify({ orderRef: `CAP-${i}`, lines: [{ sku: 'FL-STOCK-01', quantity: 2 }], address: { name: 'Ada' } }),
    }),
    capture: (i) => ({ method: 'GET', path: `/orders/CAP-${String((i % 20) + 1).padStart(6, '0')}` }),
  };
  const figures: Record<string, unknown> = {};
  try {
    for (const name of ['payment', 'logistics', 'capture'] as const) {
      const port = await findFreePort();
      const child = await startChild({ name, command: process.execPath, args: [fileURLToPath(import.meta.url), 'serve', name, String(port), middleware.url] });
      try {
        const url = `http://127.0.0.1:${port}`;
        await waitForHttp(`${url}/_faultline/ledger`, { timeoutMs: 15_000, giveUp: () => (child.running ? undefined : child.lastLines().join('\n')) });
        await closedLoop(url, workloads[name], 1); // warm-up
        const cpuBefore = processCpuSeconds(child.pid);
        const result = await closedLoop(url, workloads[name], seconds);
        const serverCpuS = processCpuSeconds(child.pid) - cpuBefore;
        // Requests per CPU-second of the simulator's process: what one core sustains, whatever else the machine runs.
        const perCore = Math.round(result.done / serverCpuS);
        figures[name] = {
          requestsPerSecond: Math.round(result.perSecond),
          requestsPerCpuSecond: perCore,
          serverCpuSeconds: Number(serverCpuS.toFixed(2)),
          completed: result.done,
          failed: result.failed,
        };
        console.log(
          `live ${name}: ${Math.round(result.perSecond)} req/s wall, ${perCore} req per CPU-second of the simulator ` +
            `(${workloads[name](0).method} ${workloads[name](0).path.replace(/\d+$/, '…')}, ${result.done} ok, ${result.failed} failed, 32 in flight)`,
        );
      } finally {
        await child.stop();
      }
    }
  } finally {
    await middleware.close();
  }
  return figures;
}

if (process.argv[2] === 'serve') {
  await serveChild(process.argv[3] as LiveName, Number(process.argv[4]), process.argv[5]!);
} else {
  const orders = Number(process.argv[2] ?? 20_000);
  const liveSeconds = Number(process.argv[3] ?? 5);
  if (!(Number.isInteger(orders) && orders > 0 && orders <= 1_000_000) || !(liveSeconds > 0 && liveSeconds <= 120)) {
    throw new Error('usage: node bench/simulators.bench.ts [orders 1..1000000] [liveSeconds 1..120]');
  }
  await simRun(Math.min(orders, 2_000), 99); // warm-up: JIT and faker's locale tables
  const runs = [];
  for (let seed = 1; seed <= 3; seed++) {
    const run = await simRun(orders, seed);
    runs.push(run);
    console.log(
      `sim seed ${seed}: ${orders} orders, ${run.events} scheduler events, ${run.messages} messages, ${run.history} history events in ${run.cpuS.toFixed(2)} s CPU ` +
        `(${Math.round(run.events / run.cpuS)} events/s, ${Math.round(run.messages / run.cpuS)} messages/s, ${Math.round(orders / run.cpuS)} orders/s); heap ${run.heapMiB.toFixed(0)} MiB`,
    );
  }
  const sim = {
    orders,
    eventsPerCpuSecond: Math.round(median(runs.map((r) => r.events / r.cpuS))),
    messagesPerCpuSecond: Math.round(median(runs.map((r) => r.messages / r.cpuS))),
    ordersPerCpuSecond: Math.round(median(runs.map((r) => orders / r.cpuS))),
    eventsPerOrder: Math.round(runs[0]!.events / orders),
  };
  console.log(`sim median: ${sim.eventsPerCpuSecond} simulator events/s (target 50,000), ${sim.ordersPerCpuSecond} orders/s through the three simulators`);
  const live = await liveBench(liveSeconds);
  recordResults('simulators', { sim, live });
}
