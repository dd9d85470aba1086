import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../../core/faults.ts';
import type { HistoryEvent, MessageFaultEvent, SendEvent } from '../../core/history.ts';
import { NetworkError } from '../../core/system.ts';
import type { SystemContext } from '../../core/system.ts';
import { SimWorld } from './world.ts';

/** A counter service: every POST increments and answers the new count. */
function counter() {
  let count = 0;
  return {
    get count() {
      return count;
    },
    factory: () => ({
      async handle(request: Request) {
        if (request.method === 'POST') count++;
        return Response.json({ count });
      },
    }),
  };
}

async function worldWith(faults: FaultSpec[] = [], seed = 1) {
  const service = counter();
  let caller!: SystemContext;
  const world = new SimWorld({
    seed,
    epochMs: 0,
    faults,
    systems: [
      { name: 'service', factory: service.factory },
      {
        name: 'client',
        factory: (context) => {
          caller = context;
          return { handle: async () => new Response(null, { status: 204 }) };
        },
      },
    ],
  });
  await world.init();
  await world.start();
  const post = (timeoutMs = 1000) =>
    world.drive(caller.fetch(`${world.urls.service}/inc`, { method: 'POST', timeoutMs, headers: { 'x-correlation-id': 'CAP-1' } }));
  return { world, service, post };
}

describe('the simulated network', () => {
  it('delivers a request and its answer on virtual time', async () => {
    const { world, post } = await worldWith();
    const response = await post();
    expect(await response.json()).toEqual({ count: 1 });
    expect(world.scheduler.now()).toBe(2);
    expect(world.history.toArray().map((e) => e.kind)).toEqual(['send', 'deliver', 'response']);
    expect(world.history.toArray()[0]).toMatchObject({ from: 'client', to: 'service', corr: 'CAP-1' });
  });

  it('records which delay fault held a request back, and for how long', async () => {
    const { world, post } = await worldWith([{ link: { to: 'service' }, kind: 'delay', ms: 300 }]);
    await post();
    const traffic = world.history.toArray().filter((e) => e.kind !== 'fault');
    expect(traffic.map((e) => e.kind)).toEqual(['send', 'delay', 'deliver', 'response']);
    const [send, delay, deliver] = traffic as [SendEvent, MessageFaultEvent, HistoryEvent];
    expect(delay).toMatchObject({ req: send.req, ms: 300, fault: expect.stringMatching(/^delay@/) });
    expect(deliver.t - send.t).toBe(301);
  });

  it('reports a lost response as a timeout whose outcome is unknown, after the server acted', async () => {
    const { world, service, post } = await worldWith([{ link: { to: 'service' }, kind: 'response-lost' }]);
    const error = await post(500).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).maybeProcessed).toBe(true);
    expect(service.count).toBe(1);
    expect(world.history.toArray().at(-1)).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
  });

  it('reports a dropped request as a failed timeout: the server never saw it', async () => {
    const { world, service, post } = await worldWith([{ link: { to: 'service' }, kind: 'drop' }]);
    const error = (await post(500).catch((e: unknown) => e)) as NetworkError;
    expect(error.code).toBe('timeout');
    expect(error.maybeProcessed).toBe(false);
    expect(service.count).toBe(0);
    expect(world.history.toArray().at(-1)).toMatchObject({ kind: 'timeout', outcome: 'fail' });
  });

  it('reports a request held past the timeout as maybe processed: it is still on its way, and the server does act on it', async () => {
    const { world, service, post } = await worldWith([{ link: { to: 'service' }, kind: 'delay', ms: 800 }]);
    const error = (await post(500).catch((e: unknown) => e)) as NetworkError;
    expect(error.code).toBe('timeout');
    expect(error.maybeProcessed).toBe(true);
    expect(world.history.toArray().at(-1)).toMatchObject({ kind: 'timeout', outcome: 'unknown' });
    await world.runUntilQuiet({ loadDone: () => true, settleMs: 0, maxVirtualMs: 60_000 });
    expect(service.count).toBe(1);
  });

  it('delivers duplicates to the server but one answer to the caller', async () => {
    const { world, service, post } = await worldWith([{ link: { to: 'service' }, kind: 'duplicate', copies: 2, gapMs: 5 }]);
    await post();
    await world.runUntilQuiet({ loadDone: () => true, settleMs: 0, maxVirtualMs: 60_000 });
    expect(service.count).toBe(3);
    expect(world.history.toArray().filter((e) => e.kind === 'duplicate')).toHaveLength(2);
  });

  it('refuses connections while a link is down and only inside its window', async () => {
    const { world, post } = await worldWith([{ link: { to: 'service' }, kind: 'link-down', schedule: { kind: 'window', fromMs: 0, toMs: 100 } }]);
    const refused = (await post().catch((e: unknown) => e)) as NetworkError;
    expect(refused.code).toBe('refused');
    await world.drive(new Promise<void>((resolve) => world.contextFor('x').clock.setTimer(200, resolve)));
    expect((await post()).status).toBe(200);
  });

  it('answers with the outage status while a system is out', async () => {
    const { post } = await worldWith([{ system: 'service', kind: 'outage', status: 503 }]);
    expect((await post()).status).toBe(503);
  });

  it('adds latency drawn from the seeded generator, the same for the same seed', async () => {
    const times = async (seed: number) => {
      const { world, post } = await worldWith([{ link: { to: 'service' }, kind: 'latency', meanMs: 100, jitterMs: 50 }], seed);
      for (let i = 0; i < 5; i++) await post();
      return world.history.toArray().map((e) => e.t);
    };
    const first = await times(7);
    expect(await times(7)).toEqual(first);
    expect(await times(8)).not.toEqual(first);
    expect(first.at(-1)).toBeGreaterThan(5 * 50);
  });
});

