import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCaptureSimulator } from '../../capture/index.ts';
import { createLogisticsProvider } from '../../logistics/index.ts';
import { createPaymentGateway } from '../../payment/index.ts';
import { createCrmSimulator } from '../../crm/index.ts';
import { createAnalyticsSink } from '../../analytics/index.ts';
import type { System, SystemContext } from '../../../harness/core/system.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';

const SPECS: {
  name: 'capture' | 'payment' | 'logistics' | 'crm' | 'analytics';
  factory: (context: SystemContext) => System;
  config: Record<string, unknown>;
}[] = [
  // No orders, so nothing to pay for: no gateway in its world.
  { name: 'capture', factory: createCaptureSimulator, config: { orders: 0, payAtCheckout: false } },
  { name: 'payment', factory: createPaymentGateway, config: {} },
  { name: 'logistics', factory: createLogisticsProvider, config: {} },
  { name: 'crm', factory: createCrmSimulator, config: {} },
  { name: 'analytics', factory: createAnalyticsSink, config: {} },
];

describe('OpenAPI files', () => {
  for (const spec of SPECS) {
    it(`documents only routes the ${spec.name} simulator serves`, async () => {
      const doc = JSON.parse(readFileSync(new URL(`../../${spec.name}/openapi.json`, import.meta.url), 'utf8')) as {
        openapi: string;
        paths: Record<string, Record<string, unknown>>;
      };
      expect(doc.openapi).toBe('3.1.0');
      // A receiver where the middleware would be: the simulators are wired to one.
      const world = await TestWorld.create({
        systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock), [spec.name]: { factory: spec.factory, config: spec.config } },
      });
      const system = world.system(spec.name);
      for (const [path, operations] of Object.entries(doc.paths)) {
        for (const method of Object.keys(operations)) {
          const url = `${world.url(spec.name)}${path.replace(/\{[^}]+\}/g, 'x')}`;
          const response = await system.handle(
            new Request(url, { method: method.toUpperCase(), ...(method === 'post' || method === 'put' ? { body: '{}' } : {}) }),
          );
          const body = (await response.json()) as { error?: string };
          // 404 is fine for an unknown id, never for an unknown route.
          expect(response.status, `${method.toUpperCase()} ${path}`).not.toBe(405);
          expect(body.error ?? '', `${method.toUpperCase()} ${path}`).not.toContain(' has no ');
        }
      }
    });
  }
});
