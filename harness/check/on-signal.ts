export type StopSignal = 'SIGINT' | 'SIGTERM';

/** The exit codes of a process a signal ended: 128 + the signal's number. */
export const SIGNAL_EXIT: Record<StopSignal, number> = { SIGINT: 130, SIGTERM: 143 };

export interface SignalWatch {
  /** The signal that arrived, once one has. */
  readonly received: StopSignal | undefined;
  stop(): void;
}

/**
 * On the first SIGINT or SIGTERM: runs `keep` (which writes what was found so
 * far; the search sees `received` and stops starting new cases), then exits
 * 130 or 143. A second signal while `keep` runs exits at once: a person
 * pressing Ctrl-C twice means it.
 */
export function onStopSignal(keep: (signal: StopSignal) => Promise<void>, exit: (code: number) => void = (code) => process.exit(code)): SignalWatch {
  let received: StopSignal | undefined;
  const handler = (signal: StopSignal): void => {
    if (received !== undefined) {
      exit(SIGNAL_EXIT[signal]);
      return;
    }
    received = signal;
    keep(signal)
      .catch((error: unknown) => process.stderr.write(`faultline: could not keep what was found: ${error instanceof Error ? error.message : String(error)}\n`))
      .finally(() => exit(SIGNAL_EXIT[signal]));
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    get received() {
      return received;
    },
    stop() {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}
