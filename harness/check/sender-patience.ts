import { CAPTURE_DEFAULTS } from '../../simulators/capture/knobs.ts';
import type { Scenario } from '../scenario/scenario.ts';

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
