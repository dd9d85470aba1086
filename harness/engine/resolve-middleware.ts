import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SystemFactory } from '../core/system.ts';
import type { ResolvedMiddleware } from '../run/run-options.ts';
import type { MiddlewareChoice } from '../scenario/scenario.ts';
import { UsageError } from '../run/errors.ts';

/**
 * Turns `naive`, `resilient`, a module path or a `{name, factory}` into a
 * factory. A user's middleware goes through exactly the same door as ours.
 */
export async function resolveMiddleware(choice: MiddlewareChoice, cwd: string): Promise<ResolvedMiddleware> {
  if (typeof choice !== 'string') return choice;
  if (choice === 'naive') {
    const module = await import('../../middleware/naive/index.ts');
    return { name: 'naive', factory: module.default };
  }
  if (choice === 'resilient') {
    const module = await import('../../middleware/resilient/index.ts');
    return { name: 'resilient', factory: module.default };
  }
  const path = isAbsolute(choice) ? choice : resolve(cwd, choice);
  if (!existsSync(path)) {
    throw new UsageError(
      `middleware "${choice}" is neither naive, resilient nor an existing file (looked for ${path}); pass --middleware naive|resilient|PATH-TO-MODULE`,
    );
  }
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(path).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`middleware module ${path} failed to load: ${(error as Error).message}`);
  }
  const factory = module.default ?? module.createMiddleware;
  if (typeof factory !== 'function') {
    throw new UsageError(`middleware module ${path} must export a SystemFactory as its default export or as createMiddleware (see middleware/README.md)`);
  }
  const name =
    path
      .split(/[\\/]/)
      .pop()
      ?.replace(/\.[cm]?[jt]s$/, '') ?? 'custom';
  return { name, factory: factory as SystemFactory };
}
