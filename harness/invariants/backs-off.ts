import type { SendEvent } from '../core/history.ts';
import { formatDuration, plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { Invariant } from './types.ts';

const NAME = 'backs-off';

/**
 * How many refused calls one order's work may make to one system within
 * `BURST_WINDOW_MS`. A retry policy with back-off (half a second, doubling)
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
  description: `No order's work hammers a failing system: at most ${BURST_LIMIT} failed calls from the middleware to one system for one order within any ${formatDuration(BURST_WINDOW_MS)} (retries back off).`,
  check(input) {
    if (input.history.length === 0) return unknownVerdict(NAME, 'no history was recorded, so the calls are unknown');
    const sends = new Map<number, SendEvent>();
    const failures = new Map<string, Array<{ t: number; seq: number }>>();
    const fail = (req: number, t: number, seq: number): void => {
      const send = sends.get(req);
      if (send === undefined || send.corr === undefined) return;
      sends.delete(req);
      const key = `${send.corr}\u0000${send.to}`;
      const list = failures.get(key) ?? [];
      list.push({ t, seq });
      failures.set(key, list);
    };
    for (const event of input.history) {
      if (event.kind === 'send') {
        if (event.from === 'middleware') sends.set(event.req, event);
      } else if (event.kind === 'error' || event.kind === 'timeout') {
        fail(event.req, event.t, event.seq);
      } else if (event.kind === 'response') {
        if (failedStatus(event.status)) fail(event.req, event.t, event.seq);
        else sends.delete(event.req);
      }
    }
    const log = new ViolationLog();
    for (const [key, list] of failures) {
      // The densest burst: the most failures whose first and last lie within the window.
      let best = { count: 0, from: 0 };
      for (let first = 0, last = 0; last < list.length; last++) {
        while (list[last]!.t - list[first]!.t > BURST_WINDOW_MS) first++;
        if (last - first + 1 > best.count) best = { count: last - first + 1, from: first };
      }
      if (best.count <= BURST_LIMIT) continue;
      const [ref, system] = key.split('\u0000') as [string, string];
      const burst = list.slice(best.from, best.from + best.count);
      log.add({
        orderRef: ref,
        message: `${best.count} failed calls to ${system} within ${formatDuration(burst.at(-1)!.t - burst[0]!.t)} (at most ${BURST_LIMIT} in ${formatDuration(BURST_WINDOW_MS)})`,
        events: burst.slice(0, 6).map((e) => e.seq),
      });
    }
    return log.verdict(NAME, {
      pass: `${plural(failures.size, 'order × system')} with failed calls, none in a burst`,
      fail: `${plural(log.count, 'order × system')} hammered with retries`,
    });
  },
};
