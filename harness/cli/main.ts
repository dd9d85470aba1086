import { EXIT } from '../run/errors.ts';
import { reportError } from './errors.ts';
import { HELP, commandHelp } from './help.ts';
import { faultlineVersion } from './version.ts';

export { HELP, reportError };

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  compare: async () => (await import('./commands/compare.ts')).compareCommand,
  list: async () => (await import('./commands/list.ts')).listCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  merge: async () => (await import('./commands/merge.ts')).mergeCommand,
  replay: async () => (await import('./commands/replay.ts')).replayCommand,
  provision: async () => (await import('./commands/provision.ts')).provisionCommand,
  recheck: async () => (await import('./commands/recheck.ts')).recheckCommand,
  reproduce: async () => (await import('./commands/reproduce.ts')).reproduceCommand,
  report: async () => (await import('./commands/report.ts')).reportCommand,
};

/** Runs one command line and returns the process exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === 'help' && rest[0] !== undefined && COMMANDS[rest[0]] !== undefined) {
    process.stdout.write(commandHelp(rest[0]));
    return EXIT.pass;
  }
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.pass;
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    process.stdout.write(`faultline ${faultlineVersion()} (Node.js ${process.versions.node})\n`);
    return EXIT.pass;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`faultline: unknown command "${name}"; one of ${Object.keys(COMMANDS).join(', ')} (see "faultline help")\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(commandHelp(name));
    return EXIT.pass;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    return reportError(error);
  }
}
