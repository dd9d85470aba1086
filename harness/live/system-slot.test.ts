import { describe, expect, it } from 'vitest';
import { createSystemSlot } from './system-slot.ts';

describe('createSystemSlot', () => {
  it('answers 503 until a system is attached, then forwards to it', async () => {
    const slot = createSystemSlot('payment');
    const before = await slot.system.handle(new Request('http://127.0.0.1/payments'));
    expect(before.status).toBe(503);
    expect((await before.json()).error).toMatch(/payment is not wired yet/);
    slot.attach({ handle: async (request) => new Response(new URL(request.url).pathname) });
    expect(slot.attached).toBe(true);
    expect(await (await slot.system.handle(new Request('http://127.0.0.1/payments'))).text()).toBe('/payments');
  });

  it('refuses a second system or something that is not one', () => {
    const slot = createSystemSlot('odoo');
    expect(() => slot.attach({} as never)).toThrow(/handle\(request\)/);
    slot.attach({ handle: async () => new Response() });
    expect(() => slot.attach({ handle: async () => new Response() })).toThrow(/already has a system/);
  });
});
