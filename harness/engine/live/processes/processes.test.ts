import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CleanupRegistry } from './cleanup.ts';
import { startSystemProcess, upstreamEnv } from './processes.ts';
import type { SystemProcess } from './processes.ts';

const fixture = fileURLToPath(new URL('./test-fixtures/tiny-middleware.ts', import.meta.url));
const runner = fileURLToPath(new URL('./test-fixtures/sigint-runner.ts', import.meta.url));
const started: SystemProcess[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((p) => p.stop()));
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  return response.json();
}

describe('upstreamEnv', () => {
  it('names each upstream URL the way a middleware reads it', () => {
    expect(
      upstreamEnv(
        {
          odoo: 'http://127.0.0.1:1/',
          payment: 'http://127.0.0.1:2',
          logistics: 'http://127.0.0.1:3',
          capture: 'http://127.0.0.1:4',
          'crm-eu': 'http://127.0.0.1:5',
        },
        8080,
      ),
    ).toEqual({
      PORT: '8080',
      FAULTLINE_ODOO_URL: 'http://127.0.0.1:1',
      FAULTLINE_PAYMENT_URL: 'http://127.0.0.1:2',
      FAULTLINE_LOGISTICS_URL: 'http://127.0.0.1:3',
      FAULTLINE_CAPTURE_URL: 'http://127.0.0.1:4',
      FAULTLINE_CRM_EU_URL: 'http://127.0.0.1:5',
    });
  });
});

describe('startSystemProcess', () => {
  it('starts the process with its upstream URLs and port, once it answers GET /health', async () => {
    const p = await startSystemProcess({
      command: process.execPath,
      args: [fixture],
      urls: { odoo: 'http://127.0.0.1:8069', payment: 'http://127.0.0.1:9000' },
    });
    started.push(p);
    expect(p.url).toBe(`http://127.0.0.1:${p.port}`);
    expect(await get(`${p.url}/env`)).toMatchObject({
      PORT: String(p.port),
      FAULTLINE_ODOO_URL: 'http://127.0.0.1:8069',
      FAULTLINE_PAYMENT_URL: 'http://127.0.0.1:9000',
    });
  });

  it('fails with the process’s last stderr lines when it exits before it is ready', async () => {
    const error = (await startSystemProcess({
      name: 'my-middleware',
      command: process.execPath,
      args: [fixture, 'crash'],
      urls: { odoo: 'http://127.0.0.1:8069' },
    }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/my-middleware .* did not become ready .*it exited with code 3/s);
    expect(error.message).toContain('fatal: database "faultline" does not exist');
    expect(error.message).toContain('connecting to Odoo at http://127.0.0.1:8069');
  });

  it('gives up after the bounded wait, says what readiness means, and leaves no process behind', async () => {
    const cleanup = new CleanupRegistry();
    const error = (await startSystemProcess({ command: process.execPath, args: [fixture, 'unhealthy'], urls: {}, readyTimeoutMs: 3000, cleanup }).catch(
      (e: unknown) => e,
    )) as Error;
    expect(error.message).toMatch(/within 3000 ms.*answered 503: warming up.*answer GET \/health with 2xx/s);
    expect(cleanup.pending).toBe(0);
    await cleanup.runAll();
  });

  it('says when the command does not exist', async () => {
    await expect(startSystemProcess({ command: '/nonexistent/middleware', urls: {} })).rejects.toThrow(/cannot start middleware.*no such program/);
  });

  it('is stopped by the cleanup registry it was registered with', async () => {
    const cleanup = new CleanupRegistry();
    const p = await startSystemProcess({ command: process.execPath, args: [fixture], urls: {}, cleanup });
    expect(isAlive(p.pid)).toBe(true);
    expect(await cleanup.runAll()).toEqual([]);
    expect(p.child.running).toBe(false);
    expect(isAlive(p.pid)).toBe(false);
  });

  it('stops a process that ignores SIGTERM by killing it after the grace period', async () => {
    const p = await startSystemProcess({
      command: process.execPath,
      args: [
        '-e',
        "process.on('SIGTERM',()=>{});require('http').createServer((q,s)=>s.end('ok')).listen(process.env.PORT,'127.0.0.1');setTimeout(()=>{},60000)",
      ],
      urls: {},
    });
    await p.child.stop(200);
    expect(p.child.running).toBe(false);
    expect((await p.child.exited).signal).toBe('SIGKILL');
  });
});

describe('cleanup on Ctrl-C', () => {
  it('stops the started processes and exits 130 when the runner gets SIGINT', async () => {
    const child = spawn(process.execPath, [runner], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const pid = await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`runner never got ready: ${stderr}`)), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /READY (\d+)/.exec(chunk.toString());
        if (match !== null) {
          clearTimeout(timer);
          resolve(Number(match[1]));
        }
      });
    });
    expect(isAlive(pid)).toBe(true);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(isAlive(pid)).toBe(false);
  });
});
