/**
 * An Odoo target is where the harness finds its Odoo: the emulator, containers
 * it starts itself, the compose stack, or any Odoo by URL. Whatever the target,
 * the harness gets the same thing back (an OdooConnection) and talks to it with
 * the one Odoo client over the wire protocol.
 */
export type OdooTargetKind = 'emulated' | 'container' | 'compose' | 'external';

export const ODOO_TARGET_KINDS: readonly OdooTargetKind[] = ['emulated', 'container', 'compose', 'external'];

/** How to reach a provisioned Odoo database, as an administrator of it. */
export interface OdooConnection {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:8069`. */
  url: string;
  db: string;
  login: string;
  password: string;
}

export interface OdooTarget {
  readonly kind: OdooTargetKind;
  /** Makes the Odoo ready (started, provisioned, checked) and says how to reach it. */
  start(): Promise<OdooConnection>;
  /** Releases what start() took (servers, containers, master data it created). Safe to call twice. */
  stop(): Promise<void>;
}
