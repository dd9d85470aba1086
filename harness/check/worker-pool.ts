import { getCompileCacheDir } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CaseSpace } from './case-space.ts';
import type { CaseTrial } from './case-trial.ts';

/** Runs generated cases by index, `slots` at a time. */
export interface TrialRunner {
  readonly slots: number;
  run(index: number): Promise<CaseTrial>;
  close(): Promise<void>;
}

/**
 * Where a worker thread gets what the main thread has as live objects: the
 * scenario (loaded again through `loader`, a module exporting
 * `loadScenario(nameOrPath, cwd)`) and the middleware (resolved again by name
 * or path). Functions cannot cross a thread boundary; names can.
 */
export interface WorkerSource {
  loader: string;
  scenario: string;
  middleware: string;
  cwd: string;
}

/** What a worker thread is started with; the case space follows as its first message, once the main thread has explored it. */
export interface WorkerData {
  source: WorkerSource;
  seed: number;
  focus?: readonly string[];
}

/** Messages to a worker: the case space once, then case indices. */
export type WorkerRequest = { kind: 'space'; space: CaseSpace } | { kind: 'case'; index: number };

export type WorkerReply = { kind: 'trial'; trial: CaseTrial } | { kind: 'error'; index: number; message: string };

/** The same `run` in this thread, one case at a time: `--workers 1`, and any search without a WorkerSource. */
export function localRunner(run: (index: number) => Promise<CaseTrial>): TrialRunner {
  return { slots: 1, run, close: async () => undefined };
}

/**
 * Cases a thread holds at once: the one it runs and the next, queued in its
 * port. This thread hands out indices only when its event loop turns, and
 * while it runs a case of its own that is every 1024 virtual instants (tens of
 * milliseconds): a thread that waited there for its next index after each case
 * idled a fifth of the time. With the next one queued it starts it at once.
 */
const QUEUED_PER_THREAD = 2;

interface Thread {
  worker: Worker;
  /** Cases sent and not answered yet, by index. */
  pending: Map<number, { resolve: (trial: CaseTrial) => void; reject: (error: Error) => void }>;
}

/**
 * `count` worker threads, each running its cases one at a time in the order
 * sent, with up to `QUEUED_PER_THREAD` sent ahead; a case goes to the thread
 * with the fewest. The threads start at once and load the scenario and the
 * middleware while the caller is still exploring the case space (a
 * fault-free run of the scenario); `space` settles when that is done, and each
 * thread gets it before its first case.
 */
export function workerRunner(count: number, data: WorkerData, space: Promise<CaseSpace>): TrialRunner {
  // Beside this module: a .ts source in a checkout, the compiled .js in an installed package.
  const script = new URL(`./search-worker${extname(import.meta.url)}`, import.meta.url);
  // A thread loads every module again: with the compile cache this thread uses (bin/faultline.js enables it), at a third
  // of the cost. The cache is per Node instance; a worker inherits it only through its environment, given the base
  // directory (getCompileCacheDir() names the per-version folder inside it), the default unless NODE_COMPILE_CACHE says.
  const env =
    getCompileCacheDir() === undefined
      ? process.env
      : { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache') };
  const threads: Thread[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(script, { workerData: data, env });
    // A worker waiting for its next case must not keep the process alive on its own.
    worker.unref();
    const thread: Thread = { worker, pending: new Map() };
    const failAll = (error: Error): void => {
      for (const { reject } of thread.pending.values()) reject(error);
      thread.pending.clear();
    };
    worker.on('message', (reply: WorkerReply) => {
      const index = reply.kind === 'trial' ? reply.trial.index : reply.index;
      const waiting = thread.pending.get(index);
      if (waiting === undefined) return;
      thread.pending.delete(index);
      if (reply.kind === 'trial') waiting.resolve(reply.trial);
      else waiting.reject(new Error(reply.message));
    });
    worker.on('error', failAll);
    worker.on('exit', (code) => {
      if (thread.pending.size > 0) failAll(new Error(`a search worker exited (code ${code}) while running case ${[...thread.pending.keys()].join(', ')}`));
    });
    threads.push(thread);
  }
  // Messages to a thread arrive in the order sent: the space before any case.
  const primed = space.then((value) => {
    for (const { worker } of threads) worker.postMessage({ kind: 'space', space: value } satisfies WorkerRequest);
  });
  // A failed exploration is the caller's to report (it closes the pool); no case waits on it then.
  primed.catch(() => undefined);
  return {
    slots: count * QUEUED_PER_THREAD,
    async run(index) {
      // Callers never run more cases at once than `slots`, so the least loaded thread has room.
      const thread = threads.reduce((least, t) => (t.pending.size < least.pending.size ? t : least));
      if (thread.pending.size >= QUEUED_PER_THREAD) throw new Error(`case ${index} was sent to a full worker pool`);
      const trial = new Promise<CaseTrial>((resolve, reject) => thread.pending.set(index, { resolve, reject }));
      thread.worker.ref();
      try {
        await primed;
        thread.worker.postMessage({ kind: 'case', index } satisfies WorkerRequest);
        return await trial;
      } finally {
        thread.pending.delete(index);
        if (thread.pending.size === 0) thread.worker.unref();
      }
    },
    async close() {
      await Promise.all(threads.map(({ worker }) => worker.terminate()));
    },
  };
}

/**
 * Several runners as one, each case going to the first with a free slot in
 * the order given. `--workers N` runs N - 1 threads beside this one: the main
 * thread has the scenario and middleware loaded and warm already, and is
 * otherwise idle while the threads work, so it takes cases too.
 */
export function sharedRunner(runners: readonly TrialRunner[]): TrialRunner {
  const busy = runners.map(() => 0);
  return {
    slots: runners.reduce((sum, r) => sum + r.slots, 0),
    async run(index) {
      // Callers never run more cases at once than `slots`, so one of the runners has room.
      const k = runners.findIndex((r, i) => busy[i]! < r.slots);
      if (k < 0) throw new Error(`case ${index} was sent to a full runner`);
      busy[k]!++;
      try {
        return await runners[k]!.run(index);
      } finally {
        busy[k]!--;
      }
    },
    async close() {
      await Promise.all(runners.map((r) => r.close()));
    },
  };
}
