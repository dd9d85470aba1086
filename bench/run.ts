import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Runs every benchmark in its own process (so one's heap does not skew the
 * next) and leaves the figures in bench/results.json. `npm run bench -- sim`
 * runs only the benchmarks whose file name contains "sim".
 */
const filter = process.argv[2];
const files = readdirSync(import.meta.dirname)
  .filter((f) => f.endsWith('.bench.ts') && (filter === undefined || f.includes(filter)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  // A bound for a hung benchmark, not a budget: resilient-check's 14,000 cases take about an hour on two cores, sim-end-to-end's 100,000 orders a quarter of one.
  // Heap up to 16 GiB: sim-end-to-end's 100,000 orders are all in flight at once and outgrow Node's default of about 4 GiB.
  const run = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=16384', join(import.meta.dirname, file)], {
    stdio: 'inherit',
    timeout: 3 * 3_600_000,
  });
  if (run.status !== 0) {
    failed++;
    process.stdout.write(`!! ${file} exited with ${run.status ?? run.signal}\n`);
  }
}
process.stdout.write(`\n${files.length - failed}/${files.length} benchmarks finished; figures in bench/results.json\n`);
process.exitCode = failed > 0 ? 1 : 0;
