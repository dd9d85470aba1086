import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { builtInScenarios } from '../../scenarios/index.ts';
import { UsageError } from '../run/errors.ts';
import type { ReplaySource } from '../../reports/summary.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { ScenarioError, scenarioProblems } from '../scenario/validate.ts';

/** A built-in scenario by name, or a user's scenario module by path. */
export async function loadScenario(nameOrPath: string, cwd = process.cwd()): Promise<Scenario> {
  const builtIn = builtInScenarios.find((s) => s.name === nameOrPath);
  if (builtIn !== undefined) return builtIn;
  const path = resolve(cwd, nameOrPath);
  if (!/\.[cm]?[jt]s$/.test(nameOrPath) || !existsSync(path)) {
    throw new UsageError(
      `no scenario "${nameOrPath}": not a built-in name (run "faultline list") nor a scenario file (.ts/.js whose default export is defineScenario({...}) or a plain scenario object; see docs/scenarios.md)`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof ScenarioError) throw error;
    throw new UsageError(`scenario file ${path} failed to load: ${(error as Error).message}`);
  }
  const scenario = module.default ?? module.scenario;
  const problems = scenarioProblems(scenario);
  if (problems.length > 0) throw new ScenarioError(nameOrPath, problems);
  return scenario as Scenario;
}

export function isBuiltInScenario(nameOrPath: string): boolean {
  return builtInScenarios.some((s) => s.name === nameOrPath);
}

/** The fingerprint `replay` compares to notice a scenario file edited since the run. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** What replay.json records about where a run's scenario came from. */
export function replaySource(nameOrPath: string, cwd = process.cwd()): ReplaySource {
  if (isBuiltInScenario(nameOrPath)) return { cwd };
  const scenarioFile = resolve(cwd, nameOrPath);
  return { cwd, scenarioFile, scenarioSha256: fileSha256(scenarioFile) };
}
