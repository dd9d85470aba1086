/** What each command does and takes, shown by `faultline help` and `faultline COMMAND --help`. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  run: `  faultline run [SCENARIO...] [--middleware naive|resilient|PATH] [--seed N] [--mode sim|live]
                [--odoo emulated|container|compose|external] [--out DIR]
                [--middleware-url URL | --middleware-command "CMD"] [--time-scale 1/120] [--live-timeout 5m]
      Runs scenarios (built-in names or files; default: the built-in suite) and checks every invariant.
      A scenario's "expect" is compared with the verdict ("as expected"). Live mode needs Toxiproxy.
      Several scenarios: a suite line at the end and one combined junit.xml beside their folders.
`,
  compare: `  faultline compare [--middleware A --middleware B ...] [SCENARIO...] [--seed N] [--out DIR]
      The same scenarios against several designs (built-in names, module paths, URLs or commands),
      side by side; default: naive and resilient on the built-in suite. Writes comparison.txt.
`,
  demo: `  faultline demo [--seed N]
      "faultline compare" with naive and resilient on the built-in suite: the first minute with Faultline.
`,
  check: `  faultline check [SCENARIO] [--middleware M] [--runs N] [--seed S] [--max-orders M] [--out DIR] [--save-regression]
                  [--path P] [--invariant NAME] [--extra-faults N] [--fault-kinds a,b] [--shrink-runs N]
                  [--workers N] [--shard I/N]
      Property-based search: generated faults and orders, shrunk to a minimal failing case.
      --workers: threads (default: the machine's cores); --shard: this CI runner's share of one search.
`,
  merge: `  faultline merge DIR... [--out DIR]
      Combines the check folders of the runners of one sharded search: one report and JUnit, the smallest failure.
`,
  replay: `  faultline replay FILE [--out DIR] [--middleware M]
      Re-runs a saved case (replay.json) from any folder and reproduces its history byte for byte.
`,
  recheck: `  faultline recheck RUN-FOLDER [--invariants a,b]
      Judges a stored run again (history, ledgers, Odoo's final state) without running it.
`,
  report: `  faultline report DIR
      Rebuilds report.html and summary.md from a run folder's artefacts, or for every run below DIR plus a suite page.
`,
  reproduce: `  faultline reproduce EVIDENCE... [--out DIR] [--name NAME] [--incident "words"] [--middleware M] [--fixed M] [--seeds N]
                      [--keep-pii] [--save-regression] [--timeline]
                      [--odoo-url URL --odoo-db DB --odoo-user U --odoo-password P [--since T --until T]]
      A production incident's evidence (gateway events, 3PL feed, order export, access and middleware logs)
      in; its timeline, a scenario with the inferred faults citing the evidence, and the proof that it fails
      the same invariants (default: the naive middleware) out; --fixed: a design that must hold on it.
      Exit 0 reproduced (and the fixed design holds), 1 not. docs/reproduce.md.
`,
  list: `  faultline list
      The built-in scenarios, one line each.
`,
  serve: `  faultline serve odoo|capture|payment|logistics|crm|analytics|naive|resilient [--port N] [--host H] [--db NAME]
                  [--master-password P] [--proxy-mode] [--rpc-login-cooldown] [--<system>-url URL]
      Serves one system over HTTP on loopback (the Odoo emulator speaks XML-RPC and JSON-RPC;
      --master-password guards db.create_database/drop, default admin as in Odoo). The CRM starts
      its reps at once and sends its webhooks to --middleware-url.
`,
  provision: `  faultline provision --odoo compose|external|container [--odoo-url URL --odoo-db DB --odoo-user U
                    --odoo-password P --odoo-master-password M] [--odoo-allow-destructive]
      Creates the database and master data the scenarios need in a real Odoo.
`,
};

const EXIT_CODES = `exit codes: 0 every invariant holds, 1 an invariant failed, 2 bad usage or invalid scenario,
            3 a system could not be reached, or the run's artefacts could not be written (full disk, I/O error).
`;

export const HELP = `faultline — simulation and chaos test harness for ERP integrations (Odoo first)

usage:
${Object.values(COMMAND_HELP).join('')}  faultline --version

Scenario reference: docs/scenarios.md. "faultline COMMAND --help" shows one command.

${EXIT_CODES}`;

export function commandHelp(name: string): string {
  return `usage:\n${COMMAND_HELP[name] ?? ''}\n${EXIT_CODES}`;
}
