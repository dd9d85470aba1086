/**
 * Runs one job per order at a time (per-order sequencing), a bounded number of
 * orders at once, on the context's clock. Failed jobs come back after an
 * exponential back-off with jitter; after `maxAttempts` failures in a row with
 * no step recorded in between they go to the dead-letter queue, where
 * reconciliation or a new event can revive them. A failure after progress
 * starts the count (and the back-off) again: under a lossy link a long job
 * gets there step by step instead of dying of failures spread over its steps.
 * The back-off, though, grows with every failure of the last `capMs` as well:
 * against an Odoo that fails a third of its calls, a job records a step
 * between most failures, and a back-off that started again at each step sent
 * eleven failing calls in seven seconds, the hammering that keeps a
 * struggling system down when every open order does it.
 *
 * A job runs under the order's lease in the store (one owner across
 * incarnations): after a crash and restart, an order whose lease a leftover
 * incarnation still holds waits until it runs out instead of running beside it.
 */
import type { Cancel, Clock } from '../../harness/core/clock.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { retryDelayMs } from './backoff.ts';
import type { BackoffPolicy } from './backoff.ts';
import { SupersededError } from './store.ts';
import type { ResilientStore } from './store.ts';

export interface JobQueueOptions {
  store: ResilientStore;
  clock: Clock;
  rng: Rng;
  concurrency: number;
  maxAttempts: number;
  backoff: BackoffPolicy;
  /** How long the lease taken at a job's start lasts; each outbound call then renews it for as long as that call may wait. */
  leaseMs: number;
  /** Does the job; calls `progressed` whenever it records a step. */
  run(ref: string, progressed: () => void): Promise<void>;
  /** Errors no retry can cure (an unknown sku): straight to the dead-letter queue. */
  isPermanent(error: unknown): boolean;
  onDeadLetter(ref: string, attempts: number, error: unknown): void;
}

export class JobQueue {
  readonly #o: JobQueueOptions;
  readonly #ready: string[] = [];
  #readyHead = 0;
  readonly #queued = new Set<string>();
  readonly #running = new Set<string>();
  /** Orders that got news while their job was running: run again after it. */
  readonly #rerun = new Set<string>();
  readonly #delayed = new Map<string, { at: number; cancel: Cancel }>();
  /** Per order, when its failures of the last `capMs` happened (in memory: a restart starts the back-off afresh). */
  readonly #recentFailures = new Map<string, number[]>();
  #pumpTimer: Cancel | undefined;
  #stopped = false;

  constructor(options: JobQueueOptions) {
    this.#o = options;
  }

  get running(): number {
    return this.#running.size;
  }

  /** True while this incarnation runs the order's job (its calls renew the lease). */
  isRunning(ref: string): boolean {
    return this.#running.has(ref);
  }

  /**
   * Puts an order's job (already written to the store) on the schedule. No
   * retry is put off further than the longest back-off: a time beyond that
   * was written before the clock stepped back, and waiting for it would add
   * the step to the wait.
   */
  schedule(ref: string, atMs: number): void {
    this.#scheduleAt(ref, Math.min(atMs, this.#o.clock.now() + this.#o.backoff.capMs));
  }

