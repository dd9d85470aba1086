import { afterEach, describe, expect, it } from 'vitest';
import { createRng } from '../../harness/core/rng.ts';
import { drainMicrotasks, VirtualScheduler } from '../../harness/core/scheduler.ts';
import { JobQueue } from '../resilient/job-queue.ts';
import { ResilientStore } from '../resilient/store.ts';

describe('the job queue', () => {
  let store: ResilientStore | undefined;
  afterEach(() => store?.close());

  /** Runs `ref`'s job with `run` until nothing is scheduled; returns the dead letters' refs. */
  async function runJob(run: (ref: string, progressed: () => void) => Promise<void>): Promise<string[]> {
    const scheduler = new VirtualScheduler(0);
    store = new ResilientStore(undefined);
    const queue = new JobQueue({
      store,
      clock: scheduler,
      rng: createRng(1),
      concurrency: 1,
      maxAttempts: 3,
      backoff: { baseMs: 10, capMs: 100 },
      leaseMs: 1_000,
      run,
      isPermanent: () => false,
      onDeadLetter: () => undefined,
    });
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
