import { describe, expect, it } from 'vitest';
import { forgedBody } from '../../core/faults.ts';
import type { FaultSpec } from '../../core/faults.ts';
import type { SystemContext } from '../../core/system.ts';
import { SimWorld } from './world.ts';

/** A receiver that keeps every body and signature it is sent, in arrival order. */
async function receiverWorld(faults: FaultSpec[]) {
  const seen: Array<{ body: unknown; signature: string | null }> = [];
  let caller!: SystemContext;
  const world = new SimWorld({
    seed: 1,
    epochMs: 0,
    faults,
    systems: [
      {
        name: 'receiver',
        factory: () => ({
          async handle(request: Request) {
            seen.push({ body: await request.json(), signature: request.headers.get('x-faultline-signature') });
            return Response.json({ ok: true });
          },
        }),
      },
      {
        name: 'sender',
        factory: (context) => {
          caller = context;
          return { handle: async () => new Response(null, { status: 204 }) };
        },
      },
    ],
  });
  await world.init();
  await world.start();
  const send = (body: unknown) =>
    world.drive(
      caller.fetch(`${world.urls.receiver}/webhooks/payment`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'x-faultline-signature': 't=1,v1=abc' },
        timeoutMs: 1000,
      }),
    );
  return { world, seen, send };
}

describe('a forged webhook', () => {
  it('arrives just before the real one, with the lie merged into its body under the real signature', async () => {
    const { world, seen, send } = await receiverWorld([
      { link: { from: 'sender', to: 'receiver' }, kind: 'forge', set: { type: 'payment.refunded', data: { amount: 0.01 } } },
    ]);
    const answer = await send({ id: 'evt_1', type: 'payment.captured', data: { orderRef: 'CAP-1', amount: 12.5 } });
    expect(answer.status).toBe(200);
    expect(seen).toEqual([
      { body: { id: 'evt_1', type: 'payment.refunded', data: { orderRef: 'CAP-1', amount: 0.01 } }, signature: 't=1,v1=abc' },
      { body: { id: 'evt_1', type: 'payment.captured', data: { orderRef: 'CAP-1', amount: 12.5 } }, signature: 't=1,v1=abc' },
    ]);
    expect(
      world.history
        .toArray()
        .filter((e) => e.kind === 'duplicate')
        .map((e) => ('fault' in e ? e.fault : '')),
    ).toEqual(['forge@sender->receiver']);
  });

  it('is not made of a body that is not a JSON object', () => {
    expect(forgedBody('<methodCall/>', { a: 1 })).toBeUndefined();
    expect(forgedBody('[1,2]', { a: 1 })).toBeUndefined();
    expect(forgedBody('{"a":{"b":1,"c":2}}', { a: { b: 3 } })).toBe('{"a":{"b":3,"c":2}}');
  });
});
