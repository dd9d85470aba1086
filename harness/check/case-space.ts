import type fc from 'fast-check';
import type { Scenario } from '../scenario/scenario.ts';
import { caseArbitrary } from './arbitraries.ts';
import type { CheckCase } from './case.ts';

/** What shapes the generated cases, as plain data a worker thread can receive and rebuild the same generator from. */
export interface CaseSpace {
  maxOrders: number;
  keepFaults?: boolean;
  maxExtraFaults?: number;
  faultKinds?: readonly string[];
}

/** The generator of a search: the same space gives the same case for the same (seed, index) in every thread. */
export function caseSpaceArbitrary(base: Scenario, space: CaseSpace): fc.Arbitrary<CheckCase> {
  return caseArbitrary(base, {
    maxOrders: space.maxOrders,
    ...(space.keepFaults !== undefined && { keepFaults: space.keepFaults }),
    ...(space.maxExtraFaults !== undefined && { maxExtraFaults: space.maxExtraFaults }),
    ...(space.faultKinds !== undefined && { faultKinds: space.faultKinds }),
  });
}
