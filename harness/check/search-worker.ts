/**
 * A search worker thread: rebuilds the scenario, middleware and generator from
 * plain data, then runs the case indices the main thread sends, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { resolveMiddleware } from '../run/middleware.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { CasePlan } from './case-space.ts';
import { tryCase } from './case-trial.ts';
import { runCase } from './run-case.ts';
import type { WorkerData, WorkerReply } from './worker-pool.ts';

const data = workerData as WorkerData;
const port = parentPort!;
const loader = (await import(data.source.loader)) as { loadScenario: (nameOrPath: string, cwd: string) => Promise<Scenario> };
const base = await loader.loadScenario(data.source.scenario, data.source.cwd);
const middleware = await resolveMiddleware(data.source.middleware, data.source.cwd);
const plan = new CasePlan(base, data.space, data.seed);

port.on('message', (message: { index: number }) => {
  tryCase(plan.arbitrary(message.index), data.seed, message.index, (checkCase) => runCase(base, checkCase, middleware, data.source.middleware), data.focus)
    .then((trial): WorkerReply => ({ kind: 'trial', trial }))
    .catch((error: unknown): WorkerReply => ({ kind: 'error', index: message.index, message: error instanceof Error ? error.message : String(error) }))
    .then((reply) => port.postMessage(reply));
});
