import type { OdooClient } from '../client.ts';
import { ODOO_SERIES } from './images.ts';

/**
 * What Faultline checks of any Odoo before it uses it: the series the emulator
 * and the transcripts describe, and the modules the scenarios drive.
 */

export interface ModuleState {
  name: string;
  /** `ir.module.module.state`, or `'absent'` when the server does not know the module. */
  state: string;
  id?: number;
}

/** States in which a module's models are there to use. */
const USABLE_STATES = new Set(['installed', 'to upgrade']);

export async function checkOdooSeries(client: OdooClient, url: string): Promise<string> {
  const version = await client.version();
  const serie = String(version.server_serie ?? version.server_version ?? '');
  if (!serie.startsWith(`${ODOO_SERIES.split('.')[0]}.`)) {
    throw new Error(
      `The Odoo at ${url} runs ${version.server_version ?? serie}, but Faultline targets Odoo ${ODOO_SERIES} ` +
        '(its emulator, transcripts and flows are 17.0). Point --odoo-url at an Odoo 17 server.',
    );
  }
  return String(version.server_version ?? serie);
}

export async function readModuleStates(client: OdooClient, modules: readonly string[]): Promise<ModuleState[]> {
  if (modules.length === 0) return [];
  const rows = await client.searchRead<{ id: number; name: string; state: string }>('ir.module.module', [['name', 'in', [...modules]]], {
    fields: ['name', 'state'],
  });
  return modules.map((name) => {
    const row = rows.find((r) => r.name === name);
    return row === undefined ? { name, state: 'absent' } : { name, state: row.state, id: row.id };
  });
}

export function isUsable(module: ModuleState): boolean {
  return USABLE_STATES.has(module.state);
}

/** Fails with the list of missing modules and what to do about each. */
export function assertModulesUsable(states: readonly ModuleState[], db: string): void {
  const missing = states.filter((m) => !isUsable(m));
  if (missing.length === 0) return;
  const detail = missing.map((m) => `${m.name} (${m.state === 'absent' ? 'not on the addons path' : m.state})`).join(', ');
  throw new Error(
    `Odoo database "${db}" lacks modules Faultline needs: ${detail}. ` +
      'Install them (Apps menu, or `odoo -d DB -i sale_management,stock,account --stop-after-init`), ' +
      'or let Faultline install them by running provisioning against a test database.',
  );
}
