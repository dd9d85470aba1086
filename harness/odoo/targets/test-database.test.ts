import { describe, expect, it } from 'vitest';
import { NonTestDatabaseError, assertDestructiveSetupAllowed, looksLikeTestDatabase } from './test-database.ts';

describe('looksLikeTestDatabase', () => {
  it.each(['faultline', 'faultline_ci', 'odoo_test', 'test', 'ci-42', 'acme-staging', 'Staging2', 'dev', 'acmeDev', 'qa_odoo17', 'tests_2026', 'testdb'])(
    'accepts %s as a test database',
    (name) => expect(looksLikeTestDatabase(name)).toBe(true),
  );

  it.each(['production', 'acme', 'odoo', 'decimal', 'adventure', 'prod_eu', 'contest', 'acme_live'])('does not take %s for a test database', (name) =>
    expect(looksLikeTestDatabase(name)).toBe(false),
  );
});

describe('assertDestructiveSetupAllowed', () => {
  it('refuses a production-looking database and says how to proceed', () => {
    expect(() => assertDestructiveSetupAllowed('acme', false)).toThrow(NonTestDatabaseError);
    expect(() => assertDestructiveSetupAllowed('acme', false)).toThrow(/--odoo-allow-destructive/);
    expect(() => assertDestructiveSetupAllowed('acme', false)).toThrow(/"acme"/);
  });

  it('lets the user override the guard explicitly', () => {
    expect(() => assertDestructiveSetupAllowed('acme', true)).not.toThrow();
  });

  it('lets a test database through without an override', () => {
    expect(() => assertDestructiveSetupAllowed('acme_staging', false)).not.toThrow();
  });
});
