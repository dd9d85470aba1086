import type { Cancel, Clock, TimerOptions } from './clock.ts';

interface Entry {
  at: number;
  seq: number;
  callback: () => void;
  daemon: boolean;
  cancelled: boolean;
}

/**
 * A discrete-event scheduler on virtual time: a binary heap ordered by
 * (time, insertion sequence), so two events at the same instant always run in
 * the order they were scheduled. That tie-break is what makes runs repeatable.
 */
export class VirtualScheduler implements Clock {
  #now: number;
  #seq = 0;
  #heap: Entry[] = [];
  #liveNonDaemon = 0;
  #executed = 0;

  constructor(epochMs: number) {
    this.#now = epochMs;
  }

  now(): number {
    return this.#now;
  }

  get executedEvents(): number {
    return this.#executed;
  }

  /** Events that keep the run alive (not daemon, not cancelled). */
  get pendingWork(): number {
    return this.#liveNonDaemon;
  }

  get pendingTotal(): number {
    return this.#heap.length;
  }

  setTimer(delayMs: number, callback: () => void, options?: TimerOptions): Cancel {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    const entry: Entry = {
      at: this.#now + delay,
      seq: this.#seq++,
      callback,
      daemon: options?.daemon === true,
      cancelled: false,
    };
    if (!entry.daemon) this.#liveNonDaemon++;
    this.#push(entry);
    return () => {
      if (entry.cancelled) return;
      entry.cancelled = true;
      if (!entry.daemon) this.#liveNonDaemon--;
    };
  }

  sleep(delayMs: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(delayMs, resolve));
  }

  /** Time of the next event, or undefined when nothing is scheduled. */
  peekTime(): number | undefined {
    this.#dropCancelledHead();
    return this.#heap[0]?.at;
  }

  /**
   * Runs every event due at the earliest scheduled instant and advances the
   * clock to it. Returns false when nothing is scheduled or the next event lies
   * beyond `limitMs`.
   */
  runNextInstant(limitMs: number): boolean {
    this.#dropCancelledHead();
    const head = this.#heap[0];
    if (head === undefined || head.at > limitMs) return false;
    const at = head.at;
    this.#now = at;
    while (this.#heap.length > 0) {
      this.#dropCancelledHead();
      const next = this.#heap[0];
      if (next === undefined || next.at !== at) break;
      this.#pop();
      next.cancelled = true;
      if (!next.daemon) this.#liveNonDaemon--;
      this.#executed++;
      next.callback();
    }
    return true;
  }

  /** Moves the clock forward without running anything (to the end of a budget). */
  advanceTo(epochMs: number): void {
    if (epochMs > this.#now) this.#now = epochMs;
  }

  #dropCancelledHead(): void {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#pop();
  }

  #push(entry: Entry): void {
    const heap = this.#heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const child = heap[i]!;
      const above = heap[parent]!;
      if (!before(child, above)) break;
      // Plain assignments: a destructuring swap allocates an array per step unless the optimiser removes it.
      heap[i] = above;
      heap[parent] = child;
      i = parent;
    }
  }

  #pop(): Entry | undefined {
    const heap = this.#heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length > 0 && last !== undefined) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && before(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && before(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        const moved = heap[i]!;
        heap[i] = heap[m]!;
        heap[m] = moved;
        i = m;
      }
    }
    return top;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}

/** Lets every pending promise continuation run before virtual time moves on: a whole turn of the real event loop. */
export function drainMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve)); // lint-allow: the one place sim yields to the real event loop
}

/**
 * Lets every pending promise continuation run, without a turn of the real
 * event loop: Node runs the tick queue only once the microtask queue is
 * empty, continuations of continuations included, so what this resolves
 * resumes its awaiter after them. Enough between two virtual instants when
 * nothing awaits real I/O (simulated systems never do); a turn per instant
 * cost more than a tenth of a simulated run.
 */
export function settleContinuations(): Promise<void> {
  return new Promise((resolve) => process.nextTick(resolve));
}
