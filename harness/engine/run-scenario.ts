import type { Scenario } from '../scenario/scenario.ts';
import { UsageError } from '../run/errors.ts';
import type { RunResult } from '../run/result.ts';
import type { RunOptions } from '../run/run-options.ts';

/**
 * One run of a scenario in the mode it asks for. It sits above both
 * transports (harness/engine/sim/run-sim.ts and harness/engine/live/run-live.ts), which
 * share the modules of harness/run below them.
 */
export async function runScenario(scenario: Scenario, options: RunOptions): Promise<RunResult> {
  if (options.mode === 'sim') {
    if (options.odoo !== 'emulated') throw new UsageError(`--odoo ${options.odoo} needs --mode live`);
    const { runSim } = await import('./sim/run-sim.ts');
    return runSim(scenario, options);
  }
  // Live mode paces load by rate and compresses the simulators' time; a recorded script's exact times would not hold there.
  if (scenario.script !== undefined)
    throw new UsageError(
      `scenario "${scenario.name}" replays a recorded script (its exact orders and deliveries at their times), which runs in sim mode only; run it without --mode live`,
    );
  const { runLive } = await import('./live/run-live.ts');
  return runLive(scenario, options);
}
