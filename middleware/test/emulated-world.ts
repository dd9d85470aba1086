/**
 * A test world whose Odoo is the emulator (simulators/odoo), bootstrapped by
 * the harness over the wire, as the engine prepares a run.
 */
import { createOdooEmulator } from '../../simulators/odoo/index.ts';
import type { OdooEmulator } from '../../simulators/odoo/index.ts';
import { createOdooClient } from '../../harness/odoo/client.ts';
import { bootstrapOdoo } from '../../harness/odoo/bootstrap.ts';
import type { SystemFactory } from '../../harness/core/system.ts';
import { shipmentEvent, TestWorld, URLS } from './test-world.ts';
import type { TestWorldOptions } from './test-world.ts';

export async function emulatedWorld(factory: SystemFactory, config: Record<string, unknown> = {}, options: Omit<TestWorldOptions, 'odoo' | 'config'> = {}) {
  let emulator: OdooEmulator | undefined;
  const world = new TestWorld(factory, { ...options, config, odoo: (context) => (emulator = createOdooEmulator(context, { db: 'faultline' })) });
  const admin = createOdooClient({ url: URLS.odoo, db: 'faultline', login: 'admin', password: 'admin', fetch: world.net.fetchFor('harness'), timeoutMs: 30_000 });
  const bootstrap = await world.drive(bootstrapOdoo(admin));
  await world.boot();
  const read = (model: string, domain: unknown[], fields: string[]) => emulator!.execute(model, 'search_read', [domain], { fields }) as Record<string, unknown>[];
  return { world, emulator: emulator!, admin, bootstrap, read };
}

/** The 3PL reports these statuses of the order's first shipment, then the world runs until quiet. */
export async function deliver(world: TestWorld, ref: string, statuses: [number, string][]) {
  const shipmentId = world.logistics.byRef(ref)[0]!.shipmentId;
  for (const [seq, status] of statuses) await world.call(world.logisticsWebhook(shipmentEvent(ref, shipmentId, seq, status)));
  await world.net.run();
}
