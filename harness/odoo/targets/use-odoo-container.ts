import { afterAll, beforeAll } from 'vitest';
import { createContainerTarget } from './container.ts';
import type { ContainerTarget, ContainerTargetOptions } from './container.ts';
import type { OdooConnection } from './types.ts';

/**
 * For vitest suites that need a real Odoo: containers started in beforeAll
 * (a fresh copy of the provisioned template) and removed in afterAll.
 *
 *   const odoo = useOdooContainer({ bootstrap: bootstrapOdoo });
 *   it('confirms an order', async () => { const { url, db, login, password } = odoo.connection(); ... });
 *
 * Call it at the top of a file or describe block; guard the block with
 * `describe.skipIf(!docker.available)` (see checkDocker) where Docker may be missing.
 */
export function useOdooContainer(options: ContainerTargetOptions): { connection(): OdooConnection; target: ContainerTarget } {
  const target = createContainerTarget(options);
  let connection: OdooConnection | undefined;
  // First run: image pulls plus module installation; later runs restore a dump in seconds.
  const startTimeoutMs = 2 * (options.startupTimeoutMs ?? 5 * 60_000) + 20 * 60_000;
  beforeAll(async () => {
    connection = await target.start();
  }, startTimeoutMs);
  afterAll(() => target.stop(), 120_000);
  return {
    target,
    connection() {
      if (connection === undefined)
        throw new Error('useOdooContainer: the containers are not started yet; call connection() inside a test, not while tests are being collected');
      return connection;
    },
  };
}
