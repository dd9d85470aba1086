import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'reports/out/**', '.toolchain/**'],
    // Whole simulated runs and spawned CLIs share two cores with everything else:
    // a generous per-test bound keeps a slow machine from reading as a failure,
    // while a real hang still ends the test.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
