/**
 * Soak: 500 concurrent clients for a minute against the Odoo emulator and the
 * payment gateway, both served over real loopback HTTP, with a mix of honest
 * and hostile requests (bad logins from many peers, broken and deeply nested
 * JSON, invalid UTF-8, huge numbers, malformed paths). Reports requests per
 * second, latency, 5xx and transport failures (there should be none), and the
 * heap and RSS over time (servers and clients share this process).
 * Run: node --expose-gc bench/soak.bench.ts   (SOAK_SECONDS, SOAK_CLIENTS to change the shape)
 */
import { createLiveContext, createWallHistory } from '../harness/engine/live/http/live-context.ts';
import { serveOdoo } from '../harness/odoo/targets/serve-emulator.ts';
import { serveSystem } from '../harness/engine/live/processes/serve-system.ts';
import { createPaymentGateway } from '../simulators/payment/index.ts';
import { pythonJson } from '../simulators/odoo/transport/python-json.ts';
import { encodeMethodCall } from '../harness/wire/xmlrpc.ts';
import { median, recordResults } from './results.ts';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const CLIENTS = Number(process.env.SOAK_CLIENTS ?? 500);
const gc = (globalThis as { gc?: () => void }).gc;

const odoo = await serveOdoo({ port: 0, db: 'soak', emulator: { accessLogLimit: 10_000 } });
const paymentContext = createLiveContext({ name: 'payment', seed: 1, urls: { middleware: 'http://127.0.0.1:9' }, config: {}, history: createWallHistory() });
const gateway = await createPaymentGateway(paymentContext);
const payment = await serveSystem(gateway, { host: '127.0.0.1', port: 0 });
const partner = odoo.emulator.execute('res.partner', 'create', [{ name: 'Soak Customer' }]) as number;

interface Kind {
  readonly name: string;
  readonly hostile: boolean;
  request(n: number): { url: string; init: RequestInit };
}

const json = { 'content-type': 'application/json' };
const KINDS: readonly Kind[] = [
  {
    name: 'xmlrpc search_read',
    hostile: false,
    request: () => ({
      url: `${odoo.url}/xmlrpc/2/object`,
      init: {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: encodeMethodCall('execute_kw', ['soak', 2, 'admin', 'res.partner', 'search_read', [[['id', '=', partner]]], { fields: ['name'] }]),
      },
    }),
  },
  {
    name: 'jsonrpc search_count',
    hostile: false,
    request: () => ({
      url: `${odoo.url}/jsonrpc`,
      init: {
        method: 'POST',
        headers: json,
        body: pythonJson({
          jsonrpc: '2.0',
          id: 1,
          params: { service: 'object', method: 'execute_kw', args: ['soak', 2, 'admin', 'res.partner', 'search_count', [[]]] },
        }),
      },
    }),
  },
  {
    name: 'jsonrpc create',
    hostile: false,
    request: (n) => ({
      url: `${odoo.url}/jsonrpc`,
      init: {
        method: 'POST',
        headers: json,
        body: pythonJson({
          jsonrpc: '2.0',
          id: n,
          params: { service: 'object', method: 'execute_kw', args: ['soak', 2, 'admin', 'res.partner', 'create', [{ name: `Soak ${n}` }]] },
        }),
      },
    }),
  },
  {
    name: 'payment capture',
    hostile: false,
    request: (n) => ({
      url: `${payment.url}/payments`,
      init: { method: 'POST', headers: json, body: JSON.stringify({ orderRef: `SOAK-${n}`, amount: 2.31, currency: 'USD' }) },
    }),
  },
  {
    name: 'web login, wrong password',
    hostile: true,
    request: () => ({
      url: `${odoo.url}/web/session/authenticate`,
      init: { method: 'POST', headers: json, body: JSON.stringify({ jsonrpc: '2.0', id: 1, params: { db: 'soak', login: 'admin', password: 'guess' } }) },
    }),
  },
  {
    name: 'json nested 5,000 deep',
    hostile: true,
    request: () => ({ url: `${odoo.url}/jsonrpc`, init: { method: 'POST', headers: json, body: `{"id":${'['.repeat(5000)}${']'.repeat(5000)},"params":{}}` } }),
  },
  {
    name: 'xml invalid utf-8',
    hostile: true,
    request: () => ({
      url: `${odoo.url}/xmlrpc/2/object`,
      init: { method: 'POST', headers: { 'content-type': 'text/xml' }, body: new Uint8Array([0x3c, 0x61, 0xff, 0xfe]) },
    }),
  },
  {
    name: 'jsonrpc Infinity / huge int',
    hostile: true,
    request: (n) => ({
      url: `${odoo.url}/jsonrpc`,
      init: {
        method: 'POST',
        headers: json,
        body: `{"id":1,"params":{"service":"object","method":"execute_kw","args":["soak",2,"admin","res.partner","create",[{"name":"x","color":${n % 2 === 0 ? '1e400' : '123456789012345678901234567890'}}]]}}`,
      },
    }),
  },
  {
    name: 'like pattern %a%a…%b',
    hostile: true,
    request: () => ({
      url: `${odoo.url}/jsonrpc`,
      init: {
        method: 'POST',
        headers: json,
        body: pythonJson({
          jsonrpc: '2.0',
          id: 1,
          params: {
            service: 'object',
            method: 'execute_kw',
            args: ['soak', 2, 'admin', 'res.partner', 'search_count', [[['name', '=like', '%a'.repeat(30) + '%b']]]],
          },
        }),
      },
    }),
  },
  {
    name: 'payment malformed path',
    hostile: true,
    request: () => ({ url: `${payment.url}/payments/%E0%A4%A/refunds`, init: { method: 'POST', headers: json, body: '{"amount":1}' } }),
  },
  {
    name: 'payment 1e308',
    hostile: true,
    request: () => ({ url: `${payment.url}/payments`, init: { method: 'POST', headers: json, body: '{"orderRef":"X","amount":1e308,"currency":"USD"}' } }),
  },
];

