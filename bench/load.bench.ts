/**
 * The open-model load generator against a trivial loopback endpoint served
 * by another process: can one core submit at the target rate, with the
 * measured arrival rate within 1 % of it?
 *
 *   node bench/load.bench.ts [rate/s=2000,5000] [durationMs=10000]
 */
import { readFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { startChild } from '../harness/engine/live/processes/child.ts';
import { findFreePort } from '../harness/engine/live/http/free-port.ts';
import { createLiveContext, createWallHistory } from '../harness/engine/live/http/live-context.ts';
import { constantRate, runOpenLoad } from '../harness/engine/live/load/load.ts';
import { serveSystem } from '../harness/engine/live/processes/serve-system.ts';
import { waitForHttp } from '../harness/engine/live/http/wait-for-http.ts';

if (process.argv[2] === 'serve-raw') {
  // The same endpoint on bare node:http: the floor serveSystem's cost is compared with.
  const port = Number(process.argv[3]);
  let orders = 0;
  createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text =
        req.method === 'GET'
          ? JSON.stringify({ ok: true, orders })
          : JSON.stringify({ orderId: `SO${++orders}`, ref: (JSON.parse(Buffer.concat(chunks).toString()) as { ref: string }).ref, status: 'accepted' });
      res.writeHead(req.method === 'GET' ? 200 : 202, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  }).listen(port, '127.0.0.1');
  setTimeout(() => process.exit(0), 10 * 60_000);
} else if (process.argv[2] === 'serve') {
  // The endpoint: a trivial order intake, in its own process so the generator has its core to itself.
  const port = Number(process.argv[3]);
  let orders = 0;
  await serveSystem(
    {
      handle: async (request) => {
        if (request.method === 'GET') return Response.json({ ok: true, orders });
        const order = (await request.json()) as { ref: string };
        orders++;
        return Response.json({ orderId: `SO${orders}`, ref: order.ref, status: 'accepted' }, { status: 202 });
      },
    },
    { port },
  );
  // Stay up until the parent stops us (it always does; the timer is a bound in case it died).
  setTimeout(() => process.exit(0), 10 * 60_000);
} else {
  const rates = (process.argv[2] ?? '2000,5000').split(',').map(Number);
  const durationMs = Number(process.argv[3] ?? 10_000);
  if (rates.some((r) => !(r > 0 && r <= 50_000)) || !(durationMs > 0 && durationMs <= 120_000)) {
    throw new Error('usage: node bench/load.bench.ts [rates per second, comma separated, each 1..50000] [durationMs 1..120000]');
  }
  const port = await findFreePort();
  const server = await startChild({ name: 'endpoint', command: process.execPath, args: [fileURLToPath(import.meta.url), 'serve', String(port)] });
  const url = `http://127.0.0.1:${port}`;
  const ticks = (pid: number) => {
    const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(f[11]) + Number(f[12])) * 10_000;
  };
  try {
    await waitForHttp(`${url}/health`, { timeoutMs: 10_000 });
    for (const rate of rates) {
      const history = createWallHistory();
      const ctx = createLiveContext({ name: 'capture', seed: 1, urls: { middleware: url }, history, fetchTimeoutMs: 5_000 });
      // Warm up sockets and both processes' JIT at the full rate for 2 s; the figures are for the steady state.
      await runOpenLoad({
        profile: constantRate(rate, 2_000),
        maxInFlight: 512,
        task: () => ctx.fetch(`${url}/orders`, { method: 'POST', body: '{"ref":"warm"}' }).then((r) => r.arrayBuffer()),
      });
      const cpu = process.cpuUsage();
      const serverCpu = ticks(server.pid);
      const eventsBefore = history.toArray().length;
      const result = await runOpenLoad({
        profile: constantRate(rate, durationMs),
        maxInFlight: 512,
        drainTimeoutMs: 10_000,
        task: async ({ index }) => {
          const ref = `CAP-${String(index).padStart(6, '0')}`;
          const response = await ctx.fetch(`${url}/orders`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', 'x-correlation-id': ref, 'x-attempt': '1' },
            body: JSON.stringify({ ref, total: 2.31 }),
          });
          await response.arrayBuffer();
          if (response.status !== 202) throw new Error(`status ${response.status}`);
        },
      });
      const used = process.cpuUsage(cpu);
      const serverUsed = ticks(server.pid) - serverCpu;
      ctx.close();
      const cpuUs = used.user + used.system;
      const f = (n: number) => n.toFixed(2);
      console.log(`${result.profile}:`);
      console.log(
        `  target ${result.targetRatePerSec.toFixed(1)}/s, measured arrival rate ${result.measuredRatePerSec.toFixed(1)}/s (${((result.measuredRatePerSec / result.targetRatePerSec - 1) * 100).toFixed(3)} %)`,
      );
      console.log(
        `  planned ${result.plannedArrivals}, started ${result.started}, dropped ${result.dropped}, completed ${result.completed}, failed ${result.failed}, unfinished ${result.unfinished}, max in flight ${result.maxInFlightSeen}`,
      );
      console.log(
        `  latency from intended arrival, ms: p50 ${f(result.latencyMs.p50)} p95 ${f(result.latencyMs.p95)} p99 ${f(result.latencyMs.p99)} max ${f(result.latencyMs.max)}`,
      );
      console.log(`  generator lateness, ms: p50 ${f(result.issueLagMs.p50)} p99 ${f(result.issueLagMs.p99)} max ${f(result.issueLagMs.max)}`);
      console.log(
        `  generator CPU ${(cpuUs / result.started).toFixed(1)} µs/submission (${((cpuUs / 1000 / result.elapsedMs) * 100).toFixed(0)} % of a core, history on: ${history.toArray().length - eventsBefore} events); endpoint CPU ${(serverUsed / result.started).toFixed(1)} µs/request`,
      );
      console.log(`  per second (started/dropped/completed): ${result.timeline.map((b) => `${b.started}/${b.dropped}/${b.completed}`).join(' ')}`);
      if (result.errors.length > 0) console.log(`  errors: ${result.errors.map((e) => `${e.count}× ${e.message}`).join('; ')}`);
    }
  } finally {
    await server.stop();
  }

  // Closed-loop capacity of the endpoint: serveSystem against bare node:http, same client, same run.
  const body = JSON.stringify({ ref: 'CAP-000001', total: 2.31 });
  const closedLoop = async (portNumber: number, ms: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 32 });
    let done = 0;
    const end = performance.now() + ms;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        for (let i = 0; i < 10_000_000 && performance.now() < end; i++) {
          await new Promise<void>((resolve, reject) => {
            const req = request(
              {
                host: '127.0.0.1',
                port: portNumber,
                method: 'POST',
                path: '/orders',
                agent,
                timeout: 5_000,
                headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
              },
              (res) => {
                res.resume();
                res.on('end', resolve);
              },
            );
            req.on('timeout', () => req.destroy(new Error('timed out')));
            req.on('error', reject);
            req.end(body);
          });
          done++;
        }
      }),
    );
    agent.destroy();
    return done;
  };
  console.log('endpoint capacity, closed loop with 32 in flight, 3 s per round (rounds alternate):');
  for (const mode of ['serve', 'serve-raw', 'serve', 'serve-raw']) {
    const capacityPort = await findFreePort();
    const endpoint = await startChild({ name: mode, command: process.execPath, args: [fileURLToPath(import.meta.url), mode, String(capacityPort)] });
    try {
      await waitForHttp(`http://127.0.0.1:${capacityPort}/health`, { timeoutMs: 10_000 });
      await closedLoop(capacityPort, 1_000);
      const before = ticks(endpoint.pid);
      const started = performance.now();
      const done = await closedLoop(capacityPort, 3_000);
      const elapsed = performance.now() - started;
      const cpu = ticks(endpoint.pid) - before;
      console.log(
        `  ${mode === 'serve' ? 'serveSystem ' : 'bare node:http'}: ${((done / elapsed) * 1000).toFixed(0)} req/s, endpoint CPU ${(cpu / done).toFixed(1)} µs/request (${((cpu / 1000 / elapsed) * 100).toFixed(0)} % of a core)`,
      );
    } finally {
      await endpoint.stop();
    }
  }
}
