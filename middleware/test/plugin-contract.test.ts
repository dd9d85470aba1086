import { describe, expect, it } from 'vitest';
import type { SystemFactory } from '../../harness/core/system.ts';
import { MiddlewareWorld, sampleOrder } from '../../testing/middleware-world.ts';

const modules = {
  naive: () => import('../naive/index.ts'),
  resilient: () => import('../resilient/index.ts'),
  'examples/passthrough': () => import('../examples/passthrough.ts'),
};

describe('the plug-in contract', () => {
  for (const [name, load] of Object.entries(modules)) {
    it(`${name} is a module whose default export is a SystemFactory that takes an order into Odoo`, async () => {
      const factory = (await load()).default as SystemFactory;
      expect(typeof factory).toBe('function');
      const w = await MiddlewareWorld.create(factory);
      const health = (await w.world.call(w.capture('/health', { timeoutMs: 1000 }))) as Response;
      expect(health.status).toBe(200);
      const answer = (await w.world.call(w.postOrder(sampleOrder(`CAP-PLUG-${name}`)))) as Response;
      expect([200, 201, 202]).toContain(answer.status);
      await w.world.run();
      expect(w.saleOrders(`CAP-PLUG-${name}`)).toHaveLength(1);
      await w.stop();
    });
  }
});

describe('the README', () => {
  it('shows the passthrough example exactly as it is in examples/passthrough.ts', async () => {
    const { readFile } = await import('node:fs/promises');
    const source = await readFile(new URL('../examples/passthrough.ts', import.meta.url), 'utf8');
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    const snippet = /```ts\n(import type[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(snippet.trim()).toBe(source.slice(source.indexOf('import type')).trim());
  });
});
