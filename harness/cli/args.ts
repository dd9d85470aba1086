import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { UsageError } from '../run/errors.ts';
import { closest } from '../scenario/did-you-mean.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

/** `--seed -3`: a negative number after a flag that takes a value is that value, not another flag. */
function joinNegativeValues(argv: readonly string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const flag = /^--([\w-]+)$/.exec(arg)?.[1];
    if (flag !== undefined && options[flag]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

/** parseArgs with Faultline's error style: one line saying what was wrong, and how to ask for help. */
export function parseCommandArgs(command: string, argv: readonly string[], options: Options) {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '(-{1,2}[^']+)'/.exec(message)?.[1];
    if (unknown !== undefined) {
      const guess = closest(unknown.replace(/^-+/, ''), Object.keys(options));
      throw new UsageError(
        `${command}: unknown option ${unknown}${guess !== undefined ? ` (did you mean --${guess}?)` : ''}; see "faultline ${command} --help"`,
      );
    }
    const missing = /^Option '(-{1,2}[^']+?)(?: <value>)?' argument missing/.exec(message)?.[1];
    if (missing !== undefined) throw new UsageError(`${command}: ${missing} needs a value; see "faultline ${command} --help"`);
    throw new UsageError(`${command}: ${message.split('\n')[0]!.replace(/\.$/, '')}; see "faultline ${command} --help"`);
  }
}

export function parseSeed(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--seed must be a whole number such as 7, got "${value}"`);
  if (!Number.isSafeInteger(Number(value))) {
    throw new UsageError(`--seed must be a whole number between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}, got "${value}"`);
  }
  return Number(value);
}

export function parsePositiveInt(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${flag} must be a whole number of at least 1, got "${value}"`);
  if (!Number.isSafeInteger(Number(value))) throw new UsageError(`${flag} must be at most ${Number.MAX_SAFE_INTEGER}, got "${value}"`);
  return Number(value);
}

export function parseChoice<T extends string>(flag: string, value: string | undefined, choices: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw new UsageError(`${flag} must be one of ${choices.join(', ')}, got "${value}"`);
  return value as T;
}
