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
 * `count` worker threads, each running one case at a time; a case goes to the
 * first free one. The threads start at once and load the scenario and the
 * middleware while the caller is still exploring the case space (a fault-free
 * run of the scenario); `space` settles when that is done, and each thread
 * gets it before its first case.
 */
export function workerRunner(count: number, data: WorkerData, space: Promise<CaseSpace>): TrialRunner {
  // Beside this module: a .ts source in a checkout, the compiled .js in an installed package.
  const script = new URL(`./search-worker${extname(import.meta.url)}`, import.meta.url);
  const idle: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const all: Worker[] = [];
  const primed = new WeakSet<Worker>();
  // A thread loads every module again: with the compile cache this thread uses (bin/faultline.js enables it), at a third
  // of the cost. The cache is per Node instance; a worker inherits it only through its environment, given the base
  // directory (getCompileCacheDir() names the per-version folder inside it), the default unless NODE_COMPILE_CACHE says.
  const env =
    getCompileCacheDir() === undefined ? process.env : { ...process.env, NODE_COMPILE_CACHE: process.env.NODE_COMPILE_CACHE ?? join(tmpdir(), 'node-compile-cache') };
  for (let i = 0; i < count; i++) {
    const worker = new Worker(script, { workerData: data, env });
    // A worker waiting for its next case must not keep the process alive on its own.
    worker.unref();
    all.push(worker);
    idle.push(worker);
  }
  const post = (worker: Worker, request: WorkerRequest): void => worker.postMessage(request);
  const acquire = (): Promise<Worker> => {
    const worker = idle.pop();
    return worker !== undefined ? Promise.resolve(worker) : new Promise((resolve) => waiting.push(resolve));
  };
  const release = (worker: Worker): void => {
    const next = waiting.shift();
    if (next !== undefined) next(worker);
    else idle.push(worker);
  };
  return {
    slots: count,
    async run(index) {
      const worker = await acquire();
      worker.ref();
      if (!primed.has(worker)) {
        post(worker, { kind: 'space', space: await space });
        primed.add(worker);
      }
      try {
        return await new Promise<CaseTrial>((resolve, reject) => {
          const onMessage = (reply: WorkerReply): void => {
            cleanup();
            if (reply.kind === 'trial') resolve(reply.trial);
            else reject(new Error(reply.message));
          };
          const onError = (error: Error): void => {
            cleanup();
            reject(error);
          };
          const onExit = (code: number): void => {
            cleanup();
            reject(new Error(`a search worker exited (code ${code}) while running case ${index}`));
          };
          const cleanup = (): void => {
            worker.off('message', onMessage);
            worker.off('error', onError);
            worker.off('exit', onExit);
          };
          worker.on('message', onMessage);
          worker.on('error', onError);
          worker.on('exit', onExit);
          post(worker, { kind: 'case', index });
        });
      } finally {
        worker.unref();
        release(worker);
      }
    },
    async close() {
      await Promise.all(all.map((worker) => worker.terminate()));
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
