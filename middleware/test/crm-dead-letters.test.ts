import { afterEach, describe, expect, it } from 'vitest';
import { resilientMiddleware } from '../resilient/index.ts';
import { MiddlewareWorld } from '../../testing/middleware-world.ts';
import { signedPost } from '../../testing/peers.ts';

const account = (overrides: Record<string, unknown> = {}) => ({
  accountId: 'acc_000001',
  version: 1,
  status: 'active',
  mergedInto: null,
  duplicateOf: null,
  name: 'Ada Lovelace',
  email: 'ada@example.com',
  street: '1 Analytical Way',
  city: 'London',
  zip: '12345',
  vat: 'US123456789',
  paymentTerms: '30 Days',
  creditLimit: 5_000,
  updatedAt: '2026-01-05T09:00:00.000Z',
  ...overrides,
});
const webhook = (id: string, body: Record<string, unknown>) => ({
  id,
  type: 'account.updated',
  accountId: body.accountId,
  version: body.version,
  occurredAt: '2026-01-05T09:00:00.000Z',
  account: body,
});

describe("the resilient middleware's CRM dead letters", () => {
  let stop: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await stop?.();
    stop = undefined;
  });

  async function crmWorld() {
    const w = await MiddlewareWorld.create(resilientMiddleware);
    stop = () => w.stop();
    const world = w.world;
    const crm = world.fetchFor('crm');
    const send = async (body: unknown) => {
      const answer = await world.call(signedPost(crm, `${world.url('middleware')}/webhooks/crm`, body, world.now));
      if (answer instanceof Error) throw answer;
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    const deadLetters = async () => {
      const answer = await world.call(w.capture('/deadletters/crm'));
      if (answer instanceof Error) throw answer;
      return ((await answer.json()) as { deadLetters: Record<string, unknown>[] }).deadLetters;
    };
    return { world, send, deadLetters };
  }

  it('acknowledges a signed webhook that is not a valid account and shows what was refused and why', async () => {
    const { world, send, deadLetters } = await crmWorld();
    const answer = await send(webhook('evt_crm_000007', account({ creditLimit: -5 })));
    expect(answer).toMatchObject({
      status: 202,
      body: { outcome: 'dead-lettered', reason: expect.stringContaining('creditLimit must be a number, 0 or more') },
    });
    // The CRM's retry of the same event is the same dead letter, not a second one.
    await send(webhook('evt_crm_000007', account({ creditLimit: -5 })));
    expect(await deadLetters()).toEqual([
      {
        kind: 'invalid',
        source: 'webhook',
        accountId: 'acc_000001',
        eventId: 'evt_crm_000007',
        reason: expect.stringContaining('acc_000001: creditLimit must be a number, 0 or more'),
        at: expect.stringMatching(/^2026-01-05T/),
        body: expect.stringContaining('"creditLimit":-5'),
      },
    ]);
    expect(world.events('crm.refused')).toHaveLength(1);
  });

  it('parks an account whose payment term Odoo does not know, without touching its partner', async () => {
    const { world, send, deadLetters } = await crmWorld();
    expect((await send(webhook('evt_crm_000001', account({ paymentTerms: 'Net 97' })))).body).toMatchObject({ outcome: 'queued' });
    await world.run();
    expect(await deadLetters()).toEqual([
      expect.objectContaining({
        kind: 'unmappable',
        source: 'sync',
        accountId: 'acc_000001',
        eventId: null,
        reason: expect.stringContaining('no payment term named "Net 97"'),
        body: null,
      }),
    ]);
  });

  it('lists nothing when every webhook was valid and synced', async () => {
    const { world, send, deadLetters } = await crmWorld();
    await send(webhook('evt_crm_000001', account()));
    await world.run();
    expect(await deadLetters()).toEqual([]);
  });
});
