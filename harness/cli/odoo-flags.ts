import type { OdooTargetOptions } from '../run/run-options.ts';
import { UsageError } from '../run/errors.ts';

/** The connection settings `--odoo external` needs, each with the flag and the variable that can give it. */
const EXTERNAL_SETTINGS = [
  ['odoo-url', 'ODOO_URL'],
  ['odoo-db', 'ODOO_DB'],
  ['odoo-user', 'ODOO_USER'],
  ['odoo-password', 'ODOO_PASSWORD'],
] as const;

/** Says in one line which settings an external Odoo is missing, before anything starts. */
export function requireExternalOdooSettings(values: Record<string, unknown>, env: NodeJS.ProcessEnv = process.env): void {
  const missing = EXTERNAL_SETTINGS.filter(([flag, variable]) => (values[flag] ?? env[variable] ?? '') === '');
  if (missing.length === 0) return;
  throw new UsageError(
    `--odoo external needs ${missing.map(([flag, variable]) => `--${flag} (or ${variable})`).join(', ')}; ` +
      'e.g. --odoo-url http://127.0.0.1:8069 --odoo-db faultline_test --odoo-user admin --odoo-password admin',
  );
}

/** The Odoo target's settings from the parsed ODOO_FLAGS, as runScenario takes them. */
export function odooTargetOptions(values: Record<string, unknown>): OdooTargetOptions {
  return {
    url: values['odoo-url'] as string | undefined,
    db: values['odoo-db'] as string | undefined,
    user: values['odoo-user'] as string | undefined,
    password: values['odoo-password'] as string | undefined,
    masterPassword: values['odoo-master-password'] as string | undefined,
    allowDestructive: values['odoo-allow-destructive'] === true,
  };
}
