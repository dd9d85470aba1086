import { startChild } from './child.ts';
import type { ChildHandle } from './child.ts';
import type { CleanupRegistry } from './cleanup.ts';
import { findFreePort } from '../http/free-port.ts';
import { waitForHttp } from '../http/wait-for-http.ts';

/** Environment variable names a user's middleware reads its upstreams from. */
export const UPSTREAM_ENV = {
  odoo: 'FAULTLINE_ODOO_URL',
  payment: 'FAULTLINE_PAYMENT_URL',
  logistics: 'FAULTLINE_LOGISTICS_URL',
  capture: 'FAULTLINE_CAPTURE_URL',
} as const;

export interface SystemProcessOptions {
  /** For messages and the cleanup registry, e.g. "middleware". */
  name?: string;
  /** The program and its arguments, e.g. `node` and `['dist/server.js']`. */
  command: string;
  args?: readonly string[];
  cwd?: string;
  /**
   * Upstream base URLs (through their proxies). odoo, payment, logistics and
   * capture become FAULTLINE_ODOO_URL and so on; any other key k becomes
   * FAULTLINE_<K>_URL.
   */
  urls: Readonly<Record<string, string>>;
  /** The port the process must listen on (given as PORT); a free one unless set. */
  port?: number;
  /** Extra environment variables. */
  env?: Readonly<Record<string, string>>;
  /** Polled with GET until it answers 2xx; `/health` unless set. */
  readyPath?: string;
  /** How long to wait for readiness; 30 s unless set. */
  readyTimeoutMs?: number;
  /** When given, the process is registered here and stopped by the run's cleanup. */
  cleanup?: CleanupRegistry;
}

export interface SystemProcess {
  readonly name: string;
  /** `http://127.0.0.1:<port>`, no trailing slash. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  readonly child: ChildHandle;
  /** SIGTERM, SIGKILL after a grace period; resolves once the process is gone. */
  stop(): Promise<void>;
}

/** The environment a system process gets: its upstreams and its port. */
export function upstreamEnv(urls: Readonly<Record<string, string>>, port: number): Record<string, string> {
  const env: Record<string, string> = { PORT: String(port) };
  for (const [key, url] of Object.entries(urls)) {
    const name = (UPSTREAM_ENV as Record<string, string>)[key] ?? `FAULTLINE_${key.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_URL`;
    env[name] = url.replace(/\/+$/, '');
  }
  return env;
}

/**
 * Starts a system (typically the user's middleware) as a child process on a
 * loopback port and waits until it answers its readiness path. On failure the
 * process is stopped and the error quotes its last output.
 */
export async function startSystemProcess(options: SystemProcessOptions): Promise<SystemProcess> {
  const name = options.name ?? 'middleware';
  if (typeof options.command !== 'string' || options.command === '') {
    throw new TypeError(`${name}: command must name the program to run, e.g. { command: 'node', args: ['server.js'] }`);
  }
  const readyPath = options.readyPath ?? '/health';
  if (!readyPath.startsWith('/')) throw new RangeError(`${name}: readyPath must start with "/", got ${JSON.stringify(readyPath)}`);
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const port = options.port ?? (await findFreePort());
  if (!(Number.isInteger(port) && port > 0 && port <= 65535)) throw new RangeError(`${name}: port must be an integer in 1..65535, got ${String(port)}`);

  const child = await startChild({
    name,
    command: options.command,
    args: options.args ?? [],
    ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
    env: { ...options.env, ...upstreamEnv(options.urls, port) },
  });
  const unregister = options.cleanup?.add(`${name} (pid ${child.pid})`, () => child.stop(), { onExit: () => child.killNow() });
  const url = `http://127.0.0.1:${port}`;
  let exit: string | undefined;
  void child.exited.then(({ code, signal }) => {
    exit = signal !== null ? `it was killed by ${signal}` : `it exited with code ${String(code)}`;
  });

  try {
    await waitForHttp(url + readyPath, { timeoutMs: readyTimeoutMs, giveUp: () => exit });
  } catch (error) {
    await (unregister ?? (() => child.stop()))().catch(() => undefined);
    await child.stop();
    const tail = child.lastLines().slice(-20);
    const command = [options.command, ...(options.args ?? [])].join(' ');
    throw new Error(
      `${name} (${command}) did not become ready at ${url}${readyPath} within ${readyTimeoutMs} ms: ${(error as Error).message}. ` +
        `It must listen on 127.0.0.1 at $PORT and answer GET ${readyPath} with 2xx.` +
        (tail.length > 0 ? `\nIts last output:\n  ${tail.join('\n  ')}` : '\nIt wrote nothing.'),
      { cause: error },
    );
  }

  return {
    name,
    url,
    port,
    pid: child.pid,
    child,
    stop: () => (unregister !== undefined ? unregister() : child.stop()),
  };
}
