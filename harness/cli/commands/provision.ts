import { provisionOdooTarget } from '../../odoo/targets/index.ts';
import { parseChoice, parseCommandArgs } from '../args.ts';
import { odooTargetOptions, requireExternalOdooSettings } from '../odoo-flags.ts';
import { ODOO_FLAGS, ODOO_TARGETS } from './run.ts';

/**
 * Makes a real Odoo ready for the scenarios: database, modules, products,
 * stock and the integration user. What docker-compose's init service runs.
 */
export async function provisionCommand(argv: readonly string[]): Promise<number> {
  const { values } = parseCommandArgs('provision', argv, ODOO_FLAGS);
  const kind = parseChoice('--odoo', values.odoo as string | undefined, ODOO_TARGETS, 'compose');
  if (kind === 'external') requireExternalOdooSettings(values);
  const report = await provisionOdooTarget(kind, {
    ...odooTargetOptions(values),
    log: (line) => process.stdout.write(`${line}\n`),
  });
  if (report !== undefined) {
    process.stdout.write(
      `faultline: Odoo ${report.serverVersion} is ready` +
        `${report.createdDatabase ? ' (database created)' : ''}` +
        `${report.installedModules.length > 0 ? `; installed ${report.installedModules.join(', ')}` : ''}\n`,
    );
  }
  return 0;
}
