/**
 * A search worker thread: rebuilds the scenario and middleware from plain
 * data, then the generator from the case space the main thread sends first,
 * then runs the case indices it sends, one at a time, in the order sent.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveMiddleware } from '../engine/resolve-middleware.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { CasePlan } from './case-space.ts';
import { tryCase } from './case-trial.ts';
import type { CaseTrial } from './case-trial.ts';
import { runCase } from './run-case.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-pool.ts';

const data = workerData as WorkerData;
const port = parentPort!;
const loader = (await import(data.source.loader)) as { loadScenario: (nameOrPath: string, cwd: string) => Promise<Scenario> };
const base = await loader.loadScenario(data.source.scenario, data.source.cwd);
const middleware = await resolveMiddleware(data.source.middleware, data.source.cwd);
let plan: CasePlan | undefined;

// Cases run one at a time, in the order sent; the pool sends the next before this one ends, so it waits in the queue.
let queue: Promise<void> = Promise.resolve();

port.on('message', (message: WorkerRequest) => {
  if (message.kind === 'space') {
    plan = new CasePlan(base, message.space, data.seed);
    return;
  }
  const { index } = message;
  queue = queue
    .then(() => {
      if (plan === undefined) throw new Error(`case ${index} arrived before the case space`);
      return tryCase(plan.arbitrary(index), data.seed, index, (checkCase) => runCase(base, checkCase, middleware, data.source.middleware), data.focus);
    })
    .then((trial): WorkerReply => ({ kind: 'trial', trial: postable(trial) }))
    .catch((error: unknown): WorkerReply => ({ kind: 'error', index, message: error instanceof Error ? error.message : String(error) }))
    .then((reply) => port.postMessage(reply));
});

/**
 * A run's `History` keeps its events in private fields, which a message
 * between threads does not carry: a failing case's history crosses as an
 * array (a generated case is small, and only a failing one keeps its run).
 */
function postable(trial: CaseTrial): CaseTrial {
  if (trial.result === undefined) return trial;
  return { ...trial, result: { ...trial.result, history: [...trial.result.history] } };
}
