/**
 * At-least-once webhook delivery, the way payment gateways and 3PLs do it:
 * each message is held (delay + reorder window), possibly copied, possibly
 * lost, then POSTed with a fresh signature per attempt and retried with
 * back-off on a non-2xx answer or none, until it succeeds, the retry horizon
 * passes, or `drop.afterFailures` is reached. Every attempt is reported to
 * the owner's ledger through `onDelivery`.
 */
import type { Clock } from '../../harness/core/clock.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { HEADERS, type SystemContext, type SystemFetch } from '../../harness/core/system.ts';
import { type MessageBehaviour, type RetrySchedule, backoffMs, sampleDelay } from './behaviour.ts';
import { SIGNATURE_HEADER } from '../../harness/contracts/headers.ts';
import { signWebhook } from '../../harness/contracts/webhook-signature.ts';

export type DeliveryOutcome = 'ok' | 'error' | 'no_answer' | 'dropped';

export interface DeliveryRecord {
  eventId: string;
  /** 1 for the first try of a copy; for `dropped`, the attempt that was never made. */
  attempt: number;
  /** 0 for the original message, 1.. for duplicates the sender made on purpose. */
  copy: number;
  at: number;
  outcome: DeliveryOutcome;
  status: number | null;
}

export interface OutgoingMessage<Meta = unknown> {
  eventId: string;
  /** The owner's own data about the message, handed back with each delivery record (no lookup table needed). */
  meta: Meta;
  /** The order reference, sent as `x-correlation-id`. */
  corr: string;
  /** The JSON body, serialised once: every copy and attempt sends the same bytes. */
  body: string;
  /**
   * A recorded delivery script: one copy per entry, each sent this many ms from now, with no
   * random hold, copy or drop (a scenario's `script` replays what a real sender did).
   */
  holdsMs?: readonly number[];
  /**
   * Recorded redeliveries of the first copy, as clock times: after a failed attempt n, attempt n + 1 is sent at
   * the n-th time instead of after a drawn back-off (and only then: an acknowledged message is not redelivered).
   */
  retryAt?: readonly number[];
}

export interface WebhookSenderOptions<Meta> {
  clock: Clock;
  rng: Rng;
  fetch: SystemFetch;
  url: string;
  secret: string;
  behaviour: MessageBehaviour;
  retry: RetrySchedule;
  /** Multiplies every business delay (hold, back-off, horizon) but not the timeout: compresses time in live runs. */
  timeScale: number;
  onDelivery(message: OutgoingMessage<Meta>, record: DeliveryRecord): void;
  /** Cancel unread answer bodies so live sockets are freed at once; pointless work in sim. Default true. */
  releaseBodies?: boolean;
}

export interface WebhookSender<Meta> {
  send(message: OutgoingMessage<Meta>): void;
  /** Messages not yet delivered, dropped or given up on. */
  readonly pending: number;
  /** Sends nothing more: holds and retries still pending do nothing when their time comes (the incarnation cancels their timers). */
  stop(): void;
}

export function createWebhookSender<Meta>(options: WebhookSenderOptions<Meta>): WebhookSender<Meta> {
  const { clock, rng, fetch, url, secret, behaviour, retry, timeScale, onDelivery } = options;
  const releaseBodies = options.releaseBodies ?? true;
  let pending = 0;
  let stopped = false;

  // The sender's incarnation owns every timer set here and cancels them when it stops or dies.
  const later = (delayMs: number, run: () => void): void => {
    clock.setTimer(delayMs, run);
  };

  const finish = (): void => {
    pending--;
  };

  const attempt = (message: OutgoingMessage<Meta>, copy: number, n: number, firstAt: number): void => {
    if (stopped) return;
    const at = clock.now();
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signWebhook(secret, message.body, at),
      [HEADERS.correlationId]: message.corr,
      [HEADERS.attempt]: String(n),
    };
    const settle = (outcome: DeliveryOutcome, status: number | null): void => {
      if (stopped) return;
      onDelivery(message, { eventId: message.eventId, attempt: n, copy, at, outcome, status });
      if (outcome === 'ok') {
        finish();
        return;
      }
      const afterFailures = behaviour.drop.afterFailures;
      const recorded = copy === 0 ? message.retryAt?.[n - 1] : undefined;
      if (recorded !== undefined) {
        later(Math.max(0, recorded - clock.now()), () => attempt(message, copy, n + 1, firstAt));
        return;
      }
      const wait = Math.round(backoffMs(retry, n, rng) * timeScale);
      const giveUp = (afterFailures !== null && n >= afterFailures) || clock.now() + wait - firstAt > retry.horizonMs * timeScale;
      if (giveUp) {
        onDelivery(message, { eventId: message.eventId, attempt: n + 1, copy, at: clock.now(), outcome: 'dropped', status: null });
        finish();
        return;
      }
      later(wait, () => attempt(message, copy, n + 1, firstAt));
    };
    fetch(url, { method: 'POST', headers, body: message.body, timeoutMs: retry.timeoutMs }).then(
      (response) => {
        if (releaseBodies && response.body !== null) response.body.cancel().catch(() => {});
        settle(response.status >= 200 && response.status < 300 ? 'ok' : 'error', response.status);
      },
      () => settle('no_answer', null),
    );
  };

  const hold = (copy: number): number => {
    const base = sampleDelay(rng, behaviour.delay);
    const shuffle = behaviour.reorder.windowMs > 0 ? Math.round(rng.next() * behaviour.reorder.windowMs) : 0;
    return Math.round((base + shuffle + copy * behaviour.duplicate.gapMs) * timeScale);
  };

  return {
    send(message) {
      if (stopped) return;
      if (message.holdsMs !== undefined) {
        message.holdsMs.forEach((holdMs, copy) => {
          pending++;
          later(Math.max(0, Math.round(holdMs)), () => attempt(message, copy, 1, clock.now()));
        });
        return;
      }
      if (rng.chance(behaviour.drop.probability)) {
        onDelivery(message, { eventId: message.eventId, attempt: 1, copy: 0, at: clock.now(), outcome: 'dropped', status: null });
        return;
      }
      const copies = rng.chance(behaviour.duplicate.probability) ? 1 + behaviour.duplicate.copies : 1;
      for (let copy = 0; copy < copies; copy++) {
        pending++;
        later(hold(copy), () => attempt(message, copy, 1, clock.now()));
      }
    },
    get pending() {
      return pending;
    },
    stop() {
      stopped = true;
    },
  };
}

/** The knobs every simulator that sends webhooks has, under the same names. */
export interface WebhookKnobs {
  webhookSecret: string;
  webhooks: MessageBehaviour;
  retry: RetrySchedule;
  timeScale: number;
}

/**
 * A simulator's webhook sender as every simulator builds it: its own clock and
 * `fetch`, a random stream of its own, the knobs above, answer bodies freed at
 * once in live mode only.
 */
export function webhookSenderFor<Meta>(
  context: SystemContext,
  url: string,
  knobs: WebhookKnobs,
  onDelivery: WebhookSenderOptions<Meta>['onDelivery'],
): WebhookSender<Meta> {
  return createWebhookSender<Meta>({
    clock: context.clock,
    rng: context.rng.fork('webhooks'),
    fetch: context.fetch,
    url,
    secret: knobs.webhookSecret,
    behaviour: knobs.webhooks,
    retry: knobs.retry,
    timeScale: knobs.timeScale,
    releaseBodies: context.mode === 'live',
    onDelivery,
  });
}
