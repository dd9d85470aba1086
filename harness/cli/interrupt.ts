import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** What `run` reports when Ctrl-C stops it: the scenarios done, the one cut short and how far it got. */
export interface InterruptWatch {
  started(scenario: string): void;
  progress(text: string): void;
  finished(scenario: string, verdict: string, dir: string): void;
  stop(): void;
}

/**
 * On SIGINT, writes `file` (partial-summary.json) synchronously — the process
 * is about to end, so nothing asynchronous may be awaited — and says on stderr
 * what was kept. It then exits 130 unless another handler (live mode's
 * cleanup of processes and containers) is there to finish and exit.
 */
export function watchInterrupt(file: string, scenarios: readonly string[], exit: (code: number) => void = (code) => process.exit(code)): InterruptWatch {
  const done: Array<{ scenario: string; verdict: string; artefacts: string }> = [];
  let current: string | undefined;
  let lastProgress: string | undefined;
  const handler = (): void => {
    const summary = {
      interrupted: true,
      verdict: 'interrupted',
      done,
      interruptedDuring: current === undefined ? null : { scenario: current, progress: lastProgress ?? null },
      notRun: scenarios.filter((name) => name !== current && !done.some((d) => d.scenario === name)),
    };
    let kept: string;
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
      kept = `partial summary in ${file}`;
    } catch (error) {
      kept = `no partial summary (${(error as NodeJS.ErrnoException).code ?? (error as Error).message} writing ${file})`;
    }
    process.stderr.write(
      `\nfaultline: interrupted${current === undefined ? '' : ` during ${current}${lastProgress === undefined ? '' : ` (${lastProgress})`}`}; ` +
        `${done.length} of ${scenarios.length} scenarios finished and kept; ${kept}\n`,
    );
    if (process.listenerCount('SIGINT') === 0) exit(130);
  };
  process.once('SIGINT', handler);
  return {
    started: (scenario) => {
      current = scenario;
      lastProgress = undefined;
    },
    progress: (text) => {
      lastProgress = text;
    },
    finished: (scenario, verdict, artefacts) => {
      done.push({ scenario, verdict, artefacts });
      current = undefined;
    },
    stop: () => {
      process.off('SIGINT', handler);
    },
  };
}
