import { eventsOfKind } from '../core/history.ts';
import type { SendEvent } from '../core/history.ts';
import { formatDuration, plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { Invariant } from './types.ts';

const NAME = 'backs-off';

/**
 * How many refused calls in a row one order's work may make to one system
 * within `BURST_WINDOW_MS`. A retry policy with back-off (half a second, doubling)
 * makes about six in the first ten seconds of an outage; retrying at once
 * makes as many as its attempts allow in a blink, which is what keeps a
 * recovering Odoo or 3PL down when every open order does it.
 */
export const BURST_LIMIT = 10;
export const BURST_WINDOW_MS = 10_000;

/** A call that failed for want of an answer worth having: refused, reset, timed out, or an overloaded or failing server's status. */
function failedStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

export const backsOff: Invariant = {
  name: NAME,
  description: `No order's work hammers a failing system: at most ${BURST_LIMIT} failed calls in a row (no answered call between) from the middleware to one system for one order within any ${formatDuration(BURST_WINDOW_MS)} (retries back off).`,
  check(input) {
    if (input.history.length === 0) return unknownVerdict(NAME, 'no history was recorded, so the calls are unknown');
    const sends = new Map<number, SendEvent>();
    // Failures since the order's last answered call to the same system: an answer between two failures is progress, not a storm.
    const streaks = new Map<string, Array<{ t: number; seq: number }>>();
    const bursts = new Map<string, Array<{ t: number; seq: number }>>();
    const settle = (req: number, failed: boolean, t: number, seq: number): void => {
      const send = sends.get(req);
      if (send === undefined || send.corr === undefined) return;
      sends.delete(req);
      const key = `${send.corr}\u0000${send.to}`;
      if (!failed) {
        streaks.delete(key);
        return;
      }
      const streak = streaks.get(key) ?? [];
      streak.push({ t, seq });
      streaks.set(key, streak);
      while (streak[streak.length - 1]!.t - streak[0]!.t > BURST_WINDOW_MS) streak.shift();
      if (streak.length > (bursts.get(key)?.length ?? 0)) bursts.set(key, [...streak]);
    };
    // Only the kinds read here are built from the packed history: deliveries, Odoo calls and domain events are most of it.
    for (const event of eventsOfKind(input.history, ['send', 'error', 'timeout', 'response'])) {
      if (event.kind === 'send') {
        if (event.from === 'middleware') sends.set(event.req, event);
      } else if (event.kind === 'error' || event.kind === 'timeout') {
        settle(event.req, true, event.t, event.seq);
      } else if (event.kind === 'response') {
        settle(event.req, failedStatus(event.status), event.t, event.seq);
      }
    }
    const log = new ViolationLog();
    for (const [key, burst] of bursts) {
      if (burst.length <= BURST_LIMIT) continue;
      const [ref, system] = key.split('\u0000') as [string, string];
      log.add({
        orderRef: ref,
        message: `${burst.length} failed calls to ${system} in a row within ${formatDuration(burst.at(-1)!.t - burst[0]!.t)} (at most ${BURST_LIMIT} in ${formatDuration(BURST_WINDOW_MS)})`,
        events: burst.slice(0, 6).map((e) => e.seq),
      });
    }
    return log.verdict(NAME, {
      pass: `${plural(bursts.size, 'order × system')} with failed calls, none in a burst`,
      fail: `${plural(log.count, 'order × system')} hammered with retries`,
    });
  },
};
