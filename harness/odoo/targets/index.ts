/** Where the harness finds its Odoo: the emulator, containers, the compose stack, or any Odoo by URL. */
export type { OdooConnection, OdooTarget, OdooTargetKind } from './types.ts';
export { ODOO_TARGET_KINDS } from './types.ts';
export { resolveOdooTarget, provisionOdooTarget, isOdooTargetKind, UnknownOdooTargetError } from './resolve.ts';
export type { ResolveOdooTargetOptions } from './resolve.ts';
export { provisionOdoo } from './provision.ts';
export type { Bootstrap, ProvisionOptions, ProvisionReport } from './provision.ts';
export { createEmulatedTarget } from './emulated.ts';
export { createComposeTarget, provisionComposeOdoo, ComposeStackNotReadyError, COMPOSE_DEFAULTS } from './compose.ts';
export { createContainerTarget } from './container.ts';
export type { ContainerTarget, ContainerTargetOptions, StartedOdooContainers } from './container.ts';
export { createExternalTarget, externalSettings } from './external.ts';
export type { ExternalTarget, ExternalTargetOptions } from './external.ts';
export { checkDocker, DockerUnavailableError } from './docker-availability.ts';
export { NonTestDatabaseError, looksLikeTestDatabase } from './test-database.ts';
export { ForeignRecordsError } from './ownership.ts';
export { IMAGES, ODOO_SERIES, REQUIRED_MODULES } from './images.ts';
export { ODOO_ENV } from './env.ts';
