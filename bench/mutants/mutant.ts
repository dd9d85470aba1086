import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** One textual change: `find` must occur exactly once in `file` (relative to middleware/). */
export interface Edit {
  file: string;
  find: string;
  replace: string;
}

/** A copy of a reference middleware with one defence taken out. */
export interface Mutant {
  id: string;
  middleware: 'resilient' | 'naive';
  /** The defence this mutant removes, in the words of middleware/README.md. */
  defence: string;
  edits: readonly Edit[];
  /** The built-in scenario whose search hunts it (default happy-path): a defence only a CRM calls on needs a CRM. */
  scenario?: string;
  /**
   * The fault kinds that search may generate (`check --fault-kinds`; default all), for a defence
   * against a fault the full mix draws too seldom to meet within the bench's cases.
   */
  faultKinds?: readonly string[];
  /** Set only with the written argument why no run can tell this mutant from the original. */
  equivalent?: string;
}

/** A mutant whose patch no longer matches the middleware: the middleware changed; the mutant must be rewritten, not skipped. */
export class MutantDoesNotApplyError extends Error {
  override name = 'MutantDoesNotApplyError';
}

const ROOT = resolve(import.meta.dirname, '../..');
const COPIED = ['naive', 'resilient', 'shared'] as const;

function occurrences(text: string, find: string): number {
  let count = 0;
  for (let at = text.indexOf(find); at !== -1; at = text.indexOf(find, at + 1)) count++;
  return count;
}

/** Applies a mutant's edits to file texts, refusing an edit that matches nowhere or more than once. */
export function applyEdits(mutant: Mutant, read: (file: string) => string): Map<string, string> {
  const changed = new Map<string, string>();
  for (const edit of mutant.edits) {
    const text = changed.get(edit.file) ?? read(edit.file);
    const count = occurrences(text, edit.find);
    if (count !== 1) {
      throw new MutantDoesNotApplyError(
        `mutant ${mutant.id}: middleware/${edit.file} holds the text to replace ${count} times, not once — the middleware changed; rewrite the mutant against it:\n${edit.find}`,
      );
    }
    const next = text.replace(edit.find, () => edit.replace);
    if (next === text) throw new MutantDoesNotApplyError(`mutant ${mutant.id}: the edit to middleware/${edit.file} changes nothing`);
    changed.set(edit.file, next);
  }
  return changed;
}

export interface Materialized {
  /** The mutated middleware's entry module, for `--middleware`. */
  entry: string;
  remove(): Promise<void>;
}

/**
 * Writes the mutant as a temporary copy of middleware/ (the project's own
 * middleware/ stays untouched), with the copy's imports of the harness
 * pointed back at this repository.
 */
export async function materialize(mutant: Mutant): Promise<Materialized> {
  const dir = await mkdtemp(join(tmpdir(), `faultline-mutant-${mutant.id}-`));
  const copy = join(dir, 'middleware');
  for (const part of COPIED) await cp(join(ROOT, 'middleware', part), join(copy, part), { recursive: true });
  const harness = join(ROOT, 'harness') + '/';
  for (const part of COPIED) {
    for (const name of await readdir(join(copy, part))) {
      if (!name.endsWith('.ts')) continue;
      const file = join(copy, part, name);
      const text = await readFile(file, 'utf8');
      await writeFile(file, text.replaceAll("'../../harness/", `'${harness}`));
    }
  }
  const originals = new Map<string, string>();
  for (const edit of mutant.edits) originals.set(edit.file, await readFile(join(copy, edit.file), 'utf8'));
  for (const [file, text] of applyEdits(mutant, (f) => originals.get(f)!)) await writeFile(join(copy, file), text);
  return { entry: join(copy, mutant.middleware, 'index.ts'), remove: () => rm(dir, { recursive: true, force: true }) };
}
