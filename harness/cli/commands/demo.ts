import { join } from 'node:path';
import { builtInScenarios } from '../../../scenarios/index.ts';
import { UsageError } from '../../run/errors.ts';
import { parseCommandArgs } from '../args.ts';
import { compareCommand } from './compare.ts';
import { survivedLine } from './survived.ts';

/**
 * The first minute with Faultline: `compare naive resilient` on the built-in
 * incidents (or the scenario files given). Succeeds when each design fails
 * exactly where the scenario says it should. Under the table, how many
 * generated cases the resilient design survived, as last measured.
 */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', argv, { seed: { type: 'string' }, out: { type: 'string' } });
  if (positionals.some((p) => p.startsWith('-'))) throw new UsageError('demo takes scenarios and --seed/--out only');
  const flags = [...(values.seed !== undefined ? ['--seed', values.seed as string] : []), ...(values.out !== undefined ? ['--out', values.out as string] : [])];
  const code = await compareCommand(['--middleware', 'naive', '--middleware', 'resilient', ...flags, ...positionals]);
  // The figure is for the built-in suite; scenario files given here were not part of the measurement.
  if (positionals.length === 0)
    process.stdout.write(
      `\n${survivedLine(
        join(import.meta.dirname, '..', '..', '..'),
        builtInScenarios.map((s) => s.name),
      )}\n`,
    );
  return code;
}
