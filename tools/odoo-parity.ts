/**
 * Parity as a test: every scenario with every middleware, once in sim mode on
 * the emulator and once in live mode on the Odoo target given (a real Odoo by
 * default through --odoo external; `--odoo emulated` compares live mode with
 * sim mode on the emulator). Prints one table, scenario × middleware, with both
 * verdicts, and exits 1 on any difference in verdict not explained in
 * docs/parity-differences.json (each explanation names the real behaviour
 * behind it). Where both sides fail every invariant the scenario expects the
 * design to break, the verdict is the same: other invariants failing on one
 * side only are knock-on effects, listed with a ≈ but not failing the
 * command. An explanation that no longer matches a difference fails too, so
 * the file cannot go stale. The live runs' artefacts go to
 * reports/out/parity-ODOO/SCENARIO/MIDDLEWARE.
 *
 *   node tools/odoo-parity.ts [SCENARIO|FILE...] [--odoo external --odoo-url URL --odoo-db DB
 *        --odoo-user U --odoo-password P --odoo-master-password M] [--middleware NAME]...
 *        [--results]   (also records the live runs' figures in bench/results.json)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { recordResults } from '../bench/results.ts';
import { ODOO_FLAGS } from '../harness/cli/commands/run.ts';
import { odooTargetOptions } from '../harness/cli/odoo-flags.ts';
import { writeRunArtefacts } from '../reports/artefacts.ts';
import { FaultNotExpressibleError } from '../harness/run/errors.ts';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import type { RunResult } from '../harness/run/result.ts';
import { runScenario } from '../harness/engine/run-scenario.ts';
import type { OdooTargetKind } from '../harness/run/run-options.ts';
import { builtInScenarios } from '../scenarios/index.ts';
import { loadScenario } from '../harness/cli/scenario-source.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';

interface Explanation {
  scenario: string;
  middleware: string;
  /** The failing invariants in sim and in live mode, as the table shows them ('pass' for none). */
  sim: string;
  live: string;
  why: string;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    ...ODOO_FLAGS,
    odoo: { type: 'string', default: 'external' },
    middleware: { type: 'string', multiple: true },
    results: { type: 'boolean' },
  },
});

const odoo = values.odoo as OdooTargetKind;
// Built-in names or scenario files (a saved regression, say), loaded as `faultline run` loads them.
const scenarios: Scenario[] = [];
for (const name of positionals.length === 0 ? builtInScenarios.map((s) => s.name) : positionals) {
  try {
    scenarios.push(await loadScenario(name));
  } catch (error) {
    console.error(`odoo-parity: ${(error as Error).message}`);
    process.exit(2);
  }
}
const middlewares = values.middleware ?? ['naive', 'resilient'];
const explanations = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'docs', 'parity-differences.json'), 'utf8')) as Explanation[];

const failing = (result: RunResult): string => {
  const names = result.invariants.filter((v) => v.verdict !== 'pass').map((v) => `${v.name}${v.verdict === 'unknown' ? '?' : ''}`);
  return names.length === 0 ? 'pass' : names.join(', ');
};
const show = (verdict: string): string => (verdict === 'pass' ? 'pass' : `FAIL ${verdict}`);

const rows: string[][] = [];
/** Each row as it is decided, so a long suite shows its progress; the aligned table follows at the end. */
const decided = (row: string[]): void => {
  rows.push(row);
  process.stderr.write(`${row.slice(0, 5).join('  ')}${row[5] ? `  (${row[5]})` : ''}\n`);
};
const live: Array<{ scenario: string; middleware: string; wallMs: number; orders: number; ordersPerSec: number; verdict: string }> = [];
const used = new Set<Explanation>();
let unexplained = 0;
let sameVerdictOnly = 0;
let skipped = 0;
const suiteStart = performance.now();

