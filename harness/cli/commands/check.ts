import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { describeCase } from '../../check/describe.ts';
import { regressionModule } from '../../check/regression.ts';
import { replaySpecForCase } from '../../check/replay-file.ts';
import { formatCheckReport } from '../../check/report-text.ts';
import { checkFaultKinds, checkFocus, checkScenario } from '../../check/search.ts';
import type { CheckReport } from '../../check/search.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../run/middleware.ts';
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
function rerunLine(
  scenarioArg: string,
  middlewareArg: string,
  report: CheckReport,
  shape: { maxOrders: number | undefined; extraFaults: number | undefined; faultKinds: readonly string[] | undefined; focus: readonly string[] | undefined },
): string {
  const { maxOrders, extraFaults, faultKinds, focus } = shape;
  const parts = ['npx faultline check', scenarioArg, '--middleware', middlewareArg, '--seed', String(report.seed)];
  if (maxOrders !== undefined) parts.push('--max-orders', String(maxOrders));
  if (extraFaults !== undefined) parts.push('--extra-faults', String(extraFaults));
  if (faultKinds !== undefined) parts.push('--fault-kinds', faultKinds.join(','));
  if (focus !== undefined) parts.push('--invariant', focus.join(','));
  if (report.failure !== undefined) parts.push('--path', report.failure.path);
  return parts.join(' ');
}

/** A count that may be 0, unlike parsePositiveInt's. */
function parseCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) > 20) throw new UsageError(`${flag} must be a whole number from 0 to 20, got "${value}"`);
  return Number(value);
}

function parsePath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(:\d+)*$/.test(value)) throw new UsageError(`--path must be fast-check's counterexample path such as "3:0:1", got "${value}"`);
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
  const givenSeed = parseSeed(values.seed as string | undefined);
  if (path !== undefined && givenSeed === undefined) throw new UsageError('--path needs the --seed it was found with');
  // Without --seed each check explores afresh; the seed is printed either way, so any search can be repeated.
  const seed = givenSeed ?? Math.floor(Math.random() * 0x7fffffff);
  const base = await loadScenario(scenarioArg, cwd);
  const focus = values.invariant === undefined ? undefined : checkFocus(base, (values.invariant as string[]).flatMap((v) => v.split(',')).filter((v) => v !== ''));
  const middlewareArg = (values.middleware as string | undefined) ?? 'resilient';
  const middleware = await resolveMiddleware(middlewareArg, cwd);
  const outArg = values.out as string | undefined;
  const outDir = outArg !== undefined ? resolve(cwd, outArg) : join(cwd, 'reports', 'out', base.name, `check-${middleware.name}-seed${seed}`);
  if (outArg !== undefined) await ensureWritable(outDir);

  const progress = createProgress();
  const report = await checkScenario(base, {
    middleware,
    middlewareArg,
    runs,
    seed,
    ...(path !== undefined && { path }),
    ...(maxOrders !== undefined && { maxOrders }),
    ...(maxShrinkRuns !== undefined && { maxShrinkRuns }),
    ...(extraFaults !== undefined && { maxExtraFaults: extraFaults }),
    ...(faultKinds !== undefined && { faultKinds }),
    ...(focus !== undefined && { invariants: focus }),
    onProgress: (p) =>
      progress.update(
        p.phase === 'search'
          ? `${base.name}: case ${p.runs}/${runs} (${p.orders} orders)`
          : `${base.name}: shrinking, run ${p.runs}, smallest failing case ${p.smallestOrders ?? '?'} orders`,
      ),
  });
  progress.done();
  const rerun = rerunLine(scenarioArg, middlewareArg, report, { maxOrders, extraFaults, faultKinds, focus });
  if (report.failure === undefined) {
    process.stdout.write(formatCheckReport(report, { rerun }) + '\n');
    return EXIT.pass;
  }

  const failure = report.failure;
  const replayFile = join(outDir, 'replay.json');
  const replay = replaySpecForCase(failure.scenario, middlewareArg, shown(replayFile, cwd));
  await ensureWritable(outDir);
  await writeRunArtefacts({ ...failure.result, replay }, outDir);

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