describe('a crash', () => {
  it('loses in-flight requests, refuses while down and rebuilds the system from its factory', async () => {
    let builds = 0;
    let caller!: SystemContext;
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      faults: [{ system: 'service', kind: 'crash', restartAfterMs: 1000, schedule: { kind: 'window', fromMs: 50, toMs: 51 } }],
      systems: [
        {
          name: 'service',
          recreateOnRestart: true,
          factory: (context) => {
            builds++;
            return {
              async handle() {
                await context.clock.sleep(100);
                return new Response('slow');
              },
            };
          },
        },
        {
          name: 'client',
          factory: (context) => {
            caller = context;
            return { handle: async () => new Response() };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    const lost = (await world.drive(caller.fetch(`${world.urls.service}/`, { timeoutMs: 500 })).catch((e: unknown) => e)) as NetworkError;
    expect(lost.code).toBe('timeout');
    expect(lost.maybeProcessed).toBe(true);
    await world.drive(caller.clock.sleep(1000));
    expect((await world.drive(caller.fetch(`${world.urls.service}/`))).status).toBe(200);
    expect(builds).toBe(2);
    expect(
      world.history
        .toArray()
        .filter((e) => e.kind === 'crash' || e.kind === 'restart')
        .map((e) => e.kind),
    ).toEqual(['crash', 'restart']);
  });
});

describe('a crashed caller', () => {
  it('cancels the timers a system set when the world stops it, so nothing it scheduled is left to run', async () => {
    let context!: SystemContext;
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      faults: [],
      systems: [
        {
          name: 'crm',
          factory: (ctx) => {
            context = ctx;
            return { handle: async () => new Response(null, { status: 204 }) };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    let ran = false;
    context.clock.setTimer(60_000, () => (ran = true));
    expect(world.scheduler.pendingWork).toBe(1);
    await world.stop();
    expect(world.scheduler.pendingWork).toBe(0);
    while (world.scheduler.runNextInstant(Number.POSITIVE_INFINITY));
    expect(ran).toBe(false);
  });

  it('never hears the answer to a call it sent before dying, and sends nothing after', async () => {
    let served = 0;
    const heard: string[] = [];
    let sendLater!: () => void;
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      faults: [{ system: 'client', kind: 'crash', restartAfterMs: 1000, schedule: { kind: 'window', fromMs: 50, toMs: 51 } }],
      systems: [
        {
          name: 'service',
          factory: (context) => ({
            async handle() {
              served++;
              await context.clock.sleep(100);
              return new Response('done');
            },
          }),
        },
        {
          name: 'client',
          recreateOnRestart: true,
          factory: (context) => {
            sendLater = () => {
              // The answer comes back after the crash: a dead process would not go on to its next call.
              void context.fetch(`${context.urls.service}/inc`, { method: 'POST', timeoutMs: 5_000 }).then(
                () => heard.push('answer'),
                () => heard.push('error'),
              );
            };
            return { handle: async () => new Response() };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    await world.drive(new Promise<void>((resolve) => world.scheduler.setTimer(45, resolve)));
    const dying = sendLater;
    dying();
    await world.drive(new Promise<void>((resolve) => world.scheduler.setTimer(6_000, resolve)));
    dying();
    await world.drive(new Promise<void>((resolve) => world.scheduler.setTimer(10, resolve)));
    expect(served).toBe(1);
    expect(heard).toEqual([]);
    expect(world.history.toArray().filter((e) => e.kind === 'response')).toHaveLength(1);
  });
});

describe('the end of a run', () => {
  it('gives periodic jobs a settle window after the last real activity, not only after the load', async () => {
    const ticks: number[] = [];
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      systems: [
        {
          name: 'job',
          factory: (context) => {
            // Real work long after the load ends, and a periodic daemon that must still run after it.
            context.clock.setTimer(10_000, () => undefined);
            const tick = (): void => {
              ticks.push(context.clock.now());
              context.clock.setTimer(1_000, tick, { daemon: true });
            };
            context.clock.setTimer(1_000, tick, { daemon: true });
            return { handle: async () => new Response() };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    const { quiescent } = await world.runUntilQuiet({ loadDone: () => true, settleMs: 5_000, maxVirtualMs: 60_000 });
    expect(quiescent).toBe(true);
    expect(world.scheduler.now()).toBe(15_000);
    expect(ticks.at(-1)).toBe(15_000);
  });
});

describe('time between two instants', () => {
  it('lets a handler finish a long chain of awaits before the next instant runs', async () => {
    const seen: string[] = [];
    const world = new SimWorld({
      seed: 1,
      epochMs: 0,
      systems: [
        {
          name: 'worker',
          factory: (context) => {
            context.clock.setTimer(1, () => {
              void (async () => {
                for (let i = 0; i < 1_000; i++) await Promise.resolve();
                seen.push(`chain done at ${context.clock.now()}`);
              })();
            });
            context.clock.setTimer(2, () => seen.push(`next instant at ${context.clock.now()}`));
            return { handle: async () => new Response() };
          },
        },
      ],
    });
    await world.init();
    await world.start();
    await world.runUntilQuiet({ loadDone: () => true, settleMs: 0, maxVirtualMs: 60_000 });
    expect(seen).toEqual(['chain done at 1', 'next instant at 2']);
  });
});
