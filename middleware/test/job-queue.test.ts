import { afterEach, describe, expect, it } from 'vitest';
import { skewedClock } from '../../harness/core/clock.ts';
import { createRng } from '../../harness/core/rng.ts';
import { drainMicrotasks, VirtualScheduler } from '../../harness/core/scheduler.ts';
import { JobQueue } from '../resilient/job-queue.ts';
import { ResilientStore } from '../resilient/store.ts';

describe('the job queue', () => {
  let store: ResilientStore | undefined;
  afterEach(() => store?.close());

  /**
   * A queue of one job at a time on a fresh in-memory store, whose clock can be stepped as an NTP correction or a
   * time-zone fix steps a server's.
   */
  function queueFor(run: (ref: string, progressed: () => void) => Promise<void>, maxAttempts: number) {
    const scheduler = new VirtualScheduler(0);
    let offset = 0;
    const opened = new ResilientStore(undefined);
    store = opened;
    const queue = new JobQueue({
      store: opened,
      clock: skewedClock(scheduler, () => offset),
      rng: createRng(1),
      concurrency: 1,
      maxAttempts,
      backoff: { baseMs: 10, capMs: 100 },
      leaseMs: 1_000,
      run,
      isPermanent: () => false,
      onDeadLetter: () => undefined,
    });
    return { scheduler, queue, store: opened, step: (ms: number) => (offset += ms) };
  }

  /** Runs `ref`'s job with `run` until nothing is scheduled; returns the dead letters' refs. */
  async function runJob(run: (ref: string, progressed: () => void) => Promise<void>): Promise<string[]> {
    const { scheduler, queue, store } = queueFor(run, 3);
    store.enqueue('CAP-1', 0);
    queue.schedule('CAP-1', 0);
    await drainMicrotasks();
    while (scheduler.runNextInstant(Number.MAX_SAFE_INTEGER)) await drainMicrotasks();
    return store.deadLetters().map((j) => j.ref);
  }

  it('dead-letters a job after maxAttempts failures in a row that record nothing', async () => {
    let calls = 0;
    const dead = await runJob(async () => {
      calls++;
      throw new Error('no answer');
    });
    expect([dead, calls]).toEqual([['CAP-1'], 3]);
  });

  it('retries on time when the clock steps back an hour while the job waits', async () => {
    const ranAt: number[] = [];
    const { scheduler, queue, store, step } = queueFor(async () => {
      ranAt.push(scheduler.now());
      if (ranAt.length === 1) {
        // The retry's time is set by the clock as it is now; the step comes a moment later, while the job waits.
        scheduler.setTimer(1, () => step(-3_600_000));
        throw new Error('no answer');
      }
    }, 5);
    store.enqueue('CAP-1', 0);
    queue.schedule('CAP-1', 0);
    await drainMicrotasks();
    while (scheduler.runNextInstant(Number.MAX_SAFE_INTEGER)) await drainMicrotasks();
    expect(ranAt).toHaveLength(2);
    expect(ranAt[1]! - ranAt[0]!).toBeLessThanOrEqual(100);
  });

  it('runs a job the store holds for a time beyond the longest back-off within that back-off', async () => {
    const ranAt: number[] = [];
    const { scheduler, queue, store } = queueFor(async () => {
      ranAt.push(scheduler.now());
    }, 5);
    // Written an hour ahead by a clock that has since stepped back.
    store.enqueue('CAP-1', 0);
    store.setJob({ ref: 'CAP-1', attempts: 1, nextAt: 3_600_000, state: 'pending', lastError: 'no answer' });
    queue.resume();
    while (scheduler.runNextInstant(Number.MAX_SAFE_INTEGER)) await drainMicrotasks();
    expect(ranAt).toEqual([100]);
  });

  it('keeps a job going that records a step before each failure, until it is done', async () => {
    let calls = 0;
    const dead = await runJob(async (_ref, progressed) => {
      calls++;
      if (calls > 6) return;
      progressed();
      throw new Error('no answer after one more step');
    });
    expect([dead, calls]).toEqual([[], 7]);
  });
});
