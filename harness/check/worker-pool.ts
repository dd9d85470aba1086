import { extname } from 'node:path';
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

export interface WorkerData {
  source: WorkerSource;
  space: CaseSpace;
  seed: number;
  focus?: readonly string[];
}

export type WorkerReply = { kind: 'trial'; trial: CaseTrial } | { kind: 'error'; index: number; message: string };

/** The same `run` in this thread, one case at a time: `--workers 1`, and any search without a WorkerSource. */
export function localRunner(run: (index: number) => Promise<CaseTrial>): TrialRunner {
  return { slots: 1, run, close: async () => undefined };
}

/** `count` worker threads, each running one case at a time; a case goes to the first free one. */
export function workerRunner(count: number, data: WorkerData): TrialRunner {
  // Beside this module: a .ts source in a checkout, the compiled .js in an installed package.
  const script = new URL(`./search-worker${extname(import.meta.url)}`, import.meta.url);
  const idle: Worker[] = [];
  const waiting: Array<(worker: Worker) => void> = [];
  const all: Worker[] = [];
  for (let i = 0; i < count; i++) {
    const worker = new Worker(script, { workerData: data });
    // A worker waiting for its next case must not keep the process alive on its own.
    worker.unref();
    all.push(worker);
    idle.push(worker);
  }
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
          worker.postMessage({ index });
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
