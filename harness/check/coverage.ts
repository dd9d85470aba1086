import type { HistoryEvents, SendEvent } from '../core/history.ts';

/**
 * Which operation × fault pairs a run exercised, read back from its history:
 * an operation is what a request does (an Odoo model and method, a webhook, an
 * upstream call), a fault is what happened to it (answer lost, dropped,
 * held back by a delay or a reordering, duplicated, reset, refused, an error
 * status, a timeout, a serialization failure, a crash while it was in flight). A fault that was switched on but
 * touched nothing does not count: coverage is what the middleware met.
 */
export function exercisedPairs(history: HistoryEvents): string[] {
  const sends = new Map<number, SendEvent>();
  const odooMethod = new Map<number, string>();
  const delivered = new Set<number>();
  const effects: Array<{ req: number; fault: string }> = [];
  const affected = new Set<number>();
  const effect = (req: number, fault: string): void => {
    affected.add(req);
    effects.push({ req, fault });
  };
  const pairs = new Set<string>();
  let lastOperation: string | undefined;
  let lastToOdoo: number | undefined;
  for (const event of history) {
    switch (event.kind) {
      case 'send':
        sends.set(event.req, event);
        break;
      case 'deliver':
        delivered.add(event.req);
        if (sends.get(event.req)?.to === 'odoo') lastToOdoo = event.req;
        break;
      case 'odoo': {
        // Odoo's own record of a call names no request: it is the one just delivered to it.
        const req = event.req ?? lastToOdoo;
        if (req === undefined || sends.get(req)?.from === 'harness') break;
        lastOperation = `odoo ${event.model}.${event.method}`;
        odooMethod.set(req, lastOperation);
        if (event.error !== undefined && /serializ/i.test(event.error)) pairs.add(`${lastOperation} × serialization-failure`);
        break;
      }
      case 'drop':
      case 'delay':
        effect(event.req, faultKind(event.fault));
        break;
      case 'duplicate':
        // A forged copy is recorded as a copy of the request it imitates, under the forge's label.
        effect(event.req, event.fault.startsWith('forge') ? 'forge' : 'duplicate');
        break;
      case 'error':
        effect(event.req, /reset/.test(event.reason) ? 'reset' : /link down/.test(event.reason) ? 'link-down' : 'refused');
        break;
      case 'timeout':
        // A timeout after a lost message or answer is that fault's doing, already counted.
        if (!affected.has(event.req)) effect(event.req, 'timeout');
        break;
      case 'response':
        if (event.status >= 400) effect(event.req, delivered.has(event.req) ? `status ${event.status}` : 'http-error');
        break;
      case 'crash':
        pairs.add(`${event.system} crash after ${lastOperation ?? 'start'}`);
        break;
      default:
        break;
    }
  }
  for (const { req, fault } of effects) {
    const send = sends.get(req);
    if (send === undefined || send.from === 'harness') continue;
    pairs.add(`${odooMethod.get(req) ?? operationOf(send)} × ${fault}`);
  }
  return [...pairs].sort();
}

/** `response-lost@middleware->odoo` → `response-lost`; a fault with its own id keeps it. */
function faultKind(label: string): string {
  return label.split('@')[0] ?? label;
}

/**
 * A request as an operation: inbound by path, outbound by system, method and
 * path with ids folded (a booking and a look-up share a path, not a purpose).
 */
export function operationOf(send: Pick<SendEvent, 'from' | 'to' | 'path' | 'method'>): string {
  const path = send.path.replace(/\/\d+(?=\/|$)/g, '/:id').replace(/\/[A-Z]{2,}-\d+(?=\/|$)/g, '/:ref');
  if (send.to === 'odoo') return 'odoo (not delivered)';
  if (send.to === 'middleware') return `${send.from}→${send.to} ${path}`;
  return `${send.from}→${send.to} ${send.method} ${path}`;
}

/** Pairs per search, with how many cases met each: the coverage a check report prints. */
export class CoverageTally {
  readonly #counts = new Map<string, number>();

  add(pairs: readonly string[]): void {
    for (const pair of pairs) this.#counts.set(pair, (this.#counts.get(pair) ?? 0) + 1);
  }

  /** Sorted by pair, so two searches over the same cases print the same lines. */
  entries(): Array<[string, number]> {
    return [...this.#counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  }

  get size(): number {
    return this.#counts.size;
  }
}
