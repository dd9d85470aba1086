import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { builtInScenarios } from '../../../scenarios/index.ts';
import { defaultOutDir, ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { renderJunit } from '../../../reports/junit.ts';
import { runSummaryOf, writeSuiteReport } from '../../../reports/html/write-report.ts';
import type { SuiteRun } from '../../../reports/html/write-report.ts';
import { EXIT, FaultNotExpressibleError, UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../engine/resolve-middleware.ts';
import type { RunResult } from '../../run/result.ts';
import { runScenario } from '../../engine/run-scenario.ts';
import type { OdooTargetKind } from '../../run/run-options.ts';
import { parseChoice, parseCommandArgs, parseSeed } from '../args.ts';
import { expectationLine, formatDuration, formatRunResult, plural } from '../format.ts';
import { odooTargetOptions, requireExternalOdooSettings } from '../odoo-flags.ts';
import { watchInterrupt } from '../interrupt.ts';
import { createProgress } from '../progress.ts';
import { loadScenario, replaySource } from '../scenario-source.ts';
import { parseDuration } from '../../engine/live/live-settings.ts';
import type { LiveRunOptions } from '../../run/run-options.ts';

/** Live mode's flags; absent ones are left out so defaults apply. */
function liveFlags(values: Record<string, unknown>): LiveRunOptions {
  const live: LiveRunOptions = {};
  if (typeof values['middleware-url'] === 'string') live.middlewareUrl = values['middleware-url'];
  if (typeof values['middleware-command'] === 'string') live.middlewareCommand = values['middleware-command'];
  if (typeof values['live-timeout'] === 'string') live.timeoutMs = parseDuration('--live-timeout', values['live-timeout']);
  if (typeof values['time-scale'] === 'string') {
    const text = values['time-scale'];
    const fraction = /^\s*1\s*\/\s*(\d+(?:\.\d+)?)\s*$/.exec(text);
    live.timeScale = fraction !== null ? 1 / Number(fraction[1]) : Number(text);
    if (!(live.timeScale > 0 && live.timeScale <= 1))
      throw new UsageError(`--time-scale must be a number in (0, 1] such as 0.01 or 1/120, got ${JSON.stringify(text)}`);
  }
  return live;
}

export const ODOO_TARGETS = ['emulated', 'container', 'compose', 'external'] as const;

export const ODOO_FLAGS = {
  odoo: { type: 'string' },
  'odoo-url': { type: 'string' },
  'odoo-db': { type: 'string' },
  'odoo-user': { type: 'string' },
  'odoo-password': { type: 'string' },
  'odoo-master-password': { type: 'string' },
  'odoo-allow-destructive': { type: 'boolean' },
} as const;

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    middleware: { type: 'string' },
    seed: { type: 'string' },
    mode: { type: 'string' },
    out: { type: 'string' },
    'middleware-url': { type: 'string' },
    'middleware-command': { type: 'string' },
    'live-timeout': { type: 'string' },
    'time-scale': { type: 'string' },
    ...ODOO_FLAGS,
  });
  const live = liveFlags(values);
  if (Object.keys(live).length > 0 && values.mode !== 'live' && (values.odoo ?? 'emulated') === 'emulated') {
    throw new UsageError('--middleware-url, --middleware-command, --live-timeout and --time-scale need --mode live');
  }
  const seed = parseSeed(values.seed as string | undefined);
  const odoo = parseChoice('--odoo', values.odoo as string | undefined, ODOO_TARGETS, 'emulated') as OdooTargetKind;
  // Only the emulator runs on virtual time, so a real Odoo implies live mode.
  const mode = parseChoice('--mode', values.mode as string | undefined, ['sim', 'live'] as const, odoo === 'emulated' ? 'sim' : 'live');
  if (mode === 'sim' && odoo !== 'emulated') {
    throw new UsageError(`--odoo ${odoo} needs --mode live: only the emulated Odoo runs on virtual time`);
  }
  if (odoo === 'external') requireExternalOdooSettings(values);
  const scenarios = positionals.length === 0 ? [...builtInScenarios] : await Promise.all(positionals.map((p) => loadScenario(p)));
  // A scenario from a file is replayed by its path, a built-in by its name; both are shown by their own name.
  const scenarioArgs = new Map(scenarios.map((scenario, i) => [scenario, positionals[i] ?? scenario.name]));
  const middlewareArg = (values.middleware as string | undefined) ?? live.middlewareUrl ?? (live.middlewareCommand !== undefined ? 'command' : 'resilient');
  // A middleware given by URL or command is not loaded here; the built-in name only fills the type.
  const middleware = await resolveMiddleware(
    live.middlewareUrl !== undefined || live.middlewareCommand !== undefined ? 'resilient' : middlewareArg,
    process.cwd(),
  );
  const out = values.out as string | undefined;
  const outDirFor = (result: RunResult): string =>
    out === undefined ? defaultOutDir(process.cwd(), result) : scenarios.length === 1 ? resolve(out) : resolve(out, result.scenario);
  if (out !== undefined) await ensureWritable(resolve(out));

  const progress = createProgress();
  // Ctrl-C: say what finished and where the run was, in partial-summary.json beside the artefacts.
  const interrupt = watchInterrupt(
    join(out === undefined ? join(process.cwd(), 'reports', 'out') : resolve(out), 'partial-summary.json'),
    scenarios.map((s) => s.name),
  );
  let exit: number = EXIT.pass;
  const skipped: string[] = [];
  const results: RunResult[] = [];
  const suite: SuiteRun[] = [];
  let unexpected = 0;
  const started = performance.now();
  for (const scenario of scenarios) {
    interrupt.started(scenario.name);
    const result = await runScenario(scenario, {
      ...(seed !== undefined && { seed }),
      mode,
      odoo,
      odooOptions: odooTargetOptions(values),
      middleware,
      middlewareArg,
      scenarioArg: scenarioArgs.get(scenario) ?? scenario.name,
      onProgress: (text) => {
        interrupt.progress(text);
        progress.update(`${scenario.name}: ${text}`);
      },
      live,
    }).catch((error: unknown) => {
      if (!(error instanceof FaultNotExpressibleError)) throw error;
      return error;
    });
    progress.done();
    if (result instanceof FaultNotExpressibleError) {
      skipped.push(scenario.name);
      process.stdout.write(`- ${scenario.name} SKIPPED: ${result.message}\n`);
      continue;
    }
    const named: RunResult = { ...result, scenario: scenario.name };
    const dir = outDirFor(named);
    await ensureWritable(dir);
    await writeRunArtefacts(named, dir, replaySource(scenarioArgs.get(scenario) ?? scenario.name));
    results.push(named);
    suite.push({ dir, summary: runSummaryOf(named) });
    const shown = relative(process.cwd(), dir);
    process.stdout.write(formatRunResult(named, shown.startsWith('..') ? dir : shown) + '\n');
    // A design given by URL or command is the user's own: the scenario's expectations name built-in designs.
    const expectation =
      live.middlewareUrl === undefined && live.middlewareCommand === undefined ? expectationLine(scenario, named, middleware.name) : undefined;
    if (expectation !== undefined) {
      process.stdout.write(`${expectation.line}\n`);
      if (!expectation.met) unexpected++;
    }
    interrupt.finished(scenario.name, result.verdict, dir);
    if (result.verdict !== 'pass' || expectation?.met === false) exit = EXIT.fail;
  }
  interrupt.stop();
  if (skipped.length > 0)
    process.stdout.write(
      `${plural(skipped.length, 'scenario')} of ${scenarios.length} skipped: their faults cannot be put on --odoo ${odoo} (${skipped.join(', ')})\n`,
    );
  if (scenarios.length > 1) {
    const base = out === undefined ? join(process.cwd(), 'reports', 'out') : resolve(out);
    await writeFile(join(base, 'junit.xml'), renderJunit(results));
    await writeSuiteReport(base, suite);
    const passed = results.filter((r) => r.verdict === 'pass').length;
    const shownBase = relative(process.cwd(), base);
    process.stdout.write(
      `suite: ${plural(scenarios.length, 'scenario')}, ${passed} passed, ${results.length - passed} failed, ${skipped.length} skipped` +
        `${unexpected > 0 ? `, ${unexpected} not as expected` : ''} (${formatDuration(performance.now() - started)} wall); ` +
        `junit: ${join(shownBase.startsWith('..') ? base : shownBase, 'junit.xml')}; report: ${join(shownBase.startsWith('..') ? base : shownBase, 'report.html')}\n`,
    );
  }
  return exit;
}
