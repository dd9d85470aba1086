import { describe, expect, it } from 'vitest';
import { deliveryPlan, holdsFrom, readDeliveries, scriptQueue } from '../replay-script.ts';

describe('replaying a recorded script', () => {
  const startedAt = 1_000_000;

  it('holds each recorded moment until its time when the run reaches the event on time or early', () => {
    // The event was recorded at 5 s; the run is at 4 s: the deliveries at 6 s and 9 s are 2 s and 5 s away.
    expect(holdsFrom(startedAt + 4_000, startedAt, 5_000, [6_000, 9_000])).toEqual([2_000, 5_000]);
  });

  it('moves every moment by the lateness when the run reaches the event later than recorded, keeping gaps and order', () => {
    // Recorded at 5 s, reached at 8 s: 3 s late, so 6 s and 9 s become 1 s and 4 s from now.
    expect(holdsFrom(startedAt + 8_000, startedAt, 5_000, [6_000, 9_000])).toEqual([1_000, 4_000]);
  });

  it('plans the copies as holds and the redeliveries as clock times', () => {
    const now = startedAt + 5_000;
    expect(deliveryPlan(now, startedAt, 5_000, { deliveredAtMs: [5_100, 5_200], retriedAtMs: [65_100] })).toEqual({
      holdsMs: [100, 200],
      retryAt: [startedAt + 65_100],
    });
  });

  it("hands out an order's recorded entries in order, each once", () => {
    const next = scriptQueue(
      [
        { ref: 'A', n: 1 },
        { ref: 'B', n: 2 },
        { ref: 'A', n: 3 },
      ],
      (e) => e.ref,
    );
    expect([next('A')?.n, next('A')?.n, next('A')?.n, next('B')?.n, next('C')]).toEqual([1, 3, undefined, 2, undefined]);
  });

  it('refuses recorded deliveries that cannot have happened, saying where and what to do', () => {
    expect(() => readDeliveries('script.payments[0]', { deliveredAtMs: [900] }, 1_000)).toThrow(
      /script\.payments\[0\]\.deliveredAtMs\[0\] \(900\) is before the event happened \(atMs 1000\).*check the two sources' clocks/,
    );
    expect(() => readDeliveries('script.payments[0]', { deliveredAtMs: [], retriedAtMs: [2_000] }, 1_000)).toThrow(
      /retriedAtMs redelivers a first delivery that deliveredAtMs does not have/,
    );
    expect(() => readDeliveries('script.payments[0]', { deliveredAtMs: [1_500], retriedAtMs: [1_200] }, 1_000)).toThrow(
      /retriedAtMs\[0\] \(1200\) must come after the first delivery \(1500\)/,
    );
    expect(() => readDeliveries('script.payments[0]', { deliveredAtMs: '1500' }, 1_000)).toThrow(/deliveredAtMs must be a list of times/);
  });
});
