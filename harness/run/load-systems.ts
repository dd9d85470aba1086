import type { System } from '../core/system.ts';

/** The systems that place a run's load on their own clock: a run is not over before each one taking part has finished. */
export const LOAD_SYSTEMS = ['capture', 'crm'] as const;

/**
 * Whether a load system has placed its whole load (and settled each order's
 * fate). One that cannot say is taken to have nothing left, so the run ends
 * on quiescence alone rather than waiting out its whole budget.
 */
export function loadFinished(system: System | undefined): boolean {
  const finished = (system as { finished?: () => boolean } | undefined)?.finished;
  return typeof finished === 'function' ? finished.call(system) : true;
}
