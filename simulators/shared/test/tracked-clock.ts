import type { Clock } from '../../../harness/core/clock.ts';

/**
 * A clock that counts the timers set through it that have neither fired nor
 * been cancelled. A simulator given it directly, with no incarnation around it
 * (as `faultline serve` gives one the wall clock), must bring the count to zero
 * when it is stopped: nothing else will cancel what it left.
 */
export function trackedClock(base: Clock): Clock & { readonly pending: number } {
  const live = new Set<object>();
  const clock: Clock & { readonly pending: number } = {
    now: () => base.now(),
    setTimer(delayMs, callback, options) {
      const timer = {};
      live.add(timer);
      const cancel = base.setTimer(
        delayMs,
        () => {
          live.delete(timer);
          callback();
        },
        options,
      );
      return () => {
        live.delete(timer);
        cancel();
      };
    },
    sleep: (delayMs) => new Promise<void>((resolve) => clock.setTimer(delayMs, resolve)),
    get pending() {
      return live.size;
    },
  };
  return clock;
}