interface Tally {
  ok: number;
  clientError: number;
  serverError: number;
  failed: number;
  latencies: number[];
}
const tallies = new Map(KINDS.map((k) => [k.name, { ok: 0, clientError: 0, serverError: 0, failed: 0, latencies: [] } as Tally]));
const memory: Array<{ second: number; heapMB: number; rssMB: number }> = [];
const mb = (bytes: number): number => Math.round(bytes / 1024 / 10.24) / 100;

gc?.();
const heapBefore = process.memoryUsage().heapUsed;
const started = performance.now();
const deadline = started + SECONDS * 1000;
const sampler = setInterval(() => {
  const usage = process.memoryUsage();
  memory.push({ second: Math.round((performance.now() - started) / 1000), heapMB: mb(usage.heapUsed), rssMB: mb(usage.rss) });
}, 1000);

let sent = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async (_, client) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const kind = KINDS[(client + i) % KINDS.length]!;
      const tally = tallies.get(kind.name)!;
      const { url, init } = kind.request(++sent);
      const t0 = performance.now();
      try {
        const response = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
        await response.arrayBuffer();
        if (response.status >= 500) tally.serverError++;
        else if (response.status >= 400) tally.clientError++;
        else tally.ok++;
      } catch {
        tally.failed++;
      }
      if (tally.latencies.length < 20_000) tally.latencies.push(performance.now() - t0);
    }
  }),
);
clearInterval(sampler);
const elapsed = (performance.now() - started) / 1000;
gc?.();
const heapAfter = process.memoryUsage().heapUsed;

const perKind: Record<string, unknown> = {};
let total = 0;
let serverErrors = 0;
let failures = 0;
for (const kind of KINDS) {
  const t = tallies.get(kind.name)!;
  const count = t.ok + t.clientError + t.serverError + t.failed;
  total += count;
  serverErrors += t.serverError;
  failures += t.failed;
  const sorted = [...t.latencies].sort((a, b) => a - b);
  perKind[kind.name] = {
    requests: count,
    perSecond: Math.round(count / elapsed),
    ok: t.ok,
    clientError: t.clientError,
    serverError: t.serverError,
    failed: t.failed,
    p50ms: Math.round(median(sorted)),
    p99ms: Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0),
  };
  console.log(
    `${kind.name.padEnd(30)} ${String(count).padStart(8)} req ${String(Math.round(count / elapsed)).padStart(6)}/s  2xx ${t.ok}  4xx ${t.clientError}  5xx ${t.serverError}  failed ${t.failed}  p50 ${Math.round(median(sorted))} ms  p99 ${Math.round(sorted[Math.floor(sorted.length * 0.99)] ?? 0)} ms`,
  );
}
const peakHeap = Math.max(...memory.map((m) => m.heapMB));
const peakRss = Math.max(...memory.map((m) => m.rssMB));
const lastQuarter = memory.slice(Math.floor(memory.length * 0.75));
console.log(
  `total ${total} requests in ${elapsed.toFixed(1)} s: ${Math.round(total / elapsed)} req/s with ${CLIENTS} clients; 5xx ${serverErrors}, transport failures ${failures}`,
);
console.log(
  `heap after GC ${mb(heapBefore)} MB → ${mb(heapAfter)} MB; peak heap ${peakHeap} MB, peak RSS ${peakRss} MB; heap in the last quarter ${Math.min(...lastQuarter.map((m) => m.heapMB))}–${Math.max(...lastQuarter.map((m) => m.heapMB))} MB`,
);
console.log(
  `partners created ${odoo.emulator.execute('res.partner', 'search_count', [[]])}, access log rows ${odoo.emulator.accessLog('soak').length} (bounded at 10,000), login failure sources ${odoo.emulator.server.auth('soak').trackedSources}`,
);

recordResults('soak', {
  seconds: Math.round(elapsed),
  clients: CLIENTS,
  requests: total,
  requestsPerSecond: Math.round(total / elapsed),
  serverErrors,
  transportFailures: failures,
  heapAfterGcMB: { before: mb(heapBefore), after: mb(heapAfter) },
  peakHeapMB: peakHeap,
  peakRssMB: peakRss,
  memoryEverySecond: memory,
  perKind,
});
await odoo.close();
await payment.close();
gateway.stop?.();
paymentContext.close();
// A 5xx is a defect. Transport failures are reported, not failed on: with 500 sockets opening at
// once on a saturated loop the kernel's accept queue overflows (netstat -s: "listen queue ...
// overflowed") and some connections give up in SYN retries before the 30 s bound.
process.exitCode = serverErrors > 0 ? 1 : 0;
