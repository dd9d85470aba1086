import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import type { Proxy as ToxiproxyProxy, ToxicDirection, ToxicType } from 'toxiproxy-node-client';
import { startChild } from '../processes/child.ts';
import type { ChildHandle } from '../processes/child.ts';
import { findFreePort } from '../http/free-port.ts';
import { waitForHttp } from '../http/wait-for-http.ts';
import { wallClock } from '../../../core/wall-clock.ts';
import { EXIT, type ExitCoded } from '../../../core/exit-codes.ts';

/** The Toxiproxy release tools/install-toxiproxy.sh installs (keep the two in step). */
export const TOXIPROXY_VERSION = 'v2.12.0';
export const TOXIPROXY_SERVER_BINARY = 'toxiproxy-server';

const INSTALL_HINT =
  'Install it with `bash tools/install-toxiproxy.sh` (needs Go; builds Toxiproxy ' +
  `${TOXIPROXY_VERSION} into $(go env GOPATH)/bin), or run its image on the host's network, where ` +
  "Faultline's systems listen (`docker run -d --network host ghcr.io/shopify/toxiproxy:2.12.0`), " +
  'and set TOXIPROXY_URL=http://127.0.0.1:8474.';

/** Toxiproxy's API calls go to loopback; anything slower than this is a hung server. */
const API_TIMEOUT_MS = 5_000;

/** Which way a toxic acts: on the request bytes (upstream) or on the answer bytes (downstream, the default). */
export type FaultDirection = ToxicDirection;

interface FaultCommon {
  /** Default `downstream` (the answer), as in Toxiproxy. */
  direction?: FaultDirection;
  /** Share of connections affected, 0..1; default 1. */
  toxicity?: number;
}

/**
 * A network fault on one link, in Toxiproxy's vocabulary with units in the
 * names. `down` takes the link away entirely (the proxy is disabled: new
 * connections are refused, open ones are closed).
 */
export type NetworkFault = FaultCommon &
  (
    | { kind: 'latency'; latencyMs: number; jitterMs?: number }
    | { kind: 'bandwidth'; rateKBps: number }
    | { kind: 'slow_close'; delayMs: number }
    /** Holds all data and closes the connection after `timeoutMs` (0: holds until the fault ends). */
    | { kind: 'timeout'; timeoutMs: number }
    /** Resets the connection (TCP RST) after `timeoutMs`, 0 at once. */
    | { kind: 'reset_peer'; timeoutMs?: number }
    | { kind: 'slicer'; averageSizeBytes: number; sizeVariationBytes?: number; delayMicros?: number }
    /** Closes the connection once `bytes` have gone through. */
    | { kind: 'limit_data'; bytes: number }
    | { kind: 'down' }
  );

export type NetworkFaultKind = NetworkFault['kind'];

export interface ToxicSpec {
  type: ToxicType;
  stream: FaultDirection;
  toxicity: number;
  attributes: Record<string, number>;
}

/** Translates a fault into the toxic Toxiproxy applies; throws on a fault it cannot express. `down` has no toxic. */
export function toxicFor(fault: NetworkFault): ToxicSpec | undefined {
  const direction = fault.direction ?? 'downstream';
  if (direction !== 'downstream' && direction !== 'upstream') {
    throw new RangeError(`network fault ${fault.kind}: direction must be "upstream" (requests) or "downstream" (answers), got ${JSON.stringify(direction)}`);
  }
  const toxicity = fault.toxicity ?? 1;
  if (!(toxicity >= 0 && toxicity <= 1)) throw new RangeError(`network fault ${fault.kind}: toxicity must be between 0 and 1, got ${String(toxicity)}`);
  const spec = (type: ToxicType, attributes: Record<string, number>): ToxicSpec => ({ type, stream: direction, toxicity, attributes });
  switch (fault.kind) {
    case 'latency':
      return spec('latency', { latency: ms(fault, 'latencyMs', fault.latencyMs), jitter: ms(fault, 'jitterMs', fault.jitterMs ?? 0) });
    case 'bandwidth':
      return spec('bandwidth', { rate: count(fault, 'rateKBps', fault.rateKBps, 1) });
    case 'slow_close':
      return spec('slow_close', { delay: ms(fault, 'delayMs', fault.delayMs) });
    case 'timeout':
      return spec('timeout', { timeout: ms(fault, 'timeoutMs', fault.timeoutMs) });
    case 'reset_peer':
      return spec('reset_peer', { timeout: ms(fault, 'timeoutMs', fault.timeoutMs ?? 0) });
    case 'slicer':
      return spec('slicer', {
        average_size: count(fault, 'averageSizeBytes', fault.averageSizeBytes, 1),
        size_variation: count(fault, 'sizeVariationBytes', fault.sizeVariationBytes ?? 0, 0),
        delay: count(fault, 'delayMicros', fault.delayMicros ?? 0, 0),
      });
    case 'limit_data':
      return spec('limit_data', { bytes: count(fault, 'bytes', fault.bytes, 0) });
    case 'down':
      return undefined;
    default: {
      const kind = (fault as { kind?: unknown }).kind;
      throw new RangeError(
        `unknown network fault kind ${JSON.stringify(kind)}; use one of latency, bandwidth, slow_close, timeout, reset_peer, slicer, limit_data, down`,
      );
    }
  }
}

