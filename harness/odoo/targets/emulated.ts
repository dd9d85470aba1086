import { provisionOdoo } from './provision.ts';
import type { Bootstrap } from './provision.ts';
import type { ServedOdoo } from './serve-emulator.ts';
import type { OdooConnection, OdooTarget } from './types.ts';

/**
 * Faultline's own Odoo 17 emulator served over real HTTP on loopback, for live
 * mode without Docker. Provisioned the same way as a real Odoo, so a scenario
 * cannot tell the two apart by their data.
 */

export interface EmulatedTargetOptions {
  /** Default `bootstrapOdoo`. */
  bootstrap?: Bootstrap;
  db?: string;
  /** Loopback by default: traffic stays on this machine. */
  host?: string;
  /** 0 (default) takes a free port. */
  port?: number;
  log?: (line: string) => void;
}

/** The emulator's fresh-database credentials (simulators/odoo: admin/admin, master password admin). */
const EMULATOR_ADMIN = { login: 'admin', password: 'admin', masterPassword: 'admin' } as const;

export function createEmulatedTarget(options: EmulatedTargetOptions): OdooTarget {
  const db = options.db ?? 'faultline';
  let served: ServedOdoo | undefined;
  return {
    kind: 'emulated',
    async start(): Promise<OdooConnection> {
      // Loaded on start only: runs against a real Odoo never load the emulator.
      const { serveOdoo } = await import('./serve-emulator.ts');
      served = await serveOdoo({ port: options.port ?? 0, host: options.host ?? '127.0.0.1', db });
      const connection = { url: served.url.replace(/\/+$/, ''), db, login: EMULATOR_ADMIN.login, password: EMULATOR_ADMIN.password };
      try {
        await provisionOdoo({
          connection,
          masterPassword: EMULATOR_ADMIN.masterPassword,
          bootstrap: options.bootstrap,
          timeoutMs: 60_000,
          ...(options.log !== undefined && { log: options.log }),
        });
      } catch (error) {
        await this.stop();
        throw error;
      }
      return connection;
    },
    async stop() {
      const server = served;
      served = undefined;
      await server?.close();
    },
  };
}
