import type { ResolvedMiddleware } from '../run/run-options.ts';
import type { RunResult } from '../run/result.ts';
import { runScenario } from '../engine/run-scenario.ts';
import { isShipped } from '../invariants/index.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { CheckCase } from './case.ts';
import { scenarioForCase } from './case.ts';

/** Runs one case in sim mode. The base's own invariants still run here, though a replay file carries only their names. */
export async function runCase(base: Scenario, checkCase: CheckCase, middleware: ResolvedMiddleware, middlewareArg: string): Promise<RunResult> {
  const scenario = scenarioForCase(base, checkCase);
  const hasCustom = (base.invariants ?? []).some((i) => typeof i !== 'string' && !isShipped(i));
  return runScenario(hasCustom ? { ...scenario, invariants: base.invariants! } : scenario, {
    mode: 'sim',
    odoo: 'emulated',
    seed: checkCase.seed,
    middleware,
    middlewareArg,
  });
}
