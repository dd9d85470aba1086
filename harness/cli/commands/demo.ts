import { builtInScenarios } from '../../../scenarios/index.ts';
import { defaultOutDir, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { renderComparison } from '../../../reports/comparison.ts';
import type { ComparisonRow } from '../../../reports/comparison.ts';
import { EXIT } from '../../run/errors.ts';
import { resolveMiddleware } from '../../run/middleware.ts';
import { runScenario } from '../../run/run-scenario.ts';
import { parseCommandArgs, parseSeed } from '../args.ts';
import { createProgress } from '../progress.ts';

/**
 * The first minute with Faultline: every built-in incident against the fragile
 * design and its cure, side by side. Succeeds when each design fails exactly
 * where the scenario says it should.
 */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandArgs('demo', argv, { seed: { type: 'string' } });
  const seed = parseSeed(values.seed as string | undefined);
  const designs = [await resolveMiddleware('naive', process.cwd()), await resolveMiddleware('resilient', process.cwd())];
  const progress = createProgress();
  const rows: ComparisonRow[] = [];
  for (const scenario of builtInScenarios) {
    const row: ComparisonRow = { scenario: scenario.name, results: {}, expected: {} };
    for (const middleware of designs) {
      progress.update(`${scenario.name} × ${middleware.name}…`);
      const result = await runScenario(scenario, {
        ...(seed !== undefined && { seed }),
        mode: 'sim',
        odoo: 'emulated',
        middleware,
        middlewareArg: middleware.name,
      });
      await writeRunArtefacts(result, defaultOutDir(process.cwd(), result));
      row.results[middleware.name] = result;
      const expected = scenario.expect?.[middleware.name as 'naive' | 'resilient'];
      row.expected[middleware.name] = expected?.fails ?? [];
    }
    rows.push(row);
  }
  progress.done();
  const { text, asExpected } = renderComparison(rows, ['naive', 'resilient']);
  process.stdout.write(text);
  return asExpected ? EXIT.pass : EXIT.fail;
}
