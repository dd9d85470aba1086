import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { enableCompileCache } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CasePlan, exploreCaseSpace } from '../harness/check/case-space.ts';
import { tryCase } from '../harness/check/case-trial.ts';
import { runCase } from '../harness/check/run-case.ts';
import { checkScenario } from '../harness/check/search.ts';
import { faultTarget } from '../harness/core/faults.ts';
import type { FaultSpec } from '../harness/core/faults.ts';
import type { ResolvedMiddleware } from '../harness/run/run-options.ts';
import { resolveMiddleware } from '../harness/engine/resolve-middleware.ts';
import type { Scenario } from '../harness/scenario/scenario.ts';
import { builtInScenarios } from '../scenarios/index.ts';
import happyPath from '../scenarios/happy-path.ts';
import { materialize } from './mutants/mutant.ts';
import type { Mutant } from './mutants/mutant.ts';
import { NAIVE_MUTANTS } from './mutants/naive.ts';
import { RESILIENT_MUTANTS } from './mutants/resilient.ts';
import { median, recordResults } from './results.ts';

/**
 * The mutation benchmark of issue #13: how much of what the middleware's
 * defences do can generated chaos tell apart from their absence?
 *
 * For each mutant, the cases of `faultline check happy-path --seed 1` (or of
 * the scenario and fault kinds the mutant names) run in
 * index order on one thread (case i is the same in every search with that
 * seed) until one breaks an invariant that the unmutated middleware keeps on
 * that same case: the mutant is killed there. Then the failure is shrunk
 * (a bounded number of runs) to say how small a case shows it. Targets: every
 * non-equivalent mutant killed within 100 cases; median time to kill under
 * 15 s on one core; and `--workers 2` at least 1.7× the cases per second of one.
 *
 * BENCH_MUTATION_RUNS (default 100), BENCH_MUTATION_SEED (1),
 * BENCH_MUTANTS=id,id (only these; such a partial run is not recorded), BENCH_MUTATION_SPEEDUP=0 (skip the worker figures),
 * BENCH_MUTATION_SPEEDUP_CASES (100 a run), BENCH_MUTATION_SPEEDUP_ROUNDS (2: runs 2,1,2,1 workers).
 */
const RUNS = Number(process.env.BENCH_MUTATION_RUNS ?? 100);
const SEED = Number(process.env.BENCH_MUTATION_SEED ?? 1);
const ONLY = process.env.BENCH_MUTANTS?.split(',').filter((s) => s !== '');
const SHRINK_RUNS = 40;
const cwd = process.cwd();

/** The scenario whose search hunts the mutant. */
function scenarioOf(mutant: Mutant): Scenario {
  const name = mutant.scenario ?? happyPath.name;
  const scenario = builtInScenarios.find((s) => s.name === name);
  if (scenario === undefined) throw new Error(`mutant ${mutant.id} names the scenario "${name}", which is not built in`);
  return scenario;
}

/** What the unmutated middleware breaks on the mutant's case i: a mutant is killed only by an invariant the original keeps. */
async function originalFailing(scenario: Scenario, middleware: ResolvedMiddleware, arg: string, plan: CasePlan, index: number): Promise<string[]> {
  // The case comes from the mutant's plan: the same case the mutant failed, run on the original.
  const trial = await tryCase(plan.arbitrary(index), SEED, index, (c) => runCase(scenario, c, middleware, arg), undefined);
  return trial.failing;
}

/** The shrunk case's faults, each as kind@target; a crash loop's many crashes counted once. */
function shrunkFaultsText(faults: readonly FaultSpec[]): string {
  const counts = new Map<string, number>();
  for (const f of faults) counts.set(`${f.kind}@${faultTarget(f)}`, (counts.get(`${f.kind}@${faultTarget(f)}`) ?? 0) + 1);
  return [...counts].map(([label, n]) => (n === 1 ? label : `${n}× ${label}`)).join(', ') || 'no faults';
}

