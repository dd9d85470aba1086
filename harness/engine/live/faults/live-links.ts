import { faultLabel, isLinkFault, matchesLink, scheduleEdges } from '../../../core/faults.ts';
import type { FaultSpec, LinkFaultSpec } from '../../../core/faults.ts';
import type { ScheduledNetworkFault } from './fault-schedule.ts';
import type { NetworkFault } from './toxiproxy.ts';

/** Every link of the built-in world: who calls whom. Each gets its own Toxiproxy proxy. */
export const LIVE_LINKS: ReadonlyArray<{ from: string; to: string }> = [
  { from: 'middleware', to: 'odoo' },
  { from: 'middleware', to: 'payment' },
  { from: 'middleware', to: 'logistics' },
  { from: 'capture', to: 'middleware' },
  { from: 'capture', to: 'payment' },
  { from: 'payment', to: 'middleware' },
  { from: 'logistics', to: 'middleware' },
];

/** The links of the systems a scenario opts into (a CRM, an analytics sink): proxied only when the system takes part. */
export const OPT_IN_LINKS: ReadonlyArray<{ from: string; to: string }> = [
  { from: 'crm', to: 'middleware' },
  { from: 'middleware', to: 'crm' },
  { from: 'middleware', to: 'analytics' },
];

/** The links of a run: the built-in world's, and those of each opt-in system it has. */
export function linksOf(optIn: ReadonlySet<string>): Array<{ from: string; to: string }> {
  return [...LIVE_LINKS, ...OPT_IN_LINKS.filter((link) => optIn.has(link.from === 'middleware' ? link.to : link.from))];
}

/** Link faults that live in the kernel's sockets (Toxiproxy); the rest stay the sender's behaviour, as in sim mode. */
export const NETWORK_FAULT_KINDS: ReadonlySet<string> = new Set(['latency', 'bandwidth', 'timeout', 'reset', 'link-down', 'response-lost']);

export function isNetworkFault(fault: FaultSpec): fault is LinkFaultSpec {
  return isLinkFault(fault) && NETWORK_FAULT_KINDS.has(fault.kind);
}

/** One proxy: a whole link, or the requests of one path prefix on it. */
export interface PlannedLink {
  name: string;
  from: string;
  to: string;
  /** Requests whose path starts with this go through this proxy instead of the link's main one. */
  path?: string;
}

/**
 * The proxies a run needs: one per link, plus one per (link, path) that a
 * network fault names, because Toxiproxy sees bytes, not paths. The sender's
 * fetch routes a request to the proxy of the longest matching path.
 */
export function planLinks(faults: readonly FaultSpec[], optIn: ReadonlySet<string> = new Set()): PlannedLink[] {
  const links = linksOf(optIn);
  const planned: PlannedLink[] = links.map(({ from, to }) => ({ name: `${from}->${to}`, from, to }));
  const seen = new Set(planned.map((link) => link.name));
  for (const fault of faults) {
    if (!isNetworkFault(fault) || fault.link.path === undefined) continue;
    for (const { from, to } of links) {
      if (!matchesLink({ ...fault.link, path: undefined, httpMethod: undefined }, from, to, '')) continue;
      const name = `${from}->${to}${fault.link.path.replace(/[^A-Za-z0-9_.-]+/g, '.')}`;
      if (seen.has(name)) continue;
      seen.add(name);
      planned.push({ name, from, to, path: fault.link.path });
    }
  }
  return planned;
}

/**
 * The proxies a fault acts on. A fault without a path covers every proxy of
 * its links; one with path P covers the path proxies whose path starts with P
 * (every request routed there matches P).
 */
export function proxiesForFault(fault: LinkFaultSpec, planned: readonly PlannedLink[]): PlannedLink[] {
  return planned.filter((link) => {
    if (!matchesLink({ ...fault.link, path: undefined, httpMethod: undefined }, link.from, link.to, '')) return false;
    if (fault.link.path === undefined) return true;
    return link.path?.startsWith(fault.link.path);
  });
}

/**
 * A scenario's network fault as the toxic that means the same thing as in sim
 * mode. `probability` becomes toxicity, which Toxiproxy draws per connection,
 * not per request (a keep-alive connection keeps its draw).
 */
export function networkFaultFor(fault: LinkFaultSpec): NetworkFault {
  const toxicity = 'probability' in fault && fault.probability !== undefined ? { toxicity: fault.probability } : {};
  switch (fault.kind) {
    case 'latency':
      // Toxiproxy's jitter is uniform; normal and exponential distributions are approximated by it.
      return { kind: 'latency', latencyMs: fault.meanMs, jitterMs: fault.jitterMs ?? 0, direction: 'downstream' };
    case 'bandwidth':
      // As in sim, the request's bytes are what the narrow link slows.
      return { kind: 'bandwidth', rateKBps: Math.max(1, Math.round(fault.bytesPerSecond / 1000)), direction: 'upstream' };
    case 'timeout':
      // The request bytes are held: the server never sees it and the caller times out.
      return { kind: 'timeout', timeoutMs: 0, direction: 'upstream', ...toxicity };
    case 'reset':
      return { kind: 'reset_peer', timeoutMs: 0, direction: 'upstream', ...toxicity };
    case 'link-down':
      return { kind: 'down' };
    case 'response-lost':
      // The request goes through and is processed; its answer is held until the caller gives up.
      return { kind: 'timeout', timeoutMs: 0, direction: 'downstream', ...toxicity };
    default:
      throw new RangeError(`fault kind ${fault.kind} is not a network fault; it is applied by the sender`);
  }
}

/**
 * The scenario's network faults as switches on the proxies, on the scenario's
 * schedules (real time, as the capture platform's arrivals), up to `horizonMs`.
 */
export function scheduledNetworkFaults(faults: readonly FaultSpec[], planned: readonly PlannedLink[], horizonMs: number): ScheduledNetworkFault[] {
  const items: ScheduledNetworkFault[] = [];
  faults.forEach((fault, index) => {
    if (!isNetworkFault(fault)) return;
    const label = faultLabel(fault);
    const edges = scheduleEdges(fault.schedule, horizonMs);
    const network = networkFaultFor(fault);
    for (const link of proxiesForFault(fault, planned)) {
      for (let i = 0; i < edges.length; i++) {
        const edge = edges[i]!;
        if (!edge.on || edge.atMs >= horizonMs) continue;
        const off = edges.slice(i + 1).find((e) => !e.on);
        items.push({
          id: `f${index}.${i}.${link.name}`.replace(/[^A-Za-z0-9_.-]+/g, '_'),
          label,
          link: link.name,
          fault: network,
          startMs: Math.max(0, edge.atMs),
          ...(off !== undefined && { endMs: off.atMs }),
        });
      }
    }
  });
  return items;
}
