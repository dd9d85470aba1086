import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveMiddleware } from '../engine/resolve-middleware.ts';
import type { ResolvedMiddleware } from '../run/run-options.ts';
import type { LiveRunOptions } from '../run/run-options.ts';

/** One design under test as `compare` runs it: how it is named, loaded, and in which mode. */
export interface Design {
  /** The column header and the `expect` key (naive, resilient, a module's name, or the URL/command as given). */
  label: string;
  /** How the replay line names it. */
  arg: string;
  middleware: ResolvedMiddleware;
  mode: 'sim' | 'live';
  live: LiveRunOptions;
}

/**
 * Reads a `--middleware` value: a built-in name or module file runs in sim
 * mode; a URL is a middleware already running, anything else a command that
 * starts one, both in live mode (the user's design is then not Node code).
 */
export async function resolveDesign(value: string, cwd: string): Promise<Design> {
  if (/^https?:\/\//.test(value)) {
    return { label: value, arg: value, middleware: await resolveMiddleware('resilient', cwd), mode: 'live', live: { middlewareUrl: value } };
  }
  const isModule = /\.[cm]?[jt]s$/.test(value) && existsSync(resolve(cwd, value));
  if (value === 'naive' || value === 'resilient' || isModule) {
    const middleware = await resolveMiddleware(value, cwd);
    return { label: middleware.name, arg: value, middleware, mode: 'sim', live: {} };
  }
  if (!/\s/.test(value) && /\.[cm]?[jt]s$/.test(value)) {
    // Looks like a module path that is not there: loading it gives the usual one-line error.
    await resolveMiddleware(value, cwd);
  }
  return { label: value, arg: value, middleware: await resolveMiddleware('resilient', cwd), mode: 'live', live: { middlewareCommand: value } };
}