interface MutantFigures {
  id: string;
  middleware: string;
  defence: string;
  scenario: string;
  faultKinds?: readonly string[];
  verdict: 'killed' | 'survived' | 'equivalent';
  equivalent?: string;
  /** Cases run until the kill (the killing case's index + 1). */
  cases?: number;
  secondsToKill?: number;
  invariant?: string;
  shrunkOrders?: number;
  shrunkFaults?: number;
  shrunkCase?: string;
  shrinkSeconds?: number;
}

const mutants = [...RESILIENT_MUTANTS, ...NAIVE_MUTANTS].filter((m) => ONLY === undefined || ONLY.includes(m.id));
const originalsByName = { resilient: await resolveMiddleware('resilient', cwd), naive: await resolveMiddleware('naive', cwd) };
const figures: MutantFigures[] = [];

async function measure(mutant: Mutant): Promise<MutantFigures> {
  const scenario = scenarioOf(mutant);
  const base = {
    id: mutant.id,
    middleware: mutant.middleware,
    defence: mutant.defence,
    scenario: scenario.name,
    ...(mutant.faultKinds !== undefined && { faultKinds: mutant.faultKinds }),
  };
  if (mutant.equivalent !== undefined) return { ...base, verdict: 'equivalent', equivalent: mutant.equivalent };
  const copy = await materialize(mutant);
  try {
    const middleware = await resolveMiddleware(copy.entry, cwd);
    const start = performance.now();
    // As `check` does: one fault-free run of the scenario with this middleware tells what to aim at.
    const space = { maxOrders: scenario.orders.count, ...(mutant.faultKinds !== undefined && { faultKinds: mutant.faultKinds }) };
    const plan = new CasePlan(scenario, await exploreCaseSpace(scenario, space, middleware, copy.entry), SEED);
    for (let index = 0; index < RUNS; index++) {
      const trial = await tryCase(plan.arbitrary(index), SEED, index, (c) => runCase(scenario, c, middleware, copy.entry), undefined);
      if (trial.failing.length === 0) continue;
      const kept = await originalFailing(scenario, originalsByName[mutant.middleware], mutant.middleware, plan, index);
      const invariant = trial.failing.find((name) => !kept.includes(name));
      if (invariant === undefined) continue;
      const secondsToKill = (performance.now() - start) / 1000;
      const shrinkStart = performance.now();
      const report = await checkScenario(scenario, {
        middleware,
        middlewareArg: copy.entry,
        ...(mutant.faultKinds !== undefined && { faultKinds: mutant.faultKinds }),
        seed: SEED,
        path: String(index),
        maxShrinkRuns: SHRINK_RUNS,
        invariants: [invariant],
      });
      const minimal = report.failure?.case;
      return {
        ...base,
        verdict: 'killed',
        cases: index + 1,
        secondsToKill: +secondsToKill.toFixed(2),
        invariant,
        ...(minimal !== undefined && {
          shrunkOrders: minimal.overrides.orders.count,
          shrunkFaults: minimal.overrides.faults.length,
          shrunkCase: shrunkFaultsText(minimal.overrides.faults),
        }),
        shrinkSeconds: +((performance.now() - shrinkStart) / 1000).toFixed(2),
      };
    }
    return { ...base, verdict: 'survived', cases: RUNS, secondsToKill: +((performance.now() - start) / 1000).toFixed(2) };
  } finally {
    await copy.remove();
  }
}

for (const mutant of mutants) {
  const f = await measure(mutant);
  figures.push(f);
  const line =
    f.verdict === 'killed'
      ? `killed  ${f.id.padEnd(32)} case ${String(f.cases).padStart(3)}, ${f.secondsToKill!.toFixed(1).padStart(5)} s, ${f.invariant}; shrunk to ${f.shrunkOrders} orders, ${f.shrunkCase}`
      : f.verdict === 'equivalent'
        ? `equiv.  ${f.id.padEnd(32)} (argued equivalent, not run)`
        : `SURVIVED ${f.id.padEnd(31)} ${f.cases} cases, ${f.secondsToKill!.toFixed(1)} s`;
  console.log(line);
}

