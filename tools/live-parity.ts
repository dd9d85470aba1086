/**
 * Runs scenarios in sim mode and in live mode (real HTTP, real Toxiproxy) and
 * fails when the two modes disagree on which invariants break. CI runs it on
 * slow-3pl-cascade so a drift between the two faces of the engine is caught.
 *
 *   node tools/live-parity.ts [SCENARIO...]
 */
import { resolveMiddleware } from '../harness/run/middleware.ts';
import { runScenario } from '../harness/run/run-scenario.ts';
import { builtInScenarios } from '../scenarios/index.ts';

const names = process.argv.slice(2);
const scenarios = (names.length === 0 ? ['slow-3pl-cascade'] : names).map((name) => {
  const scenario = builtInScenarios.find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`no built-in scenario "${name}"`);
  return scenario;
});

let differences = 0;
for (const scenario of scenarios) {
  for (const name of ['naive', 'resilient']) {
    const middleware = await resolveMiddleware(name, process.cwd());
    const failing = async (mode: 'sim' | 'live'): Promise<string[]> => {
      const result = await runScenario(scenario, { mode, odoo: 'emulated', middleware, middlewareArg: name });
      return result.invariants.filter((v) => v.verdict !== 'pass').map((v) => `${v.name}${v.verdict === 'unknown' ? '?' : ''}`);
    };
    const sim = await failing('sim');
    const live = await failing('live');
    const same = sim.join(',') === live.join(',');
    if (!same) differences++;
    const show = (list: string[]): string => (list.length === 0 ? 'pass' : `FAIL ${list.join(', ')}`);
    console.log(`${same ? '✓' : '✗'} ${scenario.name} × ${name}: sim ${show(sim)}; live ${show(live)}`);
  }
}
if (differences > 0) {
  console.error(`live-parity: ${differences} run(s) where live mode disagrees with sim mode`);
  process.exitCode = 1;
}
