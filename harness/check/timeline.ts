import { HTTP_METHODS } from '../core/faults.ts';
import type { HttpMethod, LinkSelector } from '../core/faults.ts';
import type { HistoryEvents, SendEvent } from '../core/history.ts';
import { operationOf } from './coverage.ts';

/**
 * One operation of the integration as a fault-free run showed it: where its
 * requests travel and when (in ms from the moment faults are switched on).
 * Generated faults aim at these instants, so a fault can land on the step
 * that creates invoices an hour into the run as easily as on the first order.
 */
export interface AimPoint {
  operation: string;
  link: LinkSelector;
  /** A few instants it happened at, spread over the run (first, last, some between). */
  times: number[];
}

const HARNESS = 'harness';
const TIMES_PER_POINT = 6;

/** A request path as a link's path prefix: its first one or two segments (`/webhooks/payment`, `/orders`, `/shipments`). */
function routeOf(path: string): string {
  const segments = path.split('/').filter((s) => s !== '');
  if (segments[0] === 'webhooks' && segments[1] !== undefined) return `/webhooks/${segments[1]}`;
  return `/${segments[0] ?? ''}`;
}

function httpMethodOf(send: SendEvent): Pick<LinkSelector, 'httpMethod'> {
  const method = send.method.toUpperCase();
  return (HTTP_METHODS as readonly string[]).includes(method) ? { httpMethod: method as HttpMethod } : {};
}

function spread(times: readonly number[]): number[] {
  if (times.length <= TIMES_PER_POINT) return [...times];
  return Array.from({ length: TIMES_PER_POINT }, (_, k) => times[Math.round((k * (times.length - 1)) / (TIMES_PER_POINT - 1))]!);
}

/**
 * The operations of a run and when they happened. Faults count from the end
 * of the harness's own setup; that moment is taken as the last harness request
 * before any system's first one.
 */
export function operationTimeline(history: HistoryEvents): AimPoint[] {
  let origin: number | undefined;
  let lastHarness = history.at(0)?.t ?? 0;
  const pending = new Map<number, SendEvent>();
  let lastDelivered: number | undefined;
  const points = new Map<string, { link: LinkSelector; times: number[] }>();
  const note = (operation: string, link: LinkSelector, t: number): void => {
    const point = points.get(operation) ?? { link, times: [] };
    point.times.push(t - (origin ?? t));
    points.set(operation, point);
  };
  for (const event of history) {
    if (event.kind === 'send') {
      if (event.from === HARNESS) {
        if (origin === undefined) lastHarness = event.t;
        continue;
      }
      origin ??= lastHarness;
      if (event.to === 'odoo') pending.set(event.req, event);
      else if (event.to === 'middleware')
        note(`${event.from}→middleware ${routeOf(event.path)}`, { from: event.from, to: event.to, path: routeOf(event.path) }, event.t);
      else if (event.from === 'middleware')
        note(operationOf(event), { from: event.from, to: event.to, path: routeOf(event.path), ...httpMethodOf(event) }, event.t);
    } else if (event.kind === 'deliver' && pending.has(event.req)) {
      lastDelivered = event.req;
    } else if (event.kind === 'odoo') {
      // Odoo's own record of a call names no request: it is the one just delivered to it.
      const req = event.req ?? lastDelivered;
      const send = req === undefined ? undefined : pending.get(req);
      if (send === undefined || req === undefined) continue;
      pending.delete(req);
      // Aimed at this one method: every model call shares /jsonrpc or /xmlrpc/2/object, so the link alone would strike them all.
      note(`odoo ${event.model}.${event.method}`, { from: send.from, to: 'odoo', odoo: { model: event.model, method: event.method } }, send.t);
    }
  }
  return [...points]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([operation, { link, times }]) => ({ operation, link, times: spread(times.map((t) => Math.max(0, Math.round(t)))) }));
}
