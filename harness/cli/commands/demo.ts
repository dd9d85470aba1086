import { UsageError } from '../../run/errors.ts';
import { parseCommandArgs } from '../args.ts';
import { compareCommand } from './compare.ts';

/**
 * The first minute with Faultline: `compare naive resilient` on the built-in
 * incidents (or the scenario files given). Succeeds when each design fails
 * exactly where the scenario says it should.
 */
export async function demoCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('demo', argv, { seed: { type: 'string' }, out: { type: 'string' } });
  if (positionals.some((p) => p.startsWith('-'))) throw new UsageError('demo takes scenarios and --seed/--out only');
  const flags = [
    ...(values.seed !== undefined ? ['--seed', values.seed as string] : []),
    ...(values.out !== undefined ? ['--out', values.out as string] : []),
  ];
  return compareCommand(['--middleware', 'naive', '--middleware', 'resilient', ...flags, ...positionals]);
}