const judged = figures.filter((f) => f.verdict !== 'equivalent');
const killed = judged.filter((f) => f.verdict === 'killed');
const killTimes = killed.map((f) => f.secondsToKill!);
const summary: Record<string, unknown> = {
  scenario: happyPath.name,
  seed: SEED,
  runs: RUNS,
  mutants: figures.length,
  equivalent: figures.length - judged.length,
  killed: killed.length,
  killRate: judged.length === 0 ? null : +(killed.length / judged.length).toFixed(3),
  medianSecondsToKill: killTimes.length === 0 ? null : +median(killTimes).toFixed(2),
  survivors: judged.filter((f) => f.verdict === 'survived').map((f) => f.id),
  perMutant: figures,
};
console.log(
  `\nkill rate: ${killed.length}/${judged.length} non-equivalent mutants (${((100 * killed.length) / Math.max(1, judged.length)).toFixed(0)} %) within ${RUNS} cases of ${happyPath.name} (or the scenario and fault kinds a mutant names), seed ${SEED} (target 100 %); ` +
    `median time to kill ${summary.medianSecondsToKill ?? '-'} s on one core (target < 15 s); ${figures.length - judged.length} argued equivalent`,
);

if (process.env.BENCH_MUTATION_SPEEDUP !== '0') {
  // Cases per second of the plain search (the unmutated resilient middleware holds, so every case runs) on one and two workers,
  // each timed from the search's start: the worker thread's start-up (loading the modules, its first cases while V8 compiles
  // them again for a fresh isolate) is in the figure. 100 cases, the default size of a search (`--runs`): at 40 that fixed
  // start-up was a quarter of the worker lane's work, which says more about short searches than about a search's pace.
  // The layouts alternate (2, 1, 2, 1, …) so that drift in the machine's load falls on both alike; the ratio is of the sums.
  // On a shared machine the wall-clock ratio is capped by the CPU share the scheduler grants this process (with autogroup,
  // one share for all its threads), so the CPU each lane layout spends per case and the cores it kept busy go beside it:
  // one lane keeps more than one core busy (V8 compiles and collects garbage on background threads), which two lanes
  // on two cores must share.
  const cases = Number(process.env.BENCH_MUTATION_SPEEDUP_CASES ?? 100);
  const rounds = Math.max(1, Number(process.env.BENCH_MUTATION_SPEEDUP_ROUNDS ?? 2));
  // As bin/faultline.js does for `faultline check`: worker threads load their modules from V8's code cache on disk.
  enableCompileCache();
  const source = { loader: new URL('../harness/cli/scenario-source.ts', import.meta.url).href, scenario: happyPath.name, cwd };
  interface Timed {
    workers: number;
    cases: number;
    seconds: number;
    cpuSeconds: number;
    loadAverage: number;
  }
  const timed = async (workers: number): Promise<Timed> => {
    const cpu = process.cpuUsage();
    const start = performance.now();
    const report = await checkScenario(happyPath, {
      middleware: originalsByName.resilient,
      middlewareArg: 'resilient',
      seed: SEED,
      runs: cases,
      workers,
      source,
    });
    const seconds = (performance.now() - start) / 1000;
    const used = process.cpuUsage(cpu);
    return { workers, cases: report.runs, seconds, cpuSeconds: (used.user + used.system) / 1e6, loadAverage: +loadavg()[0]!.toFixed(2) };
  };
  const loadBefore = +loadavg()[0]!.toFixed(2);
  const runs: Timed[] = [];
  for (let round = 0; round < rounds; round++) for (const workers of [2, 1]) runs.push(await timed(workers));
  const layout = (workers: number) => {
    const mine = runs.filter((r) => r.workers === workers);
    const caseCount = mine.reduce((sum, r) => sum + r.cases, 0);
    const seconds = mine.reduce((sum, r) => sum + r.seconds, 0);
    const cpuSeconds = mine.reduce((sum, r) => sum + r.cpuSeconds, 0);
    return {
      perSecond: caseCount / seconds,
      each: mine.map((r) => +(r.cases / r.seconds).toFixed(2)),
      cpuSecondsPerCase: +(cpuSeconds / caseCount).toFixed(3),
      coresBusy: +(cpuSeconds / seconds).toFixed(2),
    };
  };
  const one = layout(1);
  const two = layout(2);
  const loads = runs.map((r) => r.loadAverage);
  const ceiling = await machineCeiling(cases, rounds);
  summary.speedup = {
    cases,
    order: runs.map((r) => r.workers),
    casesPerSecondOneWorker: +one.perSecond.toFixed(2),
    casesPerSecondTwoWorkers: +two.perSecond.toFixed(2),
    eachRun: { oneWorker: one.each, twoWorkers: two.each },
    ratio: +(two.perSecond / one.perSecond).toFixed(2),
    cpuSecondsPerCase: { oneWorker: one.cpuSecondsPerCase, twoWorkers: two.cpuSecondsPerCase },
    coresBusy: { oneWorker: one.coresBusy, twoWorkers: two.coresBusy },
    cores: cpus().length,
    loadAverage1m: { before: loadBefore, afterEachRun: loads },
    twoIndependentSearches: ceiling,
  };
  console.log(
    `--workers 2: ${two.perSecond.toFixed(2)} cases/s against ${one.perSecond.toFixed(2)} on one worker, ×${(two.perSecond / one.perSecond).toFixed(2)} (target ≥ 1.7×; ${cases} cases a run, ` +
      `worker start-up included, runs ${runs.map((r) => r.workers).join(',')}); CPU per case ${two.cpuSecondsPerCase} s against ${one.cpuSecondsPerCase} s, ` +
      `cores kept busy ${two.coresBusy} against ${one.coresBusy}, load average ${loadBefore}, then ${loads.join(', ')} on ${cpus().length} cores`,
  );
  console.log(
    `the machine's own ceiling: two independent one-worker searches at once give ×${ceiling.ratio} the cases per second of one alone ` +
      `(separate processes, nothing shared; runs ${ceiling.order.join(',')}, ${ceiling.each.join(', ')} s)`,
  );
}

