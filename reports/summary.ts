import type { RunResult } from '../harness/run/result.ts';

/** `summary.json`: the run's verdicts and figures, for machines. */
export function renderSummary(result: RunResult): string {
  const summary = {
    scenario: result.scenario,
    seed: result.seed,
    mode: result.mode,
    middleware: result.middleware,
    odoo: result.odoo,
    verdict: result.verdict,
    invariants: result.invariants.map((v) => ({
      name: v.name,
      verdict: v.verdict,
      violations: v.violations,
      summary: v.summary,
      examples: v.examples,
    })),
    stats: result.stats,
    replay: result.replay.command,
  };
  return JSON.stringify(summary, null, 2) + '\n';
}

/**
 * Where a run's inputs live, so `faultline replay` works from any folder and
 * can tell when the scenario file was edited since.
 */
export interface ReplaySource {
  /** The folder the run started in: relative scenario and middleware paths are resolved from it. */
  cwd: string;
  scenarioFile?: string;
  scenarioSha256?: string;
}

/** `replay.json`: everything needed to run exactly this again. */
export function renderReplay(result: RunResult, source?: ReplaySource): string {
  return JSON.stringify({ format: 'faultline-replay/1', ...result.replay, ...source }, null, 2) + '\n';
}
