import { resolve } from 'node:path';
import { builtInScenarios } from '../../../scenarios/index.ts';
import { defaultOutDir, ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../run/middleware.ts';
import type { RunResult } from '../../run/result.ts';
import { runScenario } from '../../run/run-scenario.ts';
import type { OdooTargetKind } from '../../run/run-scenario.ts';
import { parseChoice, parseCommandArgs, parseSeed } from '../args.ts';
import { formatRunResult } from '../format.ts';
import { createProgress } from '../progress.ts';
import { loadScenario } from '../scenario-source.ts';

export const ODOO_TARGETS = ['emulated', 'container', 'compose', 'external'] as const;

export const ODOO_FLAGS = {
  odoo: { type: 'string' },
  'odoo-url': { type: 'string' },
  'odoo-db': { type: 'string' },
  'odoo-user': { type: 'string' },
  'odoo-password': { type: 'string' },
  'odoo-allow-destructive': { type: 'boolean' },
} as const;

export async function runCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('run', argv, {
    middleware: { type: 'string' },
    seed: { type: 'string' },
    mode: { type: 'string' },
    out: { type: 'string' },
    ...ODOO_FLAGS,
  });
  const seed = parseSeed(values.seed as string | undefined);
  const odoo = parseChoice('--odoo', values.odoo as string | undefined, ODOO_TARGETS, 'emulated') as OdooTargetKind;
  // Only the emulator runs on virtual time, so a real Odoo implies live mode.
  const mode = parseChoice('--mode', values.mode as string | undefined, ['sim', 'live'] as const, odoo === 'emulated' ? 'sim' : 'live');
  if (mode === 'sim' && odoo !== 'emulated') {
    throw new UsageError(`--odoo ${odoo} needs --mode live: only the emulated Odoo runs on virtual time`);
  }
  const scenarios = positionals.length === 0 ? [...builtInScenarios] : await Promise.all(positionals.map((p) => loadScenario(p)));
  const middlewareArg = (values.middleware as string | undefined) ?? 'resilient';
  const middleware = await resolveMiddleware(middlewareArg, process.cwd());
  const out = values.out as string | undefined;
  const outDirFor = (result: RunResult): string =>
    out === undefined ? defaultOutDir(process.cwd(), result) : scenarios.length === 1 ? resolve(out) : resolve(out, result.scenario);
  if (out !== undefined) await ensureWritable(resolve(out));

  const progress = createProgress();
  let exit: number = EXIT.pass;
  for (const scenario of scenarios) {
    const result = await runScenario(scenario, {
      ...(seed !== undefined && { seed }),
      mode,
      odoo,
      odooOptions: {
        url: values['odoo-url'] as string | undefined,
        db: values['odoo-db'] as string | undefined,
        user: values['odoo-user'] as string | undefined,
        password: values['odoo-password'] as string | undefined,
        allowDestructive: values['odoo-allow-destructive'] === true,
      },
      middleware,
      middlewareArg,
      onProgress: (text) => progress.update(`${scenario.name}: ${text}`),
    });
    progress.done();
    const dir = outDirFor(result);
    await ensureWritable(dir);
    await writeRunArtefacts(result, dir);
    process.stdout.write(formatRunResult(result, dir) + '\n');
    if (result.verdict !== 'pass') exit = EXIT.fail;
  }
  return exit;
}
