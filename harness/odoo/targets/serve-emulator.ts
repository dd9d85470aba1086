/**
 * `npx faultline serve odoo`: the emulator over real HTTP for any client
 * (Python's xmlrpc.client, odoorpc, n8n, a team's own middleware).
 *
 * Live by nature (wall clock, real sockets), so it lives with live mode and
 * the emulator itself stays free of real time. It keeps its own node:http
 * exchange because Odoo clients rely on cookies (web sessions) and on the
 * caller's address (login cooldown).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HistoryWriter } from '../../core/history.ts';
import { createRng } from '../../core/rng.ts';
import type { SystemContext } from '../../core/system.ts';
import { createOdooEmulator, PEER_HEADER, type OdooEmulator, type OdooEmulatorOptions } from '../../../simulators/odoo/index.ts';
import { wallClock } from '../../core/wall-clock.ts';

export interface ServeOdooOptions {
  /** 0 picks a free port; the CLI passes 8069 by default. */
  readonly port?: number;
  readonly host?: string;
  /** Database name (default `odoo`). */
  readonly db?: string;
  /** Seed of the emulator's randomness (default 1). */
  readonly seed?: number;
  /** Everything else the emulator accepts (admin password, capacity model, ...). */
  readonly emulator?: OdooEmulatorOptions;
}

export interface ServedOdoo {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8069`. */
  readonly url: string;
  readonly port: number;
  readonly db: string;
  readonly emulator: OdooEmulator;
  close(): Promise<void>;
}

/** A served emulator is not part of a recorded run: its calls go to the access log only. */
function discardingHistory(): HistoryWriter {
  let requests = 0;
  return { append: () => 0, nextRequestId: () => ++requests };
}

const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export async function serveOdoo(options: ServeOdooOptions = {}): Promise<ServedOdoo> {
  const db = options.db ?? options.emulator?.db ?? 'odoo';
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new RangeError(`serveOdoo: port must be an integer in 0..65535 (0 picks a free one), got ${String(port)}`);
  const seed = options.seed ?? 1;
  const context: SystemContext = {
    name: 'odoo',
    mode: 'live',
    clock: wallClock,
    rng: createRng(seed).fork('odoo'),
    fetch: () => Promise.reject(new Error('the Odoo emulator makes no outbound calls')),
    history: discardingHistory(),
    urls: {},
    config: {},
  };
  const emulator = createOdooEmulator(context, { ...options.emulator, db });
  const bodyLimit = options.emulator?.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
  let origin = '';

  const server = createServer({ keepAlive: true, keepAliveTimeout: 65_000 }, (req, res) => {
    answer(emulator, origin, bodyLimit, req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${shownHost}:${address.port}`;
  return {
    url: origin,
    port: address.port,
    db,
    emulator,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** One HTTP exchange: the body (bounded), a standard Request, the emulator's Response back. */
async function answer(emulator: OdooEmulator, origin: string, bodyLimit: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > bodyLimit) {
      res.writeHead(413, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' });
      res.end(`413 Request Entity Too Large: this emulator accepts bodies up to ${bodyLimit} bytes (option maxBodyBytes).`);
      req.destroy();
      return;
    }
    chunks.push(chunk);
  }
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
  }
  // The login throttle's key: the TCP peer, never a value the client chose.
  headers.set(PEER_HEADER, req.socket.remoteAddress ?? 'unknown');
  const method = req.method ?? 'GET';
  const request = new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: Buffer.concat(chunks) }),
  });
  let response: Response;
  try {
    response = await emulator.handle(request);
  } catch (error) {
    response = new Response(`500 Internal Server Error: ${error instanceof Error ? error.message : String(error)}`, { status: 500 });
  }
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out['set-cookie'] = cookies;
  const body = Buffer.from(await response.arrayBuffer());
  out['content-length'] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
}
