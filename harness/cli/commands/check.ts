import { extname } from 'node:path';
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { runSummaryOf, writeRunReport } from '../../../reports/html/write-report.ts';
import { writeShrinkSteps } from '../../../reports/html/shrink-steps.ts';
import type { ShrinkStep } from '../../../reports/html/shrink-steps.ts';
import { CHECK_FILE, renderCheckFile } from '../../check/check-file.ts';
import type { CheckFile, CheckFileFailure } from '../../check/check-file.ts';
import { checkJunit } from '../../check/check-junit.ts';
import { scenarioForCase } from '../../check/case.ts';
import { describeCase } from '../../check/describe.ts';
import { onStopSignal } from '../../check/on-signal.ts';
import type { StopSignal } from '../../check/on-signal.ts';
import { regressionModule } from '../../check/regression.ts';
import { replaySpecForCase } from '../../check/replay-file.ts';
import { formatCheckReport } from '../../check/report-text.ts';
import { checkFaultKinds, checkFocus, checkScenario } from '../../check/search.ts';
import type { CheckReport, FailureSoFar } from '../../check/search.ts';
import { parseShard } from '../../check/shard.ts';
import type { Shard } from '../../check/shard.ts';
import type { Scenario } from '../../scenario/scenario.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../engine/resolve-middleware.ts';
import { parseCommandArgs, parsePositiveInt, parseSeed } from '../args.ts';
import { createProgress } from '../progress.ts';
import { loadScenario } from '../scenario-source.ts';

/** Without a scenario, `check` explores generated chaos around the fault-free baseline. */
export const DEFAULT_CHECK_SCENARIO = 'happy-path';

/** A path as the user would type it from where they stand. */
function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** The check command line that reaches the same minimal case directly. */
function rerunLine(scenarioArg: string, middlewareArg: string, report: { seed: number; path?: string }, shape: SearchShape): string {
  const { runs, maxOrders, extraFaults, faultKinds, focus } = shape;
  const parts = ['npx faultline check', scenarioArg, '--middleware', middlewareArg, '--seed', String(report.seed)];
  if (report.path === undefined && runs !== 100) parts.push('--runs', String(runs));
  if (maxOrders !== undefined) parts.push('--max-orders', String(maxOrders));
  if (extraFaults !== undefined) parts.push('--extra-faults', String(extraFaults));
  if (faultKinds !== undefined) parts.push('--fault-kinds', faultKinds.join(','));
  if (focus !== undefined) parts.push('--invariant', focus.join(','));
  if (report.path !== undefined) parts.push('--path', report.path);
  else if (shape.shard !== undefined) parts.push('--shard', `${shape.shard.index}/${shape.shard.count}`);
  return parts.join(' ');
}

/** What decides which cases a search generates: every flag a rerun must repeat. */
interface SearchShape {
  runs: number;
  maxOrders: number | undefined;
  extraFaults: number | undefined;
  faultKinds: readonly string[] | undefined;
  focus: readonly string[] | undefined;
  shard?: Shard | undefined;
}

function parseWorkers(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 256) throw new UsageError(`--workers must be a whole number from 1 to 256, got "${value}"`);
  return Number(value);
}

/** A failure as check.json keeps it. */
function fileFailure(
  checkCase: FailureSoFar['case'],
  scenario: Scenario,
  fields: Omit<CheckFileFailure, 'orders' | 'faults' | 'case' | 'words' | 'replay'>,
  replay: string,
): CheckFileFailure {
  return {
    ...fields,
    orders: checkCase.overrides.orders.count,
    faults: checkCase.overrides.faults.length,
    case: checkCase,
    words: describeCase(scenario),
    replay,
  };
}

/** A count that may be 0, unlike parsePositiveInt's. */
function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 20) throw new UsageError(`${flag} must be a whole number from 0 to 20, got "${value}"`);
  return Number(value);
}

function parsePath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(:\d+)*(\/\d+(:\d+)*)*$/.test(value))
    throw new UsageError(`--path must be the path a check printed, such as "3:0:1" or "3:0:1/0:2", got "${value}"`);
  return value;
}