for (const scenario of scenarios) {
  for (const name of middlewares) {
    const middleware = await resolveMiddleware(name, process.cwd());
    const sim = failing(await runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: name }));
    let real: RunResult;
    try {
      real = await runScenario(scenario, {
        mode: 'live',
        odoo,
        middleware,
        middlewareArg: name,
        odooOptions: odooTargetOptions(values),
        onProgress: (text) => process.stderr.write(`  ${scenario.name} × ${name}: ${text}\n`),
      });
    } catch (error) {
      if (!(error instanceof FaultNotExpressibleError)) throw error;
      skipped++;
      decided(['-', scenario.name, name, show(sim), 'skipped', error.message]);
      continue;
    }
    const artefacts = join(process.cwd(), 'reports', 'out', `parity-${odoo}`, scenario.name, name);
    await writeRunArtefacts(real, artefacts);
    const other = failing(real);
    const seconds = real.stats.virtualMs / 1000;
    live.push({
      scenario: scenario.name,
      middleware: name,
      wallMs: real.stats.wallMs,
      orders: real.stats.orders,
      ordersPerSec: seconds > 0 ? Math.round((real.stats.orders / seconds) * 100) / 100 : 0,
      verdict: other,
    });
    if (other === sim) {
      decided(['✓', scenario.name, name, show(sim), show(other), '']);
      continue;
    }
    const expected = name === 'naive' || name === 'resilient' ? (scenario.expect?.[name]?.fails ?? []) : [];
    const knockOn = sameVerdict(expected, sim, other);
    if (knockOn !== undefined) {
      sameVerdictOnly++;
      decided(['≈', scenario.name, name, show(sim), show(other), knockOn]);
      continue;
    }
    const explanation = explanations.find((e) => e.scenario === scenario.name && e.middleware === name && e.sim === sim && e.live === other);
    if (explanation !== undefined) used.add(explanation);
    else unexplained++;
    decided([
      explanation !== undefined ? '~' : '✗',
      scenario.name,
      name,
      show(sim),
      show(other),
      explanation?.why ?? `UNEXPLAINED: the live run is in ${artefacts}`,
    ]);
  }
}

/**
 * Both sides fail, and both fail every invariant the scenario expects this
 * design to break: the verdict is the same, and what differs are knock-on
 * failures (a real Odoo's latency turning a design's duplicates into doubled
 * payments as well). Says which; undefined when the verdict itself differs.
 */
function sameVerdict(expected: readonly string[], sim: string, live: string): string | undefined {
  if (sim === 'pass' || live === 'pass' || expected.length === 0) return undefined;
  const simSet = new Set(sim.split(', '));
  const liveSet = new Set(live.split(', '));
  if (!expected.every((name) => simSet.has(name) && liveSet.has(name))) return undefined;
  const onlyLive = [...liveSet].filter((n) => !simSet.has(n));
  const onlySim = [...simSet].filter((n) => !liveSet.has(n));
  return [
    `same verdict, both break ${expected.join(', ')}`,
    onlyLive.length > 0 ? `knock-on only on the real Odoo: ${onlyLive.join(', ')}` : '',
    onlySim.length > 0 ? `only on the emulator: ${onlySim.join(', ')}` : '',
  ]
    .filter((part) => part !== '')
    .join('; ');
}

const header = ['', 'scenario', 'middleware', 'emulator (sim)', `${odoo} Odoo (live)`, 'why they differ'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]): string =>
  cells
    .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
    .join('  ')
    .trimEnd();
console.log(line(header));
console.log(line(widths.map((w) => '─'.repeat(w))));
for (const row of rows) console.log(line(row));

const stale = explanations.filter(
  (e) =>
    !used.has(e) &&
    scenarios.some((s) => s.name === e.scenario) &&
    middlewares.includes(e.middleware) &&
    rows.some((r) => r[1] === e.scenario && r[2] === e.middleware && r[4] !== 'skipped'),
);
const suiteSeconds = Math.round((performance.now() - suiteStart) / 1000);
console.log(
  `\n${rows.length} runs: ${rows.filter((r) => r[0] === '✓').length} agree, ${sameVerdictOnly} reach the same verdict through other knock-on invariants, ${used.size} differ as explained, ${unexplained} differ unexplained, ${skipped} skipped; ${suiteSeconds} s`,
);
for (const e of stale)
  console.log(`stale explanation in docs/parity-differences.json: ${e.scenario} × ${e.middleware} (sim ${e.sim}, live ${e.live}) no longer happens; remove it`);

if (values.results === true) {
  recordResults(`parity-${odoo}`, { scenarios: scenarios.map((s) => s.name), middlewares, suiteSeconds, live });
}
if (unexplained > 0 || stale.length > 0) process.exitCode = 1;
