import { writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { builtInScenarios } from '../../../scenarios/index.ts';
import { ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { renderComparison } from '../../../reports/comparison.ts';
import { runSummaryOf, writeSuiteReport } from '../../../reports/html/write-report.ts';
import type { SuiteRun } from '../../../reports/html/write-report.ts';
import type { ComparisonRow } from '../../../reports/comparison.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { runScenario } from '../../engine/run-scenario.ts';
import { parseCommandArgs, parseSeed } from '../args.ts';
import { resolveDesign } from '../design.ts';
import type { Design } from '../design.ts';
import { createProgress } from '../progress.ts';
import { loadScenario } from '../scenario-source.ts';

/** A folder name for a design named by a path, URL or command. */
function folderName(label: string): string {
  return label
    .replace(/^\.\//, '')
    .replace(/[^\w.-]+/g, '_')
    .slice(0, 60);
}

/**
 * `faultline compare`: the same scenarios against several designs, side by
 * side, with every cell checked against the scenario's `expect` for that
 * design (a design a scenario says nothing about is shown, not judged).
 */
export async function compareCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandArgs('compare', argv, {
    middleware: { type: 'string', multiple: true },
    seed: { type: 'string' },
    out: { type: 'string' },
  });
  const seed = parseSeed(values.seed as string | undefined);
  const given = (values.middleware as string[] | undefined) ?? ['naive', 'resilient'];
  const designs: Design[] = [];
  for (const value of given) designs.push(await resolveDesign(value, cwd));
  const labels = designs.map((d) => d.label);
  const twice = labels.find((label, i) => labels.indexOf(label) !== i);
  if (twice !== undefined) throw new UsageError(`compare: the design "${twice}" is given twice; each --middleware names a different design`);
  const scenarios = positionals.length === 0 ? [...builtInScenarios] : await Promise.all(positionals.map((p) => loadScenario(p, cwd)));
  const scenarioArgs = positionals.length === 0 ? scenarios.map((s) => s.name) : positionals;
  const base = values.out !== undefined ? resolve(cwd, values.out as string) : join(cwd, 'reports', 'out');
  if (values.out !== undefined) await ensureWritable(base);

  const progress = createProgress();
  const rows: ComparisonRow[] = [];
  const runs: SuiteRun[] = [];
  for (const [i, scenario] of scenarios.entries()) {
    const row: ComparisonRow = { scenario: scenario.name, results: {}, expected: {} };
    for (const design of designs) {
      progress.update(`${scenario.name} × ${design.label}…`);
      const result = await runScenario(scenario, {
        ...(seed !== undefined && { seed }),
        mode: design.mode,
        odoo: 'emulated',
        middleware: design.middleware,
        middlewareArg: design.arg,
        scenarioArg: scenarioArgs[i] ?? scenario.name,
        live: design.live,
      });
      const named = { ...result, scenario: scenario.name, middleware: design.label };
      const dir = join(base, folderName(scenario.name), `${folderName(design.label)}-seed${result.seed}`);
      await ensureWritable(dir);
      await writeRunArtefacts(named, dir);
      runs.push({ dir, summary: runSummaryOf(named) });
      row.results[design.label] = named;
      row.expected[design.label] = (scenario.expect as Record<string, { fails: readonly string[] } | undefined> | undefined)?.[design.label]?.fails;
    }
    rows.push(row);
  }
  progress.done();
  const shownBase = relative(cwd, base) || '.';
  const { text, asExpected } = renderComparison(rows, labels, shownBase.startsWith('..') ? base : shownBase);
  process.stdout.write(text);
  await writeFile(join(base, 'comparison.txt'), text);
  await writeSuiteReport(base, runs, text);
  return asExpected ? EXIT.pass : EXIT.fail;
}
