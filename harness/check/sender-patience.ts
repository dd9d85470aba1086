import { CAPTURE_DEFAULTS } from '../../simulators/capture/knobs.ts';
import { LOGISTICS_DEFAULTS } from '../../simulators/logistics/knobs.ts';
import { PAYMENT_DEFAULTS } from '../../simulators/payment/knobs.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { SenderTimeouts } from './aim.ts';

/**
 * The shortest time the capture platform keeps retrying an order before it
 * gives up, with its back-off jitter at its least. An order it gives up on
 * never reaches the middleware — no design can save it — so faults that shut
 * the middleware's door must stay shorter than this to test the middleware
 * rather than the storefront.
 */
export function capturePatienceMs(base: Scenario): number {
  const given = (base.systems?.capture?.retry ?? {}) as Partial<typeof CAPTURE_DEFAULTS.retry>;
  const retry = { ...CAPTURE_DEFAULTS.retry, ...given };
  let total = 0;
  for (let failures = 1; failures < retry.attempts; failures++) {
    const backoff = Math.min(retry.maxBackoffMs, retry.initialBackoffMs * retry.backoffFactor ** (failures - 1));
    total += backoff * (1 - retry.jitter);
  }
  return Math.floor(total);
}

/**
 * The longest the capture platform waits between two attempts at one order,
 * its back-off jitter at its least: two middleware downtimes closer together
 * than this are one to an order retrying across them, as no attempt need
 * land in the gap.
 */
export function captureLongestBackoffMs(base: Scenario): number {
  const given = (base.systems?.capture?.retry ?? {}) as Partial<typeof CAPTURE_DEFAULTS.retry>;
  const retry = { ...CAPTURE_DEFAULTS.retry, ...given };
  return Math.ceil(Math.min(retry.maxBackoffMs, retry.initialBackoffMs * retry.backoffFactor ** Math.max(0, retry.attempts - 2)));
}

/**
 * How long each sender waits for one answer: the storefront and the webhook
 * senders by their knobs, the middleware by its own (`odooTimeoutMs`,
 * `upstreamTimeoutMs` in the scenario's middleware settings, else the
 * reference middlewares' defaults of 10 s and 30 s). Delays aimed "just
 * below" and "just above" these are where retries meet work already done.
 */
export function senderTimeouts(base: Scenario): SenderTimeouts {
  const systems = (base.systems ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const number = (value: unknown, fallback: number): number => (typeof value === 'number' && value > 0 ? value : fallback);
  const retryTimeout = (system: string, fallback: number): number =>
    number((systems[system]?.retry as Record<string, unknown> | undefined)?.timeoutMs, fallback);
  return {
    capture: retryTimeout('capture', CAPTURE_DEFAULTS.retry.timeoutMs),
    webhooks: Math.min(retryTimeout('payment', PAYMENT_DEFAULTS.retry.timeoutMs), retryTimeout('logistics', LOGISTICS_DEFAULTS.retry.timeoutMs)),
    odoo: number(systems.middleware?.odooTimeoutMs, 10_000),
    upstream: number(systems.middleware?.upstreamTimeoutMs, 30_000),
  };
}
