import { describe, expect, it } from 'vitest';
import type { Clock } from '../../core/clock.ts';
import { waitForQuiet } from './quiescence.ts';

/** A clock whose sleep moves time on at once, so the wait's logic is tested without waiting. */
function steppingClock(): Clock {
  let now = 0;
  return {
    now: () => now,
    setTimer: () => () => undefined,
    sleep: async (ms) => {
      now += ms;
    },
  };
}

describe('waitForQuiet', () => {
  it('is quiet once the load is done, the settle window has passed and the world looked idle several times', async () => {
    const clock = steppingClock();
    const busyUntil = 3_000;
    const result = await waitForQuiet({
      loadDone: () => clock.now() >= 1_000,
      busy: () => (clock.now() < busyUntil ? 'parcels on their way' : undefined),
      settleMs: 500,
      deadlineMs: 60_000,
      clock,
      pollMs: 100,
    });
    expect(result).toEqual({ quiescent: true, busyWith: undefined, loadDoneAtMs: 1_000 });
    // Idle from 3 000 ms, three looks 100 ms apart.
    expect(clock.now()).toBe(3_200);
  });

  it('gives up at the deadline and says what was still going on', async () => {
    const clock = steppingClock();
    const result = await waitForQuiet({ loadDone: () => true, busy: () => '2 requests in flight', settleMs: 0, deadlineMs: 2_000, clock });
    expect(result.quiescent).toBe(false);
    expect(result.busyWith).toBe('2 requests in flight');
    expect(clock.now()).toBe(2_000);
  });

  it('never calls the world quiet while the load is still running', async () => {
    const clock = steppingClock();
    const result = await waitForQuiet({ loadDone: () => false, busy: () => undefined, settleMs: 0, deadlineMs: 1_000, clock });
    expect(result).toMatchObject({ quiescent: false, busyWith: 'the load', loadDoneAtMs: undefined });
  });
});
