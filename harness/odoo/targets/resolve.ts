import type { SystemFetch } from '../../core/system.ts';
import { createComposeTarget, provisionComposeOdoo } from './compose.ts';
import { createContainerTarget } from './container.ts';
import { createEmulatedTarget } from './emulated.ts';
import type { Environment } from './env.ts';
import { createExternalTarget } from './external.ts';
import type { Bootstrap, ProvisionReport } from './provision.ts';
import { ODOO_TARGET_KINDS } from './types.ts';
import type { OdooTarget, OdooTargetKind } from './types.ts';
import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';

/**
 * From the command line's words to a target. The options are the CLI's
 * (`--odoo-url`, `--odoo-db`, `--odoo-user`, `--odoo-password`,
 * `--odoo-master-password`, `--odoo-allow-destructive`); each target takes the
 * ones that mean something to it and falls back to ODOO_* variables.
 */
export interface ResolveOdooTargetOptions {
  /** Creates the scenarios' master data; default `bootstrapOdoo` (harness/odoo/bootstrap.ts). */
  bootstrap?: Bootstrap;
  url?: string | undefined;
  db?: string | undefined;
  /** The login (the CLI's `--odoo-user`). */
  user?: string | undefined;
  password?: string | undefined;
  masterPassword?: string | undefined;
  /** `--odoo-allow-destructive`. */
  allowDestructive?: boolean | undefined;
  /** Live mode: the container target also starts Toxiproxy. */
  live?: boolean;
  /** External target: remove Faultline's master data on stop (default true). */
  cleanup?: boolean;
  /** Container target: where template dumps are kept (`false`: none). */
  snapshotDir?: string | false;
  fetch?: SystemFetch;
  env?: Environment;
  log?: (line: string) => void;
}

export class UnknownOdooTargetError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  constructor(kind: unknown) {
    super(
      `Unknown Odoo target ${JSON.stringify(kind)}: choose one of ${ODOO_TARGET_KINDS.join(', ')} (--odoo emulated is the default and needs nothing installed)`,
    );
    this.name = 'UnknownOdooTargetError';
  }
}

export function isOdooTargetKind(kind: unknown): kind is OdooTargetKind {
  return typeof kind === 'string' && (ODOO_TARGET_KINDS as readonly string[]).includes(kind);
}

export function resolveOdooTarget(kind: OdooTargetKind | string, options: ResolveOdooTargetOptions): OdooTarget {
  if (!isOdooTargetKind(kind)) throw new UnknownOdooTargetError(kind);
  const optional = {
    ...(options.log !== undefined && { log: options.log }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    ...(options.env !== undefined && { env: options.env }),
  };
  switch (kind) {
    case 'emulated':
      return createEmulatedTarget({
        bootstrap: options.bootstrap,
        ...(options.db !== undefined && { db: options.db }),
        ...(options.log !== undefined && { log: options.log }),
      });
    case 'container':
      return createContainerTarget({
        bootstrap: options.bootstrap,
        live: options.live === true,
        ...(options.db !== undefined && { db: options.db }),
        ...(options.snapshotDir !== undefined && { snapshotDir: options.snapshotDir }),
        ...(options.log !== undefined && { log: options.log }),
      });
    case 'compose':
      return createComposeTarget({
        url: options.url,
        db: options.db,
        login: options.user,
        password: options.password,
        masterPassword: options.masterPassword,
        ...optional,
      });
    case 'external':
      return createExternalTarget({ ...connectionOptions(options), ...(options.cleanup !== undefined && { cleanup: options.cleanup }) });
  }
}

/**
 * `faultline provision --odoo KIND`: makes a real Odoo ready and leaves it so.
 * compose: what the stack's init service runs. external: provisions and keeps
 * the master data (no cleanup). container: starts the containers once to build
 * the template and its dump on disk (a CI cache warm-up), then removes them.
 */
export async function provisionOdooTarget(kind: OdooTargetKind | string, options: ResolveOdooTargetOptions): Promise<ProvisionReport | undefined> {
  if (!isOdooTargetKind(kind)) throw new UnknownOdooTargetError(kind);
  switch (kind) {
    case 'emulated':
      throw new Error('--odoo emulated needs no provisioning: the emulator is provisioned each time it starts. Use compose, external or container.');
    case 'compose':
      return provisionComposeOdoo(connectionOptions(options));
    case 'external': {
      const target = createExternalTarget({ ...connectionOptions(options), cleanup: false, freshDatabase: false });
      await target.start();
      return target.provisioned;
    }
    case 'container': {
      const target = resolveOdooTarget(kind, options);
      try {
        await target.start();
      } finally {
        await target.stop();
      }
      return undefined;
    }
  }
}

/** The CLI's flags in the shape the compose and external targets share. */
function connectionOptions(options: ResolveOdooTargetOptions) {
  return {
    bootstrap: options.bootstrap,
    url: options.url,
    db: options.db,
    login: options.user,
    password: options.password,
    masterPassword: options.masterPassword,
    allowNonTestDatabase: options.allowDestructive === true ? true : undefined,
    ...(options.log !== undefined && { log: options.log }),
    ...(options.fetch !== undefined && { fetch: options.fetch }),
    ...(options.env !== undefined && { env: options.env }),
  };
}