  #scheduleAt(ref: string, atMs: number): void {
    if (this.#stopped) return;
    if (this.#running.has(ref)) {
      this.#rerun.add(ref);
      return;
    }
    if (this.#queued.has(ref)) return;
    const now = this.#o.clock.now();
    const delayed = this.#delayed.get(ref);
    if (delayed !== undefined) {
      if (delayed.at <= atMs) return;
      delayed.cancel();
      this.#delayed.delete(ref);
    }
    if (atMs <= now) {
      this.#queued.add(ref);
      this.#ready.push(ref);
      this.#schedulePump();
      return;
    }
    // Not a daemon: a retry that is still due is work the run must wait for.
    const cancel = this.#o.clock.setTimer(atMs - now, () => {
      this.#delayed.delete(ref);
      // The wait is over, whatever the clock reads now (it may have stepped back meanwhile).
      this.#scheduleAt(ref, Math.min(atMs, this.#o.clock.now()));
    });
    this.#delayed.set(ref, { at: atMs, cancel });
  }

  /** Schedules every pending job found in the store (after a restart). */
  resume(): void {
    for (const job of this.#o.store.pendingJobs()) this.schedule(job.ref, job.nextAt);
  }

  stop(): void {
    this.#stopped = true;
    this.#pumpTimer?.();
    this.#pumpTimer = undefined;
    for (const { cancel } of this.#delayed.values()) cancel();
    this.#delayed.clear();
  }

  #schedulePump(): void {
    if (this.#pumpTimer !== undefined) return;
    this.#pumpTimer = this.#o.clock.setTimer(0, () => {
      this.#pumpTimer = undefined;
      this.#pump();
    });
  }

  #pump(): void {
    while (!this.#stopped && this.#running.size < this.#o.concurrency && this.#readyHead < this.#ready.length) {
      const ref = this.#ready[this.#readyHead++]!;
      this.#queued.delete(ref);
      this.#running.add(ref);
      void this.#runOne(ref);
    }
    if (this.#readyHead > 1024 && this.#readyHead * 2 > this.#ready.length) {
      this.#ready.splice(0, this.#readyHead);
      this.#readyHead = 0;
    }
  }

  /** Records a failure now and counts the order's failures within the last `capMs`, this one included. */
  #failedLately(ref: string): number {
    const now = this.#o.clock.now();
    const recent = (this.#recentFailures.get(ref) ?? []).filter((at) => now - at < this.#o.backoff.capMs);
    recent.push(now);
    this.#recentFailures.set(ref, recent);
    return recent.length;
  }

  async #runOne(ref: string): Promise<void> {
    const { store, clock } = this.#o;
    try {
      if (this.#stopped || store.closed) return;
      const job = store.job(ref);
      if (job === undefined || job.state !== 'pending') return;
      const leftoverUntil = store.takeLease(ref, clock.now(), clock.now() + this.#o.leaseMs);
      if (leftoverUntil !== undefined) {
        // Another incarnation's job may still have calls out for this order: its turn ends with its lease,
        // however far ahead a clock that stepped back puts that (waiting longer is safe, starting early is not).
        this.#running.delete(ref);
        this.#scheduleAt(ref, leftoverUntil);
        return;
      }
      const attempts = job.attempts + 1;
      // Counted before the work, so a crash mid-job still counts as an attempt.
      store.setJob({ ...job, attempts });
      let progressed = false;
      try {
        await this.#o.run(ref, () => {
          progressed = true;
        });
      } catch (error) {
        if (error instanceof SupersededError || this.#stopped) return;
        this.#rerun.delete(ref);
        const message = error instanceof Error ? error.message : String(error);
        // Failures in a row without a step recorded: this attempt's alone when it got somewhere.
        const failures = progressed ? 1 : attempts;
        if (this.#o.isPermanent(error) || failures >= this.#o.maxAttempts) {
          store.setJob({ ref, attempts: failures, nextAt: clock.now(), state: 'dead', lastError: message });
          this.#o.onDeadLetter(ref, failures, error);
          return;
        }
        const nextAt = clock.now() + retryDelayMs(Math.max(failures, this.#failedLately(ref)), this.#o.rng, this.#o.backoff);
        store.setJob({ ref, attempts: failures, nextAt, state: 'pending', lastError: message });
        this.#running.delete(ref);
        this.schedule(ref, nextAt);
        return;
      }
      if (this.#stopped) return;
      if (this.#rerun.delete(ref)) {
        store.setJob({ ref, attempts: 0, nextAt: clock.now(), state: 'pending', lastError: null });
        this.#running.delete(ref);
        this.schedule(ref, clock.now());
      } else {
        store.finishJob(ref);
        this.#recentFailures.delete(ref);
      }
      // Every call of this job was answered: nobody needs to wait for it.
      store.releaseLease(ref);
    } catch (error) {
      // Only the store can throw here: superseded by a restart, or closed at stop.
      if (!(error instanceof SupersededError)) throw error;
    } finally {
      this.#running.delete(ref);
      if (!this.#stopped) this.#schedulePump();
    }
  }
}
