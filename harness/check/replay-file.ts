import { UsageError } from '../run/errors.ts';
import type { ReplaySpec } from '../run/result.ts';
import type { Scenario } from '../scenario/scenario.ts';

export const REPLAY_FORMAT = 'faultline-replay/1';

/** The replay of a generated case: no file names its scenario, so the spec carries it whole. */
export function replaySpecForCase(scenario: Scenario, middlewareArg: string, replayFile: string): ReplaySpec {
  return {
    command: `npx faultline replay ${replayFile}`,
    scenario: scenario.name,
    seed: scenario.seed ?? 1,
    mode: 'sim',
    middleware: middlewareArg,
    odoo: 'emulated',
    scenarioValue: scenario,
  };
}

/** The same bytes `writeRunArtefacts` writes, for callers that keep no other artefact (the vitest helper). */
export function renderReplayFile(spec: ReplaySpec): string {
  return JSON.stringify({ format: REPLAY_FORMAT, ...spec }, null, 2) + '\n';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads a replay.json written by `run` or `check`, saying exactly what is wrong with a bad one. */
export function parseReplayFile(text: string, file: string): ReplaySpec {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not JSON (${(error as Error).message}); pass the replay.json a run or check wrote`);
  }
  if (!isRecord(value) || value.format !== REPLAY_FORMAT) {
    throw new UsageError(`${file} is not a Faultline replay file (expected "format": "${REPLAY_FORMAT}"); pass the replay.json a run or check wrote`);
  }
  const problems: string[] = [];
  const need = (key: string, ok: boolean, what: string): void => {
    if (!ok) problems.push(`${key} ${what}`);
  };
  need('scenario', typeof value.scenario === 'string' && value.scenario.length > 0, 'must name a scenario');
  need('seed', Number.isSafeInteger(value.seed), 'must be an integer');
  need('mode', value.mode === 'sim' || value.mode === 'live', 'must be "sim" or "live"');
  need('middleware', typeof value.middleware === 'string' && value.middleware.length > 0, 'must name a middleware');
  need('odoo', typeof value.odoo === 'string', 'must name an Odoo target');
  need('scenarioValue', value.scenarioValue === undefined || isRecord(value.scenarioValue), 'must be a scenario object when present');
  if (problems.length > 0) throw new UsageError(`${file} is damaged: ${problems.join('; ')}`);
  return {
    command: typeof value.command === 'string' ? value.command : '',
    scenario: value.scenario as string,
    seed: value.seed as number,
    mode: value.mode as 'sim' | 'live',
    middleware: value.middleware as string,
    odoo: value.odoo as string,
    ...(value.scenarioValue !== undefined && { scenarioValue: value.scenarioValue }),
  };
}
