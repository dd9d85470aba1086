import type { Invariant } from './types.ts';

const NAME_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * A scenario's own invariant. Checked up front, because a bad name or a
 * missing check would otherwise surface only after a long run.
 */
export function defineInvariant(spec: Invariant): Invariant {
  const problems: string[] = [];
  if (typeof spec?.name !== 'string' || !NAME_PATTERN.test(spec.name))
    problems.push(`name must be kebab-case, like "stock-never-negative" (got ${JSON.stringify(spec?.name)})`);
  if (typeof spec?.description !== 'string' || spec.description.trim() === '') problems.push('description must say when the invariant holds');
  if (typeof spec?.check !== 'function') problems.push('check must be a function (input, index) => Verdict');
  if (problems.length > 0) throw new TypeError(`defineInvariant: ${problems.join('; ')}`);
  return { name: spec.name, description: spec.description, check: spec.check };
}
