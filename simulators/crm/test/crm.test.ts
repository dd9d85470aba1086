import { drainMicrotasks } from '../../../harness/core/scheduler.ts';
import { describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../../../harness/contracts/webhook-signature.ts';
import { customerBook } from '../../shared/customer-book.ts';
import { ScriptedReceiver } from '../../../testing/peers.ts';
import { TestWorld } from '../../../testing/sim-world.ts';
import type { CrmWebhook } from '../../../harness/contracts/crm.ts';
import { type CrmSimulator, createCrmSimulator } from '../index.ts';

const QUICK = { customers: { count: 4 }, edits: { count: 10, every: 60_000 }, webhooks: { delay: 0 } };

async function crmWorld(config: Record<string, unknown> = QUICK, respond: (path: string, body: string, n: number) => number = () => 200, seed = 1) {
  const world = await TestWorld.create({
    seed,
    systems: { middleware: (ctx) => new ScriptedReceiver(ctx.clock, respond), crm: { factory: createCrmSimulator, config } },
  });
  const middleware = world.system<ScriptedReceiver>('middleware');
  const crm = world.system<CrmSimulator>('crm');
  const client = world.fetchFor('middleware');
  const get = async (path: string) => {
    const answer = client(`${world.url('crm')}${path}`).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      body: (await r.json()) as Record<string, unknown>,
    }));
    await world.run();
    return answer;
  };
  const webhooks = () => middleware.received.map((r) => JSON.parse(r.body) as CrmWebhook);
  return { world, crm, middleware, get, webhooks };
}

