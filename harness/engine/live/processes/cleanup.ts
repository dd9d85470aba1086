import { unrefTimer } from '../../../core/wall-clock.ts';

export interface CleanupOptions {
  /**
   * A synchronous last resort run from process 'exit' when the async cleanup
   * never got its chance (e.g. `process.exit()` elsewhere): typically a SIGKILL.
   */
  onExit?: () => void;
  /** How long the cleanup may take before it is abandoned; 10 s unless set. */
  timeoutMs?: number;
}

export interface CleanupFailure {
  name: string;
  error: Error;
}

interface Entry {
  name: string;
  cleanup: () => unknown;
  onExit: (() => void) | undefined;
  timeoutMs: number;
  done: boolean;
}

/**
 * What a live run must undo, whatever happens: servers, proxies, processes.
 * Cleanups run last-registered first (a process before the proxy in front of
 * it), each bounded in time; one failing does not stop the others.
 */
export class CleanupRegistry {
  #entries: Entry[] = [];
  #running: Promise<CleanupFailure[]> | undefined;
  #exitHook = () => this.runExitFallbacks();

  constructor() {
    process.on('exit', this.#exitHook);
  }

  /** Number of cleanups not yet run. */
  get pending(): number {
    return this.#entries.filter((entry) => !entry.done).length;
  }

  /** Registers a cleanup; the returned function runs it now, once, and unregisters it. */
  add(name: string, cleanup: () => unknown, options: CleanupOptions = {}): () => Promise<void> {
    if (typeof cleanup !== 'function') throw new TypeError(`cleanup for ${name} must be a function`);
    const entry: Entry = { name, cleanup, onExit: options.onExit, timeoutMs: options.timeoutMs ?? 10_000, done: false };
    this.#entries.push(entry);
    return async () => {
      const failure = await runOne(entry);
      if (failure !== undefined) throw failure.error;
    };
  }

  /** Runs every pending cleanup, newest first. Never throws: returns what failed. */
  runAll(): Promise<CleanupFailure[]> {
    this.#running ??= (async () => {
      const failures: CleanupFailure[] = [];
      for (const entry of [...this.#entries].reverse()) {
        const failure = await runOne(entry);
        if (failure !== undefined) failures.push(failure);
      }
      this.#entries = [];
      process.off('exit', this.#exitHook);
      return failures;
    })();
    return this.#running;
  }

  /** Runs the synchronous fallbacks of cleanups that have not run (for 'exit' and a second Ctrl-C). */
  runExitFallbacks(): void {
    for (const entry of [...this.#entries].reverse()) {
      if (entry.done || entry.onExit === undefined) continue;
      entry.done = true;
      try {
        entry.onExit();
      } catch {
        // the process is going away; nothing else can be done
      }
    }
  }

  /**
   * On SIGINT/SIGTERM: run every cleanup, then exit with 130/143. A second
   * signal while cleaning kills what is left at once. Returns a function that
   * removes the handlers.
   */
  installSignalHandlers(options: { exit?: (code: number) => void } = {}): () => void {
    const exit = options.exit ?? ((code: number) => process.exit(code));
    let signalled = false;
    const handler = (signal: NodeJS.Signals) => {
      const code = signal === 'SIGINT' ? 130 : 143;
      if (signalled) {
        this.runExitFallbacks();
        exit(code);
        return;
      }
      signalled = true;
      void this.runAll().then((failures) => {
        for (const failure of failures) process.stderr.write(`cleanup of ${failure.name} failed: ${failure.error.message}\n`);
        exit(code);
      });
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
    return () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    };
  }
}

async function runOne(entry: Entry): Promise<CleanupFailure | undefined> {
  if (entry.done) return undefined;
  entry.done = true;
  try {
    await new Promise<void>((resolve, reject) => {
      const cancel = unrefTimer(entry.timeoutMs, () => reject(new Error(`did not finish within ${entry.timeoutMs} ms`)));
      Promise.resolve()
        .then(entry.cleanup)
        .then(
          () => {
            cancel();
            resolve();
          },
          (error: unknown) => {
            cancel();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
    });
    return undefined;
  } catch (error) {
    // The polite cleanup failed or hung: use the hard fallback if there is one.
    try {
      entry.onExit?.();
    } catch {
      // reported below with the original failure
    }
    return { name: entry.name, error: error as Error };
  }
}

/**
 * Runs `body` with a fresh registry and always cleans up afterwards, also on
 * failure and on Ctrl-C. Cleanup failures are added to a failing body's error
 * or thrown on their own.
 */
export async function withCleanup<T>(body: (cleanup: CleanupRegistry) => Promise<T>): Promise<T> {
  const registry = new CleanupRegistry();
  const removeHandlers = registry.installSignalHandlers();
  let result: T;
  try {
    result = await body(registry);
  } catch (error) {
    const failures = await registry.runAll();
    removeHandlers();
    if (failures.length > 0 && error instanceof Error) {
      error.message += `\n(cleanup also failed: ${failures.map((f) => `${f.name}: ${f.error.message}`).join('; ')})`;
    }
    throw error;
  }
  const failures = await registry.runAll();
  removeHandlers();
  if (failures.length > 0) {
    throw new Error(`cleanup failed: ${failures.map((f) => `${f.name}: ${f.error.message}`).join('; ')}`);
  }
  return result;
}