/**
 * What two cores give this workload with nothing shared: the same one-worker
 * search as two separate processes at once, against one alone, start-up
 * included in both. Two lanes of one search cannot beat it, so it tells a
 * worker pool's overhead apart from cores that slow each other down (shared
 * caches, memory bandwidth, or a host that backs two vCPUs with one core).
 */
async function machineCeiling(cases: number, rounds: number): Promise<{ ratio: number; order: number[]; each: number[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'faultline-ceiling-'));
  const bin = new URL('../bin/faultline.js', import.meta.url).pathname;
  const search = (out: string) =>
    new Promise<void>((resolve, reject) => {
      const args = [bin, 'check', happyPath.name, '--middleware', 'resilient', '--runs', String(cases), '--seed', String(SEED), '--workers', '1', '--out', out];
      const child = spawn(process.execPath, args, { cwd, stdio: 'ignore', env: { ...process.env, CI: 'true' }, timeout: 900_000 });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`faultline check exited ${code} in the ceiling run (${out})`))));
    });
  const order: number[] = [];
  const each: number[] = [];
  const totals = new Map<number, { cases: number; seconds: number }>([
    [1, { cases: 0, seconds: 0 }],
    [2, { cases: 0, seconds: 0 }],
  ]);
  try {
    for (let round = 0; round < rounds; round++) {
      for (const processes of [2, 1]) {
        const start = performance.now();
        await Promise.all(Array.from({ length: processes }, (_, i) => search(join(dir, `${round}-${processes}-${i}`))));
        const seconds = (performance.now() - start) / 1000;
        const total = totals.get(processes)!;
        total.cases += processes * cases;
        total.seconds += seconds;
        order.push(processes);
        each.push(+seconds.toFixed(1));
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  const rate = (processes: number) => totals.get(processes)!.cases / totals.get(processes)!.seconds;
  return { ratio: +(rate(2) / rate(1)).toFixed(2), order, each };
}
// A run over some mutants only is a probe: it must not replace the figures of the whole benchmark.
if (ONLY === undefined) recordResults('mutation', summary);
else console.log('(BENCH_MUTANTS set: a partial run, not recorded in bench/results.json)');
