import { ScenarioError } from '../scenario/validate.ts';
import { EXIT, UnreachableError, UsageError } from '../run/errors.ts';

export const HELP = `faultline — simulation and chaos test harness for ERP integrations (Odoo first)

usage:
  faultline run [SCENARIO...] [--middleware naive|resilient|PATH] [--seed N] [--mode sim|live]
                [--odoo emulated|container|compose|external] [--out DIR]
                [--middleware-url URL | --middleware-command "CMD"] [--time-scale 1/120] [--live-timeout 5m]
      Runs scenarios (default: the built-in suite) and checks every invariant. Live mode needs Toxiproxy.
  faultline demo [--seed N]
      The built-in suite against the naive and the resilient middleware, side by side.
  faultline check [SCENARIO] [--middleware M] [--runs N] [--seed S] [--max-orders M] [--out DIR] [--save-regression]
                  [--path P] [--invariant NAME] [--extra-faults N] [--fault-kinds a,b] [--shrink-runs N]
                  [--workers N] [--shard I/N]
      Property-based search: generated faults and orders, shrunk to a minimal failing case.
      --workers: threads (default: the machine's cores); --shard: this CI runner's share of one search.
  faultline merge DIR... [--out DIR]
      Combines the check folders of the runners of one sharded search: one report and JUnit, the smallest failure.
  faultline replay FILE [--out DIR] [--middleware M]
      Re-runs a saved case (replay.json) and reproduces its history byte for byte.
  faultline recheck RUN-FOLDER [--invariants a,b]
      Judges a stored run again (history, ledgers, Odoo's final state) without running it.
  faultline list
      The built-in scenarios, one line each.
  faultline serve odoo|capture|payment|logistics|naive|resilient [--port N] [--host H] [--db NAME]
                  [--master-password P] [--proxy-mode] [--rpc-login-cooldown]
      Serves one system over HTTP on loopback (the Odoo emulator speaks XML-RPC and JSON-RPC;
      --master-password guards db.create_database/drop, default admin as in Odoo).
  faultline provision --odoo compose|external|container [--odoo-url URL --odoo-db DB --odoo-user U
                    --odoo-password P --odoo-master-password M] [--odoo-allow-destructive]
      Creates the database and master data the scenarios need in a real Odoo.

exit codes: 0 every invariant holds, 1 an invariant failed, 2 bad usage or invalid scenario,
            3 a system could not be reached, or the run's artefacts could not be written (full disk, I/O error).
`;

type Command = (argv: readonly string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  list: async () => (await import('./commands/list.ts')).listCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  check: async () => (await import('./commands/check.ts')).checkCommand,
  merge: async () => (await import('./commands/merge.ts')).mergeCommand,
  replay: async () => (await import('./commands/replay.ts')).replayCommand,
  provision: async () => (await import('./commands/provision.ts')).provisionCommand,
  recheck: async () => (await import('./commands/recheck.ts')).recheckCommand,
};

/** Runs one command line and returns the process exit code; never throws. */
export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(HELP);
    return name === undefined ? EXIT.usage : EXIT.pass;
  }
  const load = COMMANDS[name];
  if (load === undefined) {
    process.stderr.write(`faultline: unknown command "${name}"; one of ${Object.keys(COMMANDS).join(', ')} (see "faultline help")\n`);
    return EXIT.usage;
  }
  try {
    return await (await load())(rest);
  } catch (error) {
    return reportError(error);
  }
}

/** Errors from the Odoo targets, by name, so the CLI need not load Docker support to classify them. */
const USAGE_ERRORS = new Set(['NonTestDatabaseError', 'UnknownOdooTargetError', 'ForeignRecordsError', 'KnobError', 'FreshDatabaseUnavailableError']);
const UNREACHABLE_ERRORS = new Set(['ComposeStackNotReadyError', 'DockerUnavailableError', 'ToxiproxyMissingError']);

export function reportError(error: unknown): number {
  if (!(error instanceof Error)) {
    process.stderr.write(`faultline: internal error: ${String(error)}\n`);
    return EXIT.unreachable;
  }
  if (error instanceof UsageError || error instanceof ScenarioError || USAGE_ERRORS.has(error.name)) {
    process.stderr.write(`faultline: ${error.message}\n`);
    return EXIT.usage;
  }
  if (error instanceof UnreachableError || UNREACHABLE_ERRORS.has(error.name)) {
    process.stderr.write(`faultline: ${error.message}\n`);
    return EXIT.unreachable;
  }
  process.stderr.write(`faultline: internal error: ${error.stack ?? error.message}\n`);
  return EXIT.unreachable;
}
