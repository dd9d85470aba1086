import type fc from 'fast-check';
import type { ResolvedMiddleware } from '../run/run-options.ts';
import { runScenario } from '../engine/run-scenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { aimPlan } from './aim.ts';
import type { AimTarget } from './aim.ts';
import { caseArbitrary } from './arbitraries.ts';
import type { CheckCase } from './case.ts';
import type { AimPoint } from './timeline.ts';
import { operationTimeline } from './timeline.ts';

/** What shapes the generated cases, as plain data a worker thread can receive and rebuild the same generator from. */
export interface CaseSpace {
  maxOrders: number;
  keepFaults?: boolean;
  maxExtraFaults?: number;
  faultKinds?: readonly string[];
  /** The operations of a fault-free run of the scenario and when they happened: what generated faults aim at. */
  timeline?: AimPoint[];
}

/**
 * Runs the scenario once as declared, with the middleware under test, to learn
 * its operations and their instants. Deterministic (the scenario's own seed),
 * so every thread and CI runner that repeats it gets the same timeline.
 */
export async function exploreCaseSpace(base: Scenario, space: CaseSpace, middleware: ResolvedMiddleware, middlewareArg: string): Promise<CaseSpace> {
  const result = await runScenario(base, { mode: 'sim', odoo: 'emulated', seed: base.seed ?? 1, middleware, middlewareArg });
  return { ...space, timeline: operationTimeline(result.history) };
}

/** The generation plan of a search: for each case index, the operation × fault it aims at. */
export class CasePlan {
  readonly #base: Scenario;
  readonly #space: CaseSpace;
  readonly #aims: AimTarget[];
  readonly #horizonMs: number;

  constructor(base: Scenario, space: CaseSpace, seed: number) {
    this.#base = base;
    this.#space = space;
    // --extra-faults 0 varies only orders, run seeds and the declared faults: nothing aimed either.
    this.#aims = space.maxExtraFaults === 0 ? [] : aimPlan(space.timeline ?? [], seed, space.faultKinds);
    // Faults reach as far as the last step of the fault-free run, and a little beyond it.
    this.#horizonMs = Math.round(Math.max(0, ...(space.timeline ?? []).flatMap((p) => p.times)) * 1.1);
  }

  get aims(): readonly AimTarget[] {
    return this.#aims;
  }

  /** The generator of case `index`: the same space, seed and index give the same case in every thread. */
  arbitrary(index: number): fc.Arbitrary<CheckCase> {
    const aim = this.#aims.length === 0 ? undefined : this.#aims[index % this.#aims.length];
    const space = this.#space;
    return caseArbitrary(this.#base, {
      maxOrders: space.maxOrders,
      horizonMs: this.#horizonMs,
      ...(aim !== undefined && { aim }),
      ...(space.keepFaults !== undefined && { keepFaults: space.keepFaults }),
      ...(space.maxExtraFaults !== undefined && { maxExtraFaults: space.maxExtraFaults }),
      ...(space.faultKinds !== undefined && { faultKinds: space.faultKinds }),
    });
  }
}
