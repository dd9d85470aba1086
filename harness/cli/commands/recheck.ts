import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseHistory } from '../../core/history.ts';
import { checkInvariants, resolveInvariants } from '../../invariants/index.ts';
import { ecosystemInvariantsFor } from '../../invariants/ecosystem.ts';
import type { InvariantInput } from '../../invariants/index.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { overallVerdict } from '../../run/result.ts';
import { parseCommandArgs } from '../args.ts';

async function readArtefact(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, name), 'utf8');
  } catch {
    throw new UsageError(`${join(dir, name)} is missing: recheck needs a run folder written by "faultline run" (history.jsonl and observations.json)`);
  }
}

/**
 * Judges a stored run again without running it: the history, the ledgers and
 * Odoo's final state are all in the run folder. Useful after changing an
 * invariant, or to check a new one against an old incident.
 */
export async function recheckCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('recheck', argv, { invariants: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('recheck needs one run folder, e.g. "faultline recheck reports/out/capture-retry-storm/naive-seed7"');
  const dir = resolve(positionals[0]!);
  let history: ReturnType<typeof parseHistory>;
  try {
    history = parseHistory(await readArtefact(dir, 'history.jsonl'));
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // A run cut short (disk full, killed) leaves a truncated last line.
    throw new UsageError(`${join(dir, 'history.jsonl')} cannot be read: ${(error as Error).message}; was the run cut short? Run it again to recheck it`);
  }
  let observations: Partial<InvariantInput>;
  try {
    observations = JSON.parse(await readArtefact(dir, 'observations.json')) as Partial<InvariantInput>;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${join(dir, 'observations.json')} is not valid JSON (${(error as Error).message})`);
  }
  const names = (values.invariants as string | undefined)
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  let invariants: ReturnType<typeof resolveInvariants>;
  try {
    invariants = names === undefined ? [...resolveInvariants(undefined), ...ecosystemInvariantsFor(observations.ledgers ?? {})] : resolveInvariants(names);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const verdicts = checkInvariants(invariants, {
    history,
    ledgers: observations.ledgers ?? {},
    ...(observations.odoo !== undefined && { odoo: observations.odoo }),
    options: observations.options ?? {},
  });
  const mark = { pass: '✓', fail: '✗', unknown: '?' } as const;
  const verdict = overallVerdict(verdicts);
  process.stdout.write(`${mark[verdict]} ${dir} re-checked: ${verdict.toUpperCase()} (${history.length} history events)\n`);
  for (const v of verdicts) {
    process.stdout.write(`  ${mark[v.verdict]} ${v.name}${v.verdict === 'pass' ? '' : `: ${v.summary}`}\n`);
    if (v.verdict === 'pass') continue;
    for (const e of v.examples) process.stdout.write(`      ${e.orderRef !== undefined ? `${e.orderRef}: ` : ''}${e.message}\n`);
  }
  return verdict === 'pass' ? EXIT.pass : EXIT.fail;
}
