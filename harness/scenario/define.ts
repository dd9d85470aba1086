import type { Scenario } from './scenario.ts';
import { ScenarioError, scenarioProblems } from './validate.ts';

/**
 * Declares a scenario and checks it at once, reporting every problem with the
 * path of the bad field, so a typo fails at load time rather than mid-run.
 */
export function defineScenario<const S extends Scenario>(scenario: S): S {
  const problems = scenarioProblems(scenario);
  if (problems.length > 0) throw new ScenarioError(typeof scenario.name === 'string' ? scenario.name : '(unnamed)', problems);
  return Object.freeze(scenario);
}
