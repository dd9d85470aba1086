/**
 * What a Toxiproxy proxy with no toxics costs per request compared with the
 * direct path, measured in the same run with alternating rounds (this machine
 * is noisy: compare within a run, quote medians).
 *
 *   node bench/toxiproxy.bench.ts [rounds=5] [roundMs=1500]
 */
import { createLiveContext, createWallHistory } from '../harness/engine/live/http/live-context.ts';
import { serveSystem } from '../harness/engine/live/processes/serve-system.ts';
import { createLinkProxies, startToxiproxy } from '../harness/engine/live/faults/toxiproxy.ts';
import { monotonicMs } from '../harness/core/wall-clock.ts';
import { readFileSync } from 'node:fs';

/** CPU seconds a process has used (Linux procfs; 100 ticks/s). */
function processCpuUs(pid: number | undefined): number {
  if (pid === undefined) return Number.NaN;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return Number.NaN;
  }
}

const rounds = Number(process.argv[2] ?? 5);
const roundMs = Number(process.argv[3] ?? 1_500);
if (!(Number.isInteger(rounds) && rounds > 0 && rounds <= 50 && roundMs > 0 && roundMs <= 30_000)) {
  throw new Error('usage: node bench/toxiproxy.bench.ts [rounds 1..50] [roundMs 1..30000]');
}

const upstream = await serveSystem({ handle: async () => Response.json({ ok: true }) });
const toxiproxy = await startToxiproxy();
const [proxy] = await createLinkProxies(toxiproxy, [{ name: 'bench-link', upstreamUrl: upstream.url }]);
const ctx = createLiveContext({ name: 'bench', seed: 1, urls: {}, history: createWallHistory(), fetchTimeoutMs: 5_000 });
// The history would grow by 3 events per request; the bench measures transport, not recording.
const noHistory = { append: () => 0, nextRequestId: () => 0 };
const bench = createLiveContext({ name: 'bench', seed: 1, urls: {}, history: noHistory, fetchTimeoutMs: 5_000 });
ctx.close();

interface Round {
  perSecond: number;
  p50Us: number;
  p99Us: number;
  cpuUsPerRequest: number;
  proxyCpuUsPerRequest: number;
}

async function round(base: string, concurrency: number): Promise<Round> {
  const latencies: number[] = [];
  const end = monotonicMs() + roundMs;
  const cpu = process.cpuUsage();
  const proxyCpu = processCpuUs(toxiproxy.pid);
  const started = monotonicMs();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = 0; i < 1_000_000 && monotonicMs() < end; i++) {
        const t0 = monotonicMs();
        const response = await bench.fetch(`${base}/ping`, { method: 'POST', body: '{"id":1}' });
        await response.arrayBuffer();
        latencies.push(monotonicMs() - t0);
      }
    }),
  );
  const elapsed = monotonicMs() - started;
  const used = process.cpuUsage(cpu);
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (latencies.length / elapsed) * 1000,
    p50Us: latencies[Math.floor(latencies.length * 0.5)]! * 1000,
    p99Us: latencies[Math.floor(latencies.length * 0.99)]! * 1000,
    cpuUsPerRequest: (used.user + used.system) / latencies.length,
    proxyCpuUsPerRequest: (processCpuUs(toxiproxy.pid) - proxyCpu) / latencies.length,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  await round(upstream.url, 4);
  await round(proxy!.url, 4);
  for (const concurrency of [1, 16]) {
    const direct: Round[] = [];
    const proxied: Round[] = [];
    for (let r = 0; r < rounds; r++) {
      direct.push(await round(upstream.url, concurrency));
      proxied.push(await round(proxy!.url, concurrency));
    }
    const d = {
      rate: median(direct.map((x) => x.perSecond)),
      p50: median(direct.map((x) => x.p50Us)),
      p99: median(direct.map((x) => x.p99Us)),
      cpu: median(direct.map((x) => x.cpuUsPerRequest)),
    };
    const p = {
      rate: median(proxied.map((x) => x.perSecond)),
      p50: median(proxied.map((x) => x.p50Us)),
      p99: median(proxied.map((x) => x.p99Us)),
      cpu: median(proxied.map((x) => x.cpuUsPerRequest)),
    };
    console.log(`concurrency ${concurrency}, ${rounds} alternating rounds of ${roundMs} ms, medians:`);
    console.log(
      `  direct : ${d.rate.toFixed(0).padStart(6)} req/s  p50 ${d.p50.toFixed(0).padStart(5)} µs  p99 ${d.p99.toFixed(0).padStart(6)} µs  node CPU ${d.cpu.toFixed(1)} µs/req`,
    );
    console.log(
      `  proxied: ${p.rate.toFixed(0).padStart(6)} req/s  p50 ${p.p50.toFixed(0).padStart(5)} µs  p99 ${p.p99.toFixed(0).padStart(6)} µs  node CPU ${p.cpu.toFixed(1)} µs/req`,
    );
    console.log(`  toxiproxy-server CPU on the proxied path: ${median(proxied.map((x) => x.proxyCpuUsPerRequest)).toFixed(1)} µs/req (procfs, 10 ms ticks)`);
    console.log(
      `  added by the proxy: p50 +${(p.p50 - d.p50).toFixed(0)} µs (ratio ${(p.p50 / d.p50).toFixed(2)}), throughput ratio ${(p.rate / d.rate).toFixed(2)}`,
    );
  }
} finally {
  bench.close();
  await toxiproxy.stop();
  await upstream.close();
}