describe('CRM', () => {
  it('starts with an account per customer of the shared book and announces each', async () => {
    const w = await crmWorld({ ...QUICK, edits: { count: 0 } });
    await w.world.run();
    const book = customerBook({ seed: 1, count: 4, countryCode: 'US' });
    const created = w.webhooks();
    expect(created.map((h) => [h.type, h.accountId, h.version])).toEqual([1, 2, 3, 4].map((n) => ['account.created', `acc_00000${n}`, 1]));
    expect(created.map((h) => h.account.email)).toEqual(book.map((c) => c.email));
    expect(created[0]!.account).toMatchObject({
      status: 'active',
      vat: expect.stringMatching(/^US\d{9}$/),
      paymentTerms: expect.any(String),
      creditLimit: expect.any(Number),
    });
    expect(w.middleware.received.every((r) => r.path === '/webhooks/crm')).toBe(true);
    expect(w.crm.finished()).toBe(true);
  });

  it('signs every webhook with the shared secret', async () => {
    const w = await crmWorld({ ...QUICK, edits: { count: 0 } });
    await w.world.run();
    const [first] = w.middleware.received;
    expect(
      verifyWebhookSignature({ secret: 'whsec_faultline', header: first!.headers.get('x-faultline-signature'), rawBody: first!.body, nowMs: first!.at }).ok,
    ).toBe(true);
  });

  it('publishes each rep edit as a new version carrying the whole account, and records it in the ledger', async () => {
    const w = await crmWorld();
    await w.world.run();
    const ledger = w.crm.ledger();
    for (const account of ledger.accounts) {
      expect(account.versions.map((v) => v.version)).toEqual(account.versions.map((_, i) => i + 1));
      expect(account.versions.at(-1)!.account).toMatchObject({ version: account.version, status: account.status });
    }
    const updates = w.webhooks().filter((h) => h.type !== 'account.created');
    expect(updates.length).toBeGreaterThan(0);
    expect(ledger.deliveries.filter((d) => d.outcome === 'ok')).toHaveLength(w.webhooks().length);
  });

  it('merges a duplicate into a survivor or deletes it', async () => {
    const w = await crmWorld({
      customers: { count: 3 },
      edits: { count: 12, every: 60_000, mix: { address: 0, vat: 0, paymentTerms: 0, creditLimit: 0, name: 0, duplicate: 1 } },
      duplicates: { resolveAfter: 30_000, mergeProbability: 0.5 },
      webhooks: { delay: 0 },
    });
    await w.world.run();
    const { accounts } = w.crm.ledger();
    const merged = accounts.filter((a) => a.status === 'merged');
    const deleted = accounts.filter((a) => a.status === 'deleted');
    expect(merged.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(0);
    // A survivor may itself be merged later: following the chain always ends at a live account.
    const survivor = (id: string): string => {
      const account = accounts.find((a) => a.accountId === id)!;
      return account.status === 'merged' ? survivor(account.mergedInto!) : id;
    };
    for (const account of merged) expect(accounts.find((a) => a.accountId === survivor(account.accountId))!.status).toBe('active');
    expect(w.webhooks().filter((h) => h.type === 'account.merged')).toHaveLength(merged.length);
  });

  it('pages through accounts changed since a sequence number', async () => {
    const w = await crmWorld({ ...QUICK, edits: { count: 0 } });
    await w.world.run();
    const first = await w.get('/accounts?limit=3');
    expect((first.body.accounts as { accountId: string }[]).map((a) => a.accountId)).toEqual(['acc_000001', 'acc_000002', 'acc_000003']);
    expect(first.body.nextCursor).toBe('acc_000003');
    const rest = await w.get('/accounts?limit=3&cursor=acc_000003');
    expect((rest.body.accounts as unknown[]).length).toBe(1);
    expect(rest.body.nextCursor).toBeNull();
    const since = await w.get(`/accounts?since=${first.body.changeSeq as number}`);
    expect(since.body.accounts).toEqual([]);
    expect((await w.get('/accounts?limit=0')).status).toBe(400);
    expect((await w.get('/accounts/acc_000002')).body).toMatchObject({ accountId: 'acc_000002' });
    expect((await w.get('/accounts/acc_999999')).status).toBe(404);
  });

  it('answers 429 with Retry-After beyond its rate limit', async () => {
    const w = await crmWorld({ ...QUICK, edits: { count: 0 }, rateLimit: { requests: 2, windowMs: 10_000 } });
    await w.world.run();
    const client = w.world.fetchFor('middleware');
    const answers = Promise.all([1, 2, 3].map(() => client(`${w.world.url('crm')}/accounts`)));
    await w.world.run();
    const statuses = (await answers).map((r) => r.status);
    expect(statuses).toEqual([200, 200, 429]);
    expect((await answers)[2]!.headers.get('retry-after')).toBe('10');
    expect(w.crm.ledger().rateLimited).toBe(1);
  });

  it('retries a webhook the middleware refused, and duplicates and reorders with the usual knobs', async () => {
    const w = await crmWorld(
      { ...QUICK, webhooks: { delay: 0, duplicate: { probability: 1, copies: 1, gapMs: 5_000 } }, retry: { initialBackoffMs: 1_000 } },
      (_p, _b, n) => (n === 1 ? 503 : 200),
    );
    await w.world.run();
    const deliveries = w.crm.ledger().deliveries;
    expect(deliveries.some((d) => d.outcome === 'error' && d.status === 503)).toBe(true);
    expect(deliveries.some((d) => d.copy === 1 && d.outcome === 'ok')).toBe(true);
  });

  it('gives the same ledger for the same seed and another for another seed', async () => {
    const once = async (seed: number) => {
      const w = await crmWorld(
        {
          ...QUICK,
          edits: { count: 30, every: { kind: 'exponential', meanMs: 60_000 } },
          webhooks: { reorder: { windowMs: 60_000 }, drop: { probability: 0.1 } },
        },
        () => 200,
        seed,
      );
      await w.world.run();
      return w.crm.ledger();
    };
    const [a, b, c] = [await once(5), await once(5), await once(6)];
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('sends nothing once the world stops it mid-run, neither its next edit nor a webhook retry', async () => {
    const world = await TestWorld.create({
      systems: {
        middleware: (ctx) => new ScriptedReceiver(ctx.clock, () => 500),
        crm: { factory: createCrmSimulator, config: QUICK },
      },
    });
    await world.advance(1_000);
    expect(world.sim.scheduler.pendingWork).toBeGreaterThan(1);
    await world.stop();
    const stoppedAt = world.history.length;
    // Whatever is still scheduled runs out: the requests already on their way are answered, and nothing new is sent.
    for (let i = 0; i < 100_000 && world.sim.scheduler.runNextInstant(Number.POSITIVE_INFINITY); i++) await drainMicrotasks();
    expect(world.history.slice(stoppedAt).filter((e) => e.kind === 'send' && e.from === 'crm')).toEqual([]);
  });

  it('names the field and the allowed keys of a bad knob', async () => {
    await expect(crmWorld({ edits: { cuont: 3 } })).rejects.toThrow(/crm: config\.edits\.cuont is not a knob; allowed fields: count, every, mix/);
  });
});
