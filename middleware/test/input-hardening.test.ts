import { describe, expect, it } from 'vitest';
import { createNaiveMiddleware } from '../naive/index.ts';
import { createResilientMiddleware } from '../resilient/index.ts';
import { MAX_AMOUNT, parseCancelPath, parseCaptureOrder } from '../../harness/contracts/capture.ts';
import { MiddlewareWorld, sampleOrder } from '../../testing/middleware-world.ts';

describe('middleware input at the door', () => {
  it('refuses an order whose line amount overflows although each number is finite', () => {
    const order = { ...sampleOrder('CAP-000001'), lines: [{ sku: 'SKU-1', quantity: 1e300, unitPrice: 1e300 }] };
    const parsed = parseCaptureOrder(order);
    expect(parsed).toMatchObject({ ok: false, error: expect.stringContaining(`at most ${MAX_AMOUNT}`) });
  });

  it('refuses a malformed percent-encoding in a cancel path', () => {
    expect(parseCancelPath('%E0%A4%A', {})).toMatchObject({ ok: false, error: expect.stringContaining('malformed percent-encoding') });
    expect(parseCancelPath('CAP%2D000001', {})).toEqual({ ok: true, value: { ref: 'CAP-000001', reason: '' } });
  });

  for (const [name, factory] of [
    ['naive', createNaiveMiddleware],
    ['resilient', createResilientMiddleware],
  ] as const) {
    it(`answers 400, not 500, to a malformed cancel path (${name})`, async () => {
      const w = await MiddlewareWorld.create(factory);
      const answer = (await w.world.call(w.capture('/orders/%E0%A4%A/cancel', { method: 'POST', body: '{}' }))) as Response;
      expect(answer.status).toBe(400);
      await w.stop();
    });
  }
});
