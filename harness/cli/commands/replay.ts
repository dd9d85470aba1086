import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { parseReplayFile, replaySpecForCase } from '../../check/replay-file.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../engine/resolve-middleware.ts';
import type { RunResult } from '../../run/result.ts';
import { runScenario } from '../../engine/run-scenario.ts';
import type { OdooTargetKind } from '../../run/run-options.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { ScenarioError, scenarioProblems } from '../../scenario/validate.ts';
import { shippedInvariantNames } from '../../invariants/index.ts';
import { parseCommandArgs } from '../args.ts';
import { formatRunResult } from '../format.ts';
import { createProgress } from '../progress.ts';
import { fileSha256, loadScenario, replaySource } from '../scenario-source.ts';
import { ODOO_TARGETS } from './run.ts';

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** Where the history differs from the one saved beside the replay file, or `undefined` when identical. */
export function firstDifference(saved: string, fresh: string): { line: number; saved: string; fresh: string } | undefined {
  if (saved === fresh) return undefined;
  const a = saved.split('\n');
  const b = fresh.split('\n');
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return { line: i + 1, saved: a[i] ?? '(end of file)', fresh: b[i] ?? '(end of file)' };
}

/**
 * `faultline replay FILE`: runs a saved case again — a generated one from the
 * scenario it carries, a named one from the scenario it names — and says
 * whether the history came out byte for byte as the one saved beside it.
 */
export async function replayCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandArgs('replay', argv, {
    out: { type: 'string' },
    middleware: { type: 'string' },
  });
  if (positionals.length !== 1) {
    throw new UsageError(`replay takes one replay.json (written by "faultline run" or "faultline check"), got ${positionals.length}`);
  }
  const file = resolve(cwd, positionals[0]!);
  if (!existsSync(file)) throw new UsageError(`no replay file at ${file}; pass the replay.json a run or check wrote`);
  const text = await readFile(file, 'utf8');
  const spec = parseReplayFile(text, file);
  // Runs since replay.json recorded its folder resolve relative scenario and middleware paths from there, so it replays from anywhere.
  const recorded = JSON.parse(text) as { cwd?: unknown; scenarioFile?: unknown; scenarioSha256?: unknown };
  const base = typeof recorded.cwd === 'string' && existsSync(recorded.cwd) ? recorded.cwd : cwd;
  const edited =
    typeof recorded.scenarioFile === 'string' &&
    existsSync(recorded.scenarioFile) &&
    typeof recorded.scenarioSha256 === 'string' &&
    fileSha256(recorded.scenarioFile) !== recorded.scenarioSha256;
  if (edited)
    process.stderr.write(
      `faultline: ${shown(recorded.scenarioFile as string, cwd)} changed since this case was saved (its sha256 differs); the replay runs the scenario as it is now\n`,
    );

  let scenario: Scenario;
  if (spec.scenarioValue !== undefined) {
    const problems = scenarioProblems(spec.scenarioValue, shippedInvariantNames);
    if (problems.length > 0) throw new ScenarioError(`${spec.scenario} in ${file}`, problems);
    scenario = spec.scenarioValue as Scenario;
  } else {
    scenario = await loadScenario(spec.scenario, base);
  }
  if (!(ODOO_TARGETS as readonly string[]).includes(spec.odoo))
    throw new UsageError(`${file}: odoo must be one of ${ODOO_TARGETS.join(', ')}, got "${spec.odoo}"`);
  // --middleware asks "does this other design survive the same case?"; the history then differs on purpose.
  const middlewareArg = (values.middleware as string | undefined) ?? spec.middleware;
  const middleware = await resolveMiddleware(middlewareArg, values.middleware !== undefined ? cwd : base);
  const outArg = values.out as string | undefined;
  const outDir = outArg !== undefined ? resolve(cwd, outArg) : join(cwd, 'reports', 'out', scenario.name, `replay-${middleware.name}-seed${spec.seed}`);
  if (outDir === dirname(file)) throw new UsageError(`--out ${outDir} is where the replay file lives; pick another folder so the saved case is kept`);
  await ensureWritable(outDir);

  const progress = createProgress();
  const result = await runScenario(scenario, {
    seed: spec.seed,
    mode: spec.mode,
    odoo: spec.odoo as OdooTargetKind,
    middleware,
    middlewareArg,
    ...(spec.scenarioValue === undefined && { scenarioArg: spec.scenario }),
    onProgress: (text) => progress.update(`${scenario.name}: ${text}`),
  });
  progress.done();
  const named: RunResult = { ...result, scenario: scenario.name };
  const replayed: RunResult =
    spec.scenarioValue === undefined ? named : { ...named, replay: replaySpecForCase(scenario, middlewareArg, shown(join(outDir, 'replay.json'), cwd)) };
  await writeRunArtefacts(replayed, outDir, spec.scenarioValue === undefined ? replaySource(spec.scenario, base) : { cwd: base });
  process.stdout.write(formatRunResult(replayed, shown(outDir, cwd)) + '\n');

  const savedHistory = join(dirname(file), 'history.jsonl');
  if (existsSync(savedHistory)) {
    const difference = firstDifference(await readFile(savedHistory, 'utf8'), await readFile(join(outDir, 'history.jsonl'), 'utf8'));
    if (difference === undefined) {
      process.stdout.write(`  history: byte-identical to ${shown(savedHistory, cwd)} (${result.history.length} events)\n`);
    } else {
      process.stdout.write(
        `  history: differs from ${shown(savedHistory, cwd)} at line ${difference.line}` +
          `${middlewareArg !== spec.middleware ? ` (expected: another middleware)` : spec.mode === 'live' ? ' (expected: live runs are not deterministic)' : edited ? ' (the scenario file was edited since it was saved)' : ' (the code of a system changed since it was saved?)'}\n` +
          `    saved: ${difference.saved.slice(0, 200)}\n    now:   ${difference.fresh.slice(0, 200)}\n`,
      );
    }
  }
  return result.verdict === 'pass' ? EXIT.pass : EXIT.fail;
}
