import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { builtInScenarios } from '../scenarios/index.ts';
import { resilientFingerprint } from '../harness/cli/commands/survived.ts';
import { recordResults } from './results.ts';

/**
 * Issue #12's target: `faultline check` with the resilient middleware holds
 * every invariant in 1,000 generated cases per built-in scenario. Each
 * scenario is one `check` process, as a user runs it (`--workers 2`); its
 * wall time is the machine's, shared with whatever else runs on it. The
 * figures carry a fingerprint of middleware/resilient, so `faultline demo`
 * can tell whether they still describe the design it runs.
 *
 * BENCH_RESILIENT_RUNS (default 1000), BENCH_RESILIENT_SCENARIOS (comma-separated, in the order to run; default all built-ins).
 */
const RUNS = Number(process.env.BENCH_RESILIENT_RUNS ?? 1000);
const SEED = 1;
const WORKERS = 2;
const root = join(import.meta.dirname, '..');
const only = process.env.BENCH_RESILIENT_SCENARIOS?.split(',');
const builtIn = builtInScenarios.map((s) => s.name);
const names = only === undefined ? builtIn : only.filter((name) => builtIn.includes(name));
// Taken before the runs: the figures describe the sources the checks started from.
const fingerprint = resilientFingerprint(root);

interface ScenarioFigures {
  cases: number;
  wallSeconds: number;
  verdict: string;
  /** The sources this scenario's check ran on. */
  fingerprint?: string;
}

let previous: Record<string, ScenarioFigures> = {};
try {
  const all = JSON.parse(readFileSync(join(import.meta.dirname, 'results.json'), 'utf8')) as {
    resilientCheck?: { scenarios?: Record<string, ScenarioFigures>; fingerprint?: string };
  };
  // A partial re-run keeps the other scenarios' figures, each with the fingerprint of the sources it ran on.
  const before = all.resilientCheck;
  if (before !== undefined)
    previous = Object.fromEntries(
      Object.entries(before.scenarios ?? {}).map(([name, f]) => [name, { ...f, fingerprint: f.fingerprint ?? before.fingerprint }]),
    );
} catch {
  previous = {};
}

const scenarios: Record<string, ScenarioFigures> = { ...previous };
// Written after each scenario: a run cut short keeps what it measured.
function record(): void {
  const held = Object.values(scenarios).filter((s) => s.verdict === 'pass' && s.fingerprint === fingerprint);
  recordResults('resilientCheck', {
    command: `node bin/faultline.js check SCENARIO --middleware resilient --runs ${RUNS} --seed ${SEED} --workers ${WORKERS}`,
    runsPerScenario: RUNS,
    fingerprint,
    casesHeld: held.reduce((sum, s) => sum + s.cases, 0),
    scenarios,
  });
}

for (const name of names) {
  const out = join(root, 'reports', 'out', 'bench-resilient-check', name);
  const args = [
    'bin/faultline.js',
    'check',
    name,
    '--middleware',
    'resilient',
    '--runs',
    String(RUNS),
    '--seed',
    String(SEED),
    '--workers',
    String(WORKERS),
    '--out',
    out,
  ];
  // A check.json left by an earlier run must not stand in for this one.
  rmSync(join(out, 'check.json'), { force: true });
  const start = performance.now();
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallSeconds = +((performance.now() - start) / 1000).toFixed(1);
  let cases = 0;
  let verdict = `exit ${run.status ?? run.signal}`;
  try {
    const check = JSON.parse(readFileSync(join(out, 'check.json'), 'utf8')) as {
      casesRun: number;
      verdict: string;
      failure: { invariants?: string[]; index?: number } | null;
    };
    cases = check.casesRun;
    verdict =
      check.verdict === 'fail' && check.failure !== null
        ? `fail at case ${(check.failure.index ?? 0) + 1}: ${(check.failure.invariants ?? []).join(', ')}`
        : check.verdict;
  } catch {
    // No check.json: the exit status above says what happened.
  }
  scenarios[name] = { cases, wallSeconds, verdict, ...(fingerprint !== undefined && { fingerprint }) };
  record();
  console.log(`check ${name} --middleware resilient --runs ${RUNS} --seed ${SEED} --workers ${WORKERS}: ${cases} cases, ${wallSeconds} s wall → ${verdict}`);
  if (verdict !== 'pass')
    console.log(
      run.stdout
        .split('\n')
        .filter((line) => !line.startsWith('    '))
        .join('\n'),
    );
}
