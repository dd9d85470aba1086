import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';
/**
 * The guard between Faultline's destructive setup (creating databases, writing
 * master data, cleaning up) and somebody's real Odoo. A database whose name
 * does not say it is for testing is refused unless the user says otherwise.
 */

/** Words that mark a database as disposable, matched as whole parts of its name. */
export const TEST_DATABASE_MARKERS = [
  'test',
  'tests',
  'testing',
  'faultline',
  'ci',
  'staging',
  'stage',
  'dev',
  'devel',
  'development',
  'demo',
  'sandbox',
  'qa',
  'uat',
  'tmp',
  'temp',
  'scratch',
  'local',
  'e2e',
] as const;

/**
 * True when the name contains one of the markers as a word (`odoo_test`,
 * `ci-42`, `Staging2`, `faultline`), not merely as letters inside another word
 * (`decimal` holds "ci", `adventure` holds "dev" — neither is a test database).
 */
export function looksLikeTestDatabase(name: string): boolean {
  const parts = name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter((part) => part !== '');
  return parts.some((part) => (TEST_DATABASE_MARKERS as readonly string[]).includes(part) || part.startsWith('test') || part.startsWith('faultline'));
}

export class NonTestDatabaseError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  readonly db: string;
  constructor(db: string) {
    super(
      `Refusing to set up Faultline's data in Odoo database "${db}": its name does not look like a test database ` +
        `(it should contain one of: ${TEST_DATABASE_MARKERS.slice(0, 8).join(', ')}, ...). ` +
        'Faultline creates products, stock and users there, and places orders during a run. ' +
        'Point it at a copy (e.g. "' +
        `${db}_test` +
        '"), or if this database really is disposable, pass ' +
        '--odoo-allow-destructive (allowNonTestDatabase: true, or ODOO_ALLOW_DESTRUCTIVE=1).',
    );
    this.name = 'NonTestDatabaseError';
    this.db = db;
  }
}

export function assertDestructiveSetupAllowed(db: string, allowNonTestDatabase: boolean): void {
  if (!allowNonTestDatabase && !looksLikeTestDatabase(db)) throw new NonTestDatabaseError(db);
}