function ms(fault: NetworkFault, field: string, value: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`network fault ${fault.kind}: ${field} must be a non-negative number of milliseconds, got ${String(value)}`);
  }
  return Math.round(value);
}

function count(fault: NetworkFault, field: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`network fault ${fault.kind}: ${field} must be an integer >= ${min}, got ${String(value)}`);
  }
  return value;
}

// ---------------------------------------------------------------------------
// Finding, starting and connecting to the server

/** Where the Toxiproxy server binary is: PATH first, then Go's bin folder; undefined when absent. */
export async function findToxiproxyServer(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  const folders = (env.PATH ?? '').split(delimiter).filter((folder) => folder !== '');
  const goBin = await goBinFolder(env);
  if (goBin !== undefined) folders.push(goBin);
  if (env.HOME !== undefined) folders.push(join(env.HOME, 'go', 'bin'));
  for (const folder of folders) {
    const candidate = join(folder, TOXIPROXY_SERVER_BINARY);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

function goBinFolder(env: NodeJS.ProcessEnv): Promise<string | undefined> {
  if (env.GOBIN !== undefined && env.GOBIN !== '') return Promise.resolve(env.GOBIN);
  return new Promise((resolve) => {
    execFile('go', ['env', 'GOBIN', 'GOPATH'], { timeout: 5_000, env }, (error, stdout) => {
      if (error !== null) {
        resolve(undefined);
        return;
      }
      const [gobin, gopath] = stdout.split('\n').map((line) => line.trim());
      if (gobin !== undefined && gobin !== '') resolve(gobin);
      else if (gopath !== undefined && gopath !== '') resolve(join(gopath.split(delimiter)[0]!, 'bin'));
      else resolve(undefined);
    });
  });
}

/** The Toxiproxy server is not installed and no TOXIPROXY_URL was given. */
export class ToxiproxyMissingError extends Error implements ExitCoded {
  readonly exitCode = EXIT.unreachable;
  constructor() {
    super(
      `Toxiproxy is needed for live mode but ${TOXIPROXY_SERVER_BINARY} is not on PATH nor in $(go env GOPATH)/bin, and TOXIPROXY_URL is not set. ${INSTALL_HINT}`,
    );
    this.name = 'ToxiproxyMissingError';
  }
}

export interface ToxiproxyServer {
  /** The API's base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly client: Toxiproxy;
  /** True when Faultline started the server (and `stop` ends it); false for TOXIPROXY_URL. */
  readonly managed: boolean;
  readonly pid: number | undefined;
  /** Ends a server we started; for an external one, removes only the proxies we created. */
  stop(): Promise<void>;
  /** Synchronous last resort for process 'exit' handlers. */
  killNow(): void;
}

export interface StartToxiproxyOptions {
  /** Start this toxiproxy-server (TOXIPROXY_URL is then ignored); found on PATH / in Go's bin folder when omitted. */
  binary?: string;
  /** Use this running server instead of starting one (default: $TOXIPROXY_URL). */
  url?: string;
  /** How long to wait for the API to answer; 10 s unless set. */
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * Connects to the Toxiproxy at TOXIPROXY_URL, or starts the installed server on
 * a free loopback port. Throws `ToxiproxyMissingError` when neither is possible.
 */
export async function startToxiproxy(options: StartToxiproxyOptions = {}): Promise<ToxiproxyServer> {
  const env = options.env ?? process.env;
  // An explicit binary means "start this one", whatever TOXIPROXY_URL says.
  const external = options.url ?? (options.binary === undefined ? env.TOXIPROXY_URL : undefined);
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  if (external !== undefined && external !== '') return connectExternal(external.replace(/\/+$/, ''), startTimeoutMs);

  const binary = options.binary ?? (await findToxiproxyServer(env));
  if (binary === undefined) throw new ToxiproxyMissingError();

  let lastError: Error | undefined;
  // A free port can be taken between finding it and the server binding it: try a fresh one then.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort();
    const child = await startChild({
      name: 'toxiproxy',
      command: binary,
      args: ['-host', '127.0.0.1', '-port', String(port)],
      // Per-connection info logs cost CPU under load; warnings and errors are enough.
      env: { LOG_LEVEL: env.LOG_LEVEL ?? 'warn' },
    });
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForHttp(`${url}/version`, {
        timeoutMs: startTimeoutMs,
        giveUp: () => (child.running ? undefined : 'the toxiproxy-server process exited'),
      });
      return managedServer(url, child);
    } catch (error) {
      await child.stop(1_000);
      const tail = child.lastLines().slice(-10).join('\n  ');
      lastError = new Error(
        `toxiproxy-server (${binary}) did not start on ${url}: ${(error as Error).message}${tail === '' ? '' : `\n  its last output:\n  ${tail}`}`,
        { cause: error },
      );
    }
  }
  throw lastError!;
}

function managedServer(url: string, child: ChildHandle): ToxiproxyServer {
  return {
    url,
    client: new Toxiproxy(url),
    managed: true,
    pid: child.pid,
    stop: () => child.stop(2_000),
    killNow: () => child.killNow(),
  };
}

async function connectExternal(url: string, timeoutMs: number): Promise<ToxiproxyServer> {
  try {
    await waitForHttp(`${url}/version`, { timeoutMs });
  } catch (error) {
    throw new Error(
      `TOXIPROXY_URL=${url} does not answer: ${(error as Error).message}. Start Toxiproxy there or unset TOXIPROXY_URL to let Faultline start its own. ${INSTALL_HINT}`,
      { cause: error },
    );
  }
  const client = new Toxiproxy(url);
  return {
    url,
    client,
    managed: false,
    pid: undefined,
    async stop() {
      const names = createdProxies.get(client) ?? new Set<string>();
      await Promise.allSettled([...names].map((name) => withDeadline(deleteProxy(client, name), `delete proxy ${name}`)));
      names.clear();
    },
    killNow() {},
  };
}

/** Proxies this process created per server, so an external server is left as we found it. */
const createdProxies = new WeakMap<Toxiproxy, Set<string>>();

async function deleteProxy(client: Toxiproxy, name: string): Promise<void> {
  const proxy = await client.get(name);
  await proxy.remove();
}

// ---------------------------------------------------------------------------
// Links and faults

export interface LinkSpec {
  /** The link's name, used as the proxy name and as the `target` of fault events, e.g. "middleware->odoo". */
  name: string;
  /** Where the link leads, e.g. the emulated Odoo's `http://127.0.0.1:40123`. */
  upstreamUrl: string;
  /** A fixed loopback port for the proxy to listen on (a user's middleware configured up front); a free one unless set. */
  listenPort?: number;
}

export interface LinkProxy {
  readonly name: string;
  /** What the caller uses instead of the upstream URL. */
  readonly url: string;
  readonly upstreamUrl: string;
  /** Switches a fault on, under a name unique on this link. */
  applyFault(id: string, fault: NetworkFault): Promise<void>;
  /** Switches it off again; a fault that is not on is ignored. */
  removeFault(id: string): Promise<void>;
  /** The ids of the faults currently on. */
  activeFaults(): string[];
}

/**
 * Creates one Toxiproxy proxy per link, each listening on a free loopback
 * port, with no toxics. Names must be unique on the server.
 */
export async function createLinkProxies(server: ToxiproxyServer, links: readonly LinkSpec[]): Promise<LinkProxy[]> {
  const seen = new Set<string>();
  for (const link of links) {
    if (!/^[A-Za-z0-9_.\->]+$/.test(link.name)) {
      throw new RangeError(`link name ${JSON.stringify(link.name)} may contain only letters, digits and _ . - > (it names a Toxiproxy proxy)`);
    }
    if (seen.has(link.name)) throw new RangeError(`link ${link.name} is listed twice; each link needs its own name`);
    seen.add(link.name);
    const upstream = URL.parse(link.upstreamUrl);
    if (upstream === null || upstream.protocol !== 'http:' || upstream.port === '') {
      throw new RangeError(`link ${link.name}: upstreamUrl must look like http://127.0.0.1:PORT, got ${JSON.stringify(link.upstreamUrl)}`);
    }
  }
  const created: LinkProxy[] = [];
  let names = createdProxies.get(server.client);
  if (names === undefined) {
    names = new Set();
    createdProxies.set(server.client, names);
  }
  for (const link of links) {
    const upstream = new URL(link.upstreamUrl);
    const proxy = await withDeadline(
      server.client.createProxy({
        name: link.name,
        listen: `127.0.0.1:${link.listenPort ?? 0}`,
        upstream: `${upstream.hostname}:${upstream.port}`,
        enabled: true,
      }),
      `create proxy ${link.name}`,
    ).catch((error: Error) => {
      if (/status code 409/.test(error.message)) {
        throw new Error(
          `${error.message}: a proxy named ${link.name} already exists on ${server.url} (left over from an earlier run?); delete it (toxiproxy-cli delete ${link.name}) or restart Toxiproxy`,
          { cause: error },
        );
      }
      throw error;
    });
    names.add(link.name);
    const basePath = upstream.pathname.replace(/\/+$/, '');
    created.push(linkProxy(link, proxy, `http://${proxy.listen}${basePath}`));
  }
  return created;
}

function linkProxy(link: LinkSpec, proxy: ToxiproxyProxy, url: string): LinkProxy {
  const active = new Map<string, NetworkFault>();
  // Toxiproxy's API is not transactional: switch one fault at a time per link.
  let queue: Promise<unknown> = Promise.resolve();
  const serially = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };
  const downCount = () => [...active.values()].filter((fault) => fault.kind === 'down').length;
  const setEnabled = (enabled: boolean) =>
    withDeadline(proxy.update({ enabled, listen: proxy.listen, upstream: proxy.upstream }), `${enabled ? 'enable' : 'disable'} proxy ${link.name}`);

  return {
    name: link.name,
    url,
    upstreamUrl: link.upstreamUrl,
    applyFault: (id, fault) =>
      serially(async () => {
        if (active.has(id)) throw new Error(`fault ${id} is already on for link ${link.name}; switch it off first or use another id`);
        const toxic = toxicFor(fault);
        if (toxic === undefined) {
          if (downCount() === 0) await setEnabled(false);
        } else {
          await withDeadline(proxy.addToxic({ name: id, ...toxic }), `add toxic ${id} to ${link.name}`);
        }
        active.set(id, fault);
      }),
    removeFault: (id) =>
      serially(async () => {
        const fault = active.get(id);
        if (fault === undefined) return;
        if (fault.kind === 'down') {
          if (downCount() === 1) await setEnabled(true);
        } else {
          const toxic = await withDeadline(proxy.getToxic(id), `find toxic ${id} on ${link.name}`);
          await withDeadline(toxic.remove(), `remove toxic ${id} from ${link.name}`);
        }
        active.delete(id);
      }),
    activeFaults: () => [...active.keys()],
  };
}

/** toxiproxy-node-client's calls carry no timeout of their own. */
function withDeadline<T>(promise: Promise<T>, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const cancel = wallClock.setTimer(API_TIMEOUT_MS, () => reject(new Error(`Toxiproxy did not answer "${what}" within ${API_TIMEOUT_MS} ms`)));
    promise.then(
      (value) => {
        cancel();
        resolve(value);
      },
      (error: unknown) => {
        cancel();
        const detail = error instanceof Error ? error.message : String(error);
        reject(new Error(`Toxiproxy refused "${what}": ${detail}`, { cause: error }));
      },
    );
  });
}