export async function checkCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', argv, {
    middleware: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    path: { type: 'string' },
    'max-orders': { type: 'string' },
    'shrink-runs': { type: 'string' },
    'extra-faults': { type: 'string' },
    out: { type: 'string' },
    'save-regression': { type: 'boolean' },
    invariant: { type: 'string', multiple: true },
    'fault-kinds': { type: 'string' },
    workers: { type: 'string' },
    shard: { type: 'string' },
  });
  if (positionals.length > 1) {
    throw new UsageError(`check takes one scenario, got ${positionals.length} (${positionals.join(', ')}); run check once per scenario`);
  }
  const scenarioArg = positionals[0] ?? DEFAULT_CHECK_SCENARIO;
  const runs = parsePositiveInt('--runs', values.runs as string | undefined) ?? 100;
  const maxOrders = parsePositiveInt('--max-orders', values['max-orders'] as string | undefined);
  const maxShrinkRuns = parsePositiveInt('--shrink-runs', values['shrink-runs'] as string | undefined);
  const path = parsePath(values.path as string | undefined);
  const extraFaults = parseCount('--extra-faults', values['extra-faults'] as string | undefined);
  const faultKinds = values['fault-kinds'] === undefined ? undefined : checkFaultKinds((values['fault-kinds'] as string).split(',').filter((k) => k !== ''));
  const workers = parseWorkers(values.workers as string | undefined) ?? availableParallelism();
  const shard = parseShard(values.shard as string | undefined);
  const givenSeed = parseSeed(values.seed as string | undefined);
  if (path !== undefined && givenSeed === undefined) throw new UsageError('--path needs the --seed it was found with');
  // Shards share one search only if every runner generates the same cases: the seed must be the same everywhere.
  if (shard !== undefined && givenSeed === undefined)
    throw new UsageError('--shard needs a --seed shared by every runner (e.g. the pipeline id), so the runners split one search');
  // Without --seed each check explores afresh; the seed is printed either way, so any search can be repeated.
  const seed = givenSeed ?? Math.floor(Math.random() * 0x7fffffff);
  const base = await loadScenario(scenarioArg, cwd);
  const focus =
    values.invariant === undefined
      ? undefined
      : checkFocus(
          base,
          (values.invariant as string[]).flatMap((v) => v.split(',')).filter((v) => v !== ''),
        );
  const middlewareArg = (values.middleware as string | undefined) ?? 'resilient';
  const middleware = await resolveMiddleware(middlewareArg, cwd);
  const outArg = values.out as string | undefined;
  const shardSuffix = shard !== undefined ? `-shard${shard.index}of${shard.count}` : '';
  const outDir = outArg !== undefined ? resolve(cwd, outArg) : join(cwd, 'reports', 'out', base.name, `check-${middleware.name}-seed${seed}${shardSuffix}`);
  await ensureWritable(outDir);
  const shape: SearchShape = { runs, maxOrders, extraFaults, faultKinds, focus, shard };
  const replayFile = join(outDir, 'replay.json');
  const fileBase = { format: 'faultline-check/1' as const, scenario: base.name, middleware: middlewareArg, seed, runs, shard: shard ?? null };

  const progress = createProgress();
  let best: FailureSoFar | undefined;
  const steps: ShrinkStep[] = [];
  let casesRun = 0;
  let shrinkRuns = 0;
  let phase: 'search' | 'shrink' = path !== undefined ? 'shrink' : 'search';
  // Ctrl-C or a CI job's timeout: keep the smallest failure found so far, with its replay, and say how far the search got.
  const keep = async (signal: StopSignal): Promise<void> => {
    progress.done();
    // What was found when the signal came: the search goes on shrinking while the files are written, and the
    // check file must describe the same case as the replay beside it.
    const found = best;
    const at = { phase, casesRun, shrinkRuns };
    const stepsSoFar = [...steps];
    const file: CheckFile = {
      ...fileBase,
      casesRun: at.casesRun,
      verdict: 'interrupted',
      interrupted: { signal, phase: at.phase, shrinkRuns: at.shrinkRuns },
      coverage: [],
      failure: null,
      rerun: rerunLine(scenarioArg, middlewareArg, found !== undefined ? { seed, path: String(found.index) } : { seed }, shape),
    };
    let kept = 'no failure found yet';
    if (found !== undefined) {
      const scenario = scenarioForCase(base, found.case);
      const replay = replaySpecForCase(scenario, middlewareArg, shown(replayFile, cwd));
      await writeRunArtefacts({ ...found.result, replay }, outDir);
      file.failure = fileFailure(
        found.case,
        scenario,
        { index: found.index, invariants: found.invariants, path: '', shrinks: 0, shrinkRuns: at.shrinkRuns, firstOrders: found.case.overrides.orders.count },
        'replay.json',
      );
      await writeFile(join(outDir, CHECK_FILE), renderCheckFile(file));
      // Again, now that check.json is there: the report shows the search and the shrinking.
      await writeShrinkSteps(outDir, stepsSoFar);
      await writeRunReport(outDir, runSummaryOf({ ...found.result, replay }), found.result.history);
      kept = `smallest failure so far: case ${found.index}, ${describeCase(scenario)}, ${found.invariants.join(', ')} failing; replay: ${replay.command}`;
    } else {
      await writeFile(join(outDir, 'junit.xml'), checkJunit(file));
    }
    await writeFile(join(outDir, CHECK_FILE), renderCheckFile(file));
    process.stderr.write(
      `\nfaultline: interrupted by ${signal} while ${at.phase === 'search' ? `searching (${at.casesRun} of ${runs} cases run)` : `shrinking (${at.shrinkRuns} runs)`}; ${kept}; progress in ${shown(join(outDir, CHECK_FILE), cwd)}\n`,
    );
  };
  const watch = onStopSignal(keep);

  let report: CheckReport;
  try {
    report = await checkScenario(base, {
      middleware,
      middlewareArg,
      runs,
      seed,
      workers,
      // The worker threads load scenarios with the same module: .ts in a checkout, .js in an installed package.
      source: { loader: new URL(`../scenario-source${extname(import.meta.url)}`, import.meta.url).href, scenario: scenarioArg, cwd },
      ...(shard !== undefined && { shard }),
      ...(path !== undefined && { path }),
      ...(maxOrders !== undefined && { maxOrders }),
      ...(maxShrinkRuns !== undefined && { maxShrinkRuns }),
      ...(extraFaults !== undefined && { maxExtraFaults: extraFaults }),
      ...(faultKinds !== undefined && { faultKinds }),
      ...(focus !== undefined && { invariants: focus }),
      stopped: () => watch.received !== undefined,
      onFailureSoFar: (found) => {
        const o = found.case.overrides;
        steps.push({
          phase: found.phase,
          shrinkRuns: found.shrinkRuns,
          orders: o.orders.count,
          faults: o.faults.length,
          invariants: found.invariants,
          words: describeCase(scenarioForCase(base, found.case)),
        });
        const smaller = best === undefined || found.phase === 'shrink' || found.case.overrides.orders.count < best.case.overrides.orders.count;
        if (best === undefined) {
          progress.done();
          process.stderr.write(
            `${base.name}: case ${found.index} fails ${found.invariants.join(', ')} with ${found.case.overrides.orders.count} orders; settling the lowest failing case, then shrinking\n`,
          );
        }
        if (smaller) best = found;
      },
      onProgress: (p) => {
        phase = p.phase;
        if (p.phase === 'search') casesRun = p.runs;
        else shrinkRuns = p.runs;
        progress.update(
          p.phase === 'search'
            ? `${base.name}: case ${p.runs}/${runs}${shard !== undefined ? ` (shard ${shard.index}/${shard.count})` : ''} (${p.orders} orders)`
            : `${base.name}: shrinking, run ${p.runs}, smallest failing case ${p.smallestOrders ?? '?'} orders`,
        );
      },
    });
  } finally {
    progress.done();
  }
  // A signal arrived: its handler is writing what was found and will exit with the signal's code.
  if (watch.received !== undefined) return new Promise<number>(() => undefined);
  watch.stop();

  const failure = report.failure;
  const rerun = rerunLine(scenarioArg, middlewareArg, failure !== undefined ? { seed: report.seed, path: failure.path } : { seed: report.seed }, shape);
  const file: CheckFile = {
    ...fileBase,
    // A passing replay ran the one case at its path.
    casesRun: failure === undefined && report.replayedPath !== undefined ? 1 : report.runs,
    verdict: failure === undefined ? 'pass' : 'fail',
    coverage: report.coverage,
    failure: null,
    rerun,
  };
  if (failure === undefined) {
    await writeFile(join(outDir, 'junit.xml'), checkJunit(file));
    await writeFile(join(outDir, CHECK_FILE), renderCheckFile(file));
    process.stdout.write(formatCheckReport(report, { rerun, outDir: shown(outDir, cwd) }) + '\n');
    return EXIT.pass;
  }

  const replay = replaySpecForCase(failure.scenario, middlewareArg, shown(replayFile, cwd));
  await writeRunArtefacts({ ...failure.result, replay }, outDir);
  file.failure = fileFailure(
    failure.case,
    failure.scenario,
    {
      index: failure.index,
      invariants: failure.invariants,
      path: failure.path,
      shrinks: failure.shrinks,
      shrinkRuns: failure.shrinkRuns,
      firstOrders: failure.firstOrders,
    },
    'replay.json',
  );
  await writeFile(join(outDir, CHECK_FILE), renderCheckFile(file));
  // Again, now that check.json is there: the report shows the search and the shrinking.
  await writeShrinkSteps(outDir, steps);
  await writeRunReport(outDir, runSummaryOf({ ...failure.result, replay }), failure.result.history);

  let regression: string | undefined;
  if (values['save-regression'] === true) {
    const module = regressionModule(failure.scenario, {
      middlewareArg,
      invariants: failure.invariants,
      words: describeCase(failure.scenario),
      foundBy: rerun,
      // Inside Faultline's own repository the module imports the source; in a team's project, the package.
      importFrom: existsSync(join(cwd, 'harness', 'scenario', 'define.ts')) ? '../../harness/scenario/define.ts' : 'faultline',
    });
    const dir = join(cwd, 'scenarios', 'regressions');
    await mkdir(dir, { recursive: true });
    const file = join(dir, module.fileName);
    await writeFile(file, module.text);
    regression = shown(file, cwd);
  }
  process.stdout.write(
    formatCheckReport(report, { rerun, outDir: shown(outDir, cwd), replay: replay.command, ...(regression !== undefined && { regression }) }) + '\n',
  );
  return EXIT.fail;
}
