/**
 * Every simulator route under fuzzed input: paths with broken
 * percent-encoding, bodies that are not JSON or not UTF-8, and JSON with the
 * wrong types, huge or non-finite-looking numbers. Never a 5xx, never a hang,
 * and a refused request leaves the ledger as it was.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { System } from '../../harness/core/system.ts';
import { LEDGER_PATH } from '../../harness/core/system.ts';
import { createCaptureSimulator } from '../../simulators/capture/index.ts';
import { createLogisticsProvider } from '../../simulators/logistics/index.ts';
import { createPaymentGateway } from '../../simulators/payment/index.ts';
import { ScriptedReceiver } from '../../testing/peers.ts';
import { TestWorld } from '../../testing/sim-world.ts';
import { answerWithin, FUZZ_RUNS, FUZZ_SEED, junk, rawBodies } from './shared.ts';

type Routed = System & { handle(request: Request): Promise<Response> };

// No orders: the storefront stays idle, only its routes are fuzzed.
const world = await TestWorld.create({
  seed: FUZZ_SEED,
  systems: {
    middleware: (ctx) => new ScriptedReceiver(ctx.clock),
    capture: { factory: createCaptureSimulator, config: { orders: 0 } },
    payment: { factory: createPaymentGateway, config: {} },
    logistics: { factory: createLogisticsProvider, config: {} },
  },
});
const systems: Record<'capture' | 'payment' | 'logistics', Routed> = {
  capture: world.system<Routed>('capture'),
  payment: world.system<Routed>('payment'),
  logistics: world.system<Routed>('logistics'),
};

/** The ledger a refused request must leave alone. */
async function ledger(system: Routed): Promise<string> {
  return (await system.handle(new Request(`http://sim.test${LEDGER_PATH}`))).text();
}

/** Every route of every simulator, with path parameters that may be broken. */
const segment = fc.oneof(
  fc.constantFrom('pay_000001', 'shp_000001', 'CAP-000001', '%E0%A4%A', '%', '%ZZ', '..', '%2F'),
  fc.string({ maxLength: 8 }).map(encodeURIComponent),
);
const routes = fc.oneof(
  fc.constant({ system: 'capture' as const, method: 'GET', path: '/orders' }),
  segment.map((ref) => ({ system: 'capture' as const, method: 'GET', path: `/orders/${ref}` })),
  fc.constant({ system: 'payment' as const, method: 'POST', path: '/payments' }),
  fc.constant({ system: 'payment' as const, method: 'GET', path: '/payments' }),
  segment.map((id) => ({ system: 'payment' as const, method: 'POST', path: `/payments/${id}/refunds` })),
  fc.constant({ system: 'logistics' as const, method: 'POST', path: '/shipments' }),
  fc.constant({ system: 'logistics' as const, method: 'GET', path: '/shipments' }),
  segment.map((id) => ({ system: 'logistics' as const, method: 'POST', path: `/shipments/${id}/cancel` })),
  fc
    .constantFrom('capture', 'payment', 'logistics')
    .chain((system) => segment.map((s) => ({ system: system as 'capture' | 'payment' | 'logistics', method: 'DELETE', path: `/${s}` }))),
);

/** Bodies shaped like the real ones with one field gone wrong, or anything at all. */
const bodies = fc.oneof(
  fc
    .record({
      orderRef: fc.oneof(fc.constant('CAP-000001'), junk),
      amount: fc.oneof(fc.constantFrom(1e308, 1e300, 2.31, 0, -1, 90071992547409.92), junk),
      currency: fc.oneof(fc.constant('USD'), junk),
    })
    .map((b) => JSON.stringify(b)),
  fc
    .record({ orderRef: fc.oneof(fc.constant('CAP-000001'), junk), lines: fc.oneof(fc.constant([{ sku: 'FL-001', quantity: 1e308 }]), junk) })
    .map((b) => JSON.stringify(b)),
  junk.map((value) => JSON.stringify(value) ?? 'null'),
  fc.constantFrom(
    '{"amount": 1e400, "orderRef": "CAP-1", "currency": "USD"}',
    '{"amount": 123456789012345678901234567890, "orderRef": "CAP-1", "currency": "USD"}',
  ),
  rawBodies,
);

const types = fc.constantFrom(
  'application/json',
  'application/json; charset=ISO-8859-1',
  'application/json; charset=utf-16',
  'text/plain',
  'application/x-www-form-urlencoded',
);

describe('the simulators under fuzzed input', () => {
  it('answer every route without a 5xx or a hang, and a refused request leaves the ledger as it was', async () => {
    await fc.assert(
      fc.asyncProperty(routes, bodies, types, fc.option(fc.string({ maxLength: 12 })), async (route, body, type, key) => {
        const system = systems[route.system];
        const before = await ledger(system);
        const headers: Record<string, string> = { 'content-type': type };
        if (key !== null) headers['idempotency-key'] = key;
        const init: RequestInit = route.method === 'GET' ? { method: 'GET', headers } : { method: route.method, body, headers };
        const response = await answerWithin(`${route.method} ${route.path}`, system.handle(new Request(`${world.url(route.system)}${route.path}`, init)));
        expect(response.status, await response.clone().text()).toBeLessThan(500);
        await response.arrayBuffer();
        if (response.status >= 400) expect(await ledger(system)).toBe(before);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS * 2, endOnFailure: true },
    );
  });
});
