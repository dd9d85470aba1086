import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { unrefTimer } from '../../../core/wall-clock.ts';

export interface ChildOptions {
  /** A short name for messages, e.g. "middleware" or "toxiproxy". */
  name: string;
  command: string;
  args?: readonly string[];
  /** Added to (and overriding) the parent's environment. */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** How many of the last stdout/stderr lines to keep for error messages. */
  keepLines?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface ChildHandle {
  readonly name: string;
  readonly pid: number;
  /** Settles when the process has exited (it never rejects). */
  readonly exited: Promise<ChildExit>;
  readonly running: boolean;
  /** The last lines the process wrote to stderr (and stdout), oldest first. */
  lastLines(): string[];
  /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
  stop(graceMs?: number): Promise<void>;
  /** Synchronous SIGKILL, for process 'exit' handlers where nothing can be awaited. */
  killNow(): void;
}

/** Starts a program as a child process that keeps a tail of its output and can always be stopped. */
export function startChild(options: ChildOptions): Promise<ChildHandle> {
  const keep = options.keepLines ?? 40;
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(options.command, options.args ?? [], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (error) {
      reject(new Error(`cannot start ${options.name} (${options.command}): ${(error as Error).message}`, { cause: error }));
      return;
    }
    const lines: string[] = [];
    const collect = (stream: NodeJS.ReadableStream | null, prefix: string) => {
      let partial = '';
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        const parts = (partial + chunk).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          lines.push(prefix + line);
          if (lines.length > keep) lines.shift();
        }
        // A process that never writes a newline must not grow our memory.
        if (partial.length > 4096) partial = partial.slice(-4096);
      });
      stream?.on('end', () => {
        if (partial !== '') lines.push(prefix + partial);
        if (lines.length > keep) lines.shift();
      });
    };
    collect(child.stderr, '');
    collect(child.stdout, '[stdout] ');

    let running = true;
    const exited = new Promise<ChildExit>((resolveExit) => {
      child.once('exit', (code, signal) => {
        running = false;
        resolveExit({ code, signal });
      });
    });
    child.once('error', (error) => {
      running = false;
      const hint = (error as NodeJS.ErrnoException).code === 'ENOENT' ? ' (no such program: check the command and PATH)' : '';
      reject(new Error(`cannot start ${options.name} (${options.command}): ${error.message}${hint}`, { cause: error }));
    });
    child.once('spawn', () => {
      const handle: ChildHandle = {
        name: options.name,
        pid: child.pid!,
        exited,
        get running() {
          return running;
        },
        lastLines: () => [...lines],
        async stop(graceMs = 3_000) {
          if (!running) return;
          child.kill('SIGTERM');
          const cancel = unrefTimer(graceMs, () => {
            if (running) child.kill('SIGKILL');
          });
          await exited;
          cancel();
        },
        killNow() {
          if (running) child.kill('SIGKILL');
        },
      };
      resolve(handle);
    });
  });
}
