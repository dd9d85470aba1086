import { describe, expect, it } from 'vitest';
import { constantRate, runOpenLoad } from './load.ts';

describe('runOpenLoad', () => {
  it('issues every planned arrival and counts completions and failures', async () => {
    let calls = 0;
    const result = await runOpenLoad({
      profile: constantRate(500, 200),
      maxInFlight: 50,
      task: async ({ index }) => {
        calls++;
        if (index % 10 === 0) throw new Error('payment gateway said no');
      },
    });
    expect(calls).toBe(100);
    expect(result).toMatchObject({ plannedArrivals: 100, started: 100, dropped: 0, completed: 90, failed: 10, unfinished: 0, notIssued: 0 });
    expect(result.errors).toEqual([{ message: 'payment gateway said no', count: 10 }]);
    expect(result.latencyMs.count).toBe(100);
    expect(result.timeline.reduce((n, b) => n + b.started, 0)).toBe(100);
  });

  it('drops arrivals instead of queueing them when max in-flight is reached', async () => {
    const result = await runOpenLoad({
      profile: constantRate(1_000, 100),
      maxInFlight: 10,
      drainTimeoutMs: 50,
      task: () => new Promise(() => {}),
    });
    expect(result).toMatchObject({ plannedArrivals: 100, started: 10, dropped: 90, completed: 0, unfinished: 10, maxInFlightSeen: 10 });
  });

  it('keeps issuing arrivals while earlier ones are slow (arrivals do not wait for answers)', async () => {
    const result = await runOpenLoad({
      profile: constantRate(200, 200),
      maxInFlight: 100,
      task: async ({ signal }) => {
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 150);
          signal.addEventListener('abort', () => clearTimeout(t));
        });
      },
    });
    expect(result.started).toBe(40);
    expect(result.maxInFlightSeen).toBeGreaterThan(20);
  });

  it('measures latency from the intended arrival time, so a stalled generator shows up (no coordinated omission)', async () => {
    const result = await runOpenLoad({
      profile: constantRate(1_000, 100),
      maxInFlight: 1_000,
      task: async ({ index }) => {
        // The first arrival blocks the process for 60 ms: later arrivals are issued late.
        if (index === 0) {
          const until = performance.now() + 60;
          while (performance.now() < until) {
            // busy on purpose
          }
        }
      },
    });
    // Each task is instant once started, yet arrivals due during the stall waited for it.
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(50);
    expect(result.issueLagMs.max).toBeGreaterThanOrEqual(50);
  });

  it('aborts the arrivals it stops waiting for at the drain timeout', async () => {
    let aborted = 0;
    const result = await runOpenLoad({
      profile: constantRate(100, 50),
      maxInFlight: 10,
      drainTimeoutMs: 20,
      task: ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            aborted++;
            reject(signal.reason);
          });
        }),
    });
    expect(result.unfinished).toBe(5);
    await new Promise((resolve) => setImmediate(resolve));
    expect(aborted).toBe(5);
  });

  it('stops issuing when the caller aborts', async () => {
    const controller = new AbortController();
    const result = await runOpenLoad({
      profile: constantRate(100, 10_000),
      maxInFlight: 10,
      signal: controller.signal,
      task: async ({ index }) => {
        if (index === 4) controller.abort();
      },
    });
    expect(result.started).toBe(5);
    expect(result.notIssued).toBe(995);
  });

  it('refuses options it cannot run, saying what to pass', async () => {
    await expect(runOpenLoad({ profile: constantRate(1, 1_000), maxInFlight: 0, task: async () => {} })).rejects.toThrow(
      /maxInFlight must be a positive integer/,
    );
    await expect(runOpenLoad({ profile: {} as never, maxInFlight: 1, task: async () => {} })).rejects.toThrow(/constantRate, rampRate, spikeRate/);
  });
});
