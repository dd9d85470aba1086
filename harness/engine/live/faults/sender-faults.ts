import type { Clock } from '../../../core/clock.ts';
import { faultLabel, forgedBody, isActive, matchesLink } from '../../../core/faults.ts';
import { planMessage } from '../../../core/message-plan.ts';
import type { LinkFaultSpec } from '../../../core/faults.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import type { Rng } from '../../../core/rng.ts';
import { HEADERS, NetworkError } from '../../../core/system.ts';
import type { SystemFetch } from '../../../core/system.ts';
import type { LiveFetch } from '../http/live-fetch.ts';

/** Where a sender's calls to one system go: the link's proxy, and the proxies of single paths on it. */
export interface SenderRoute {
  to: string;
  base: string;
  paths: ReadonlyArray<{ path: string; base: string }>;
}

export interface SenderFetchOptions {
  from: string;
  /** Records send/deliver/response in the history. */
  live: LiveFetch;
  /** Sends duplicate copies without recording them as calls of their own (sim records a `duplicate` event instead). */
  quiet: SystemFetch;
  routes: readonly SenderRoute[];
  /** The scenario's message-level link faults (duplicate, reorder, delay, drop, http-error). */
  faults: readonly LinkFaultSpec[];
  rng: Rng;
  history: HistoryWriter;
  clock: Clock;
  /** Wall-clock start of the fault schedules (known only once the run starts). */
  startMs: () => number;
  /** Multiplies the faults' delays (delay, reorder window, duplicate gap): they are business time, like the 3PL's steps. */
  timeScale: number;
  defaultTimeoutMs: number;
  /** False once the sending incarnation has crashed: it can send nothing more and hears no answers. */
  alive?: () => boolean;
  /** Called once per message a fault acted on. */
  onEffect?: () => void;
}

/**
 * The fetch a live system gets: message-level faults applied by the sender,
 * as harness/engine/sim/network.ts does, and each request routed to the proxy of its
 * link (or of its path on that link).
 */
export function createSenderFetch(options: SenderFetchOptions): SystemFetch {
  const { from, live, routes, history, clock, rng } = options;
  const effect = (): void => options.onEffect?.();
  const dead = (what: string): NetworkError => new NetworkError('reset', `${what}: ${from} has crashed`, false);

  return async (input, init) => {
    const href = input instanceof Request ? input.url : String(input);
    if (options.alive?.() === false) throw dead(href);
    const url = URL.parse(href);
    const route = url === null ? undefined : routes.find((r) => url.href === r.base || url.href.startsWith(`${r.base}/`));
    if (url === null || route === undefined) return live.fetch(input, init);
    const basePath = new URL(route.base).pathname.replace(/\/+$/, '');
    const path = url.pathname.slice(basePath.length) || '/';
    const since = clock.now() - options.startMs();
    const active = options.faults.filter(
      (f) =>
        matchesLink(
          f.link,
          from,
          route.to,
          path,
          input instanceof Request ? undefined : init?.body,
          input instanceof Request ? input.method : (init?.method ?? 'GET'),
        ) && isActive(f.schedule, since),
    );

    // Only the message-level faults reach here: Toxiproxy applies the others on the link.
    const plan = planMessage(active, rng, { bytes: () => 0, timeScale: options.timeScale });
    const { delayMs, lost: dropped, httpError, copies, gapMs, forged, delayedBy } = plan;

    const pathProxy = route.paths.filter((p) => path.startsWith(p.path)).sort((a, b) => b.path.length - a.path.length)[0];
    const target = pathProxy === undefined ? href : pathProxy.base + url.pathname.slice(basePath.length) + url.search;
    const request = input instanceof Request ? new Request(target, input) : target;

    if (dropped !== undefined || httpError !== undefined) {
      effect();
      const headers = new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined));
      const req = history.nextRequestId();
      const corr = headers.get(HEADERS.correlationId) ?? undefined;
      const attempt = headers.get(HEADERS.attempt);
      history.append({
        kind: 'send',
        req,
        from,
        to: route.to,
        method: init?.method ?? (input instanceof Request ? input.method : 'GET'),
        path: url.pathname + url.search,
        ...(corr !== undefined && { corr }),
        ...(attempt !== null && Number.isInteger(Number(attempt)) && { attempt: Number(attempt) }),
      });
      if (dropped !== undefined) {
        history.append({ kind: 'drop', req, fault: dropped });
        const timeoutMs = init?.timeoutMs ?? options.defaultTimeoutMs;
        await clock.sleep(timeoutMs);
        history.append({ kind: 'timeout', req, outcome: 'fail', reason: `no answer within ${timeoutMs} ms` });
        throw new NetworkError('timeout', `${url.href}: no answer within ${timeoutMs} ms`, false);
      }
      const { status, fault } = httpError!;
      if (delayedBy !== undefined) history.append({ kind: 'delay', req, fault: delayedBy, ms: Math.round(plan.heldMs) });
      if (delayMs > 0) await clock.sleep(delayMs);
      history.append({ kind: 'response', req, status, outcome: 'fail' });
      return new Response(`injected ${status} (${fault})`, { status });
    }

    if (delayMs > 0) {
      effect();
      await clock.sleep(delayMs);
      if (options.alive?.() === false) throw dead(href);
    }
    // The forgery is sent, and answered, before the real message, so it lands first, as in sim; the
    // signature it carries is the real body's and no longer matches.
    const forgery = forged === undefined ? undefined : await sendForgery(forged, request, init);
    // Recorded once the request has its number: the send is written only after the hold, as it leaves.
    const onSend = (req: number): void => {
      if (delayedBy !== undefined) history.append({ kind: 'delay', req, fault: delayedBy, ms: Math.round(plan.heldMs) });
      if (forgery !== undefined) history.append({ kind: 'duplicate', req, fault: forgery });
    };
    let answer: Promise<Response>;
    if (copies === 0) {
      answer = forgery === undefined && delayedBy === undefined ? live.fetch(request, init) : live.fetchTraced(request, init, onSend);
    } else {
      effect();
      const template = input instanceof Request ? (request as Request).clone() : undefined;
      answer = live.fetchTraced(request, init, (req) => {
        onSend(req);
        for (let i = 1; i <= copies; i++) {
          clock.setTimer(i * Math.max(gapMs, 1), () => {
            history.append({ kind: 'duplicate', req, fault: 'duplicate' });
            const copy = template === undefined ? target : new Request(target, template.clone());
            void options.quiet(copy, init).then(
              (r) => r.arrayBuffer(),
              () => undefined,
            );
          });
        }
      });
    }
    const response = await answer;
    if (options.alive?.() === false) throw dead(href);
    return response;
  };

  /** Sends the tampered copy quietly; its label for the history, or undefined when the body is not a JSON object. */
  async function sendForgery(
    fault: Extract<LinkFaultSpec, { kind: 'forge' }>,
    request: string | Request,
    init: Parameters<SystemFetch>[1],
  ): Promise<string | undefined> {
    const text = typeof init?.body === 'string' ? init.body : request instanceof Request ? await request.clone().text() : undefined;
    const lie = text === undefined ? undefined : forgedBody(text, fault.set);
    if (lie === undefined) return undefined;
    effect();
    const copy = request instanceof Request ? new Request(request, { body: lie }) : request;
    await options.quiet(copy, { ...init, body: lie }).then(
      (r) => r.arrayBuffer(),
      () => undefined,
    );
    return faultLabel(fault);
  }
}
