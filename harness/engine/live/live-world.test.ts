import { afterEach, describe, expect, it } from 'vitest';
import type { System, SystemContext } from '../../core/system.ts';
import { CleanupRegistry } from './processes/cleanup.ts';
import { createWallHistory } from './http/live-context.ts';
import { START_ORDER } from '../../run/systems.ts';
import { createLiveWorld } from './live-world.ts';
import { scheduleSystemFaults } from './faults/system-faults.ts';
import { wallClock } from '../../core/wall-clock.ts';
import type { LiveSystemName, SystemPlacement } from './live-world.ts';

let cleanup = new CleanupRegistry();
afterEach(async () => {
  await cleanup.runAll();
  cleanup = new CleanupRegistry();
});

const idle: System = { handle: async () => new Response('ok') };

describe('the live world', () => {
  it('counts a hosted system’s calls until their answers arrive, so the run is not judged while one can still land', async () => {
    let releaseOdoo: () => void = () => {};
    const odooAnswered = new Promise<void>((resolve) => (releaseOdoo = resolve));
    let middleware: SystemContext | undefined;
    const placements = Object.fromEntries(
      START_ORDER.map((name): [LiveSystemName, SystemPlacement] => [name, { kind: 'hosted', factory: () => idle, config: {} }]),
    ) as Record<LiveSystemName, SystemPlacement>;
    placements.odoo = {
      kind: 'hosted',
      config: {},
      factory: () => ({
        handle: async () => {
          await odooAnswered;
          return new Response('done');
        },
      }),
    };
    placements.middleware = {
      kind: 'hosted',
      config: {},
      factory: (context) => {
        middleware = context;
        return idle;
      },
    };
    const world = await createLiveWorld({ seed: 1, faults: [], placements, history: createWallHistory(), cleanup, timeScale: 1, proxies: false });
    await world.build();
    await world.start(0);

    expect(world.callsInFlight).toBe(0);
    const call = middleware!.fetch(`${middleware!.urls.odoo!}/jsonrpc`, { method: 'POST', body: '{}' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(world.callsInFlight).toBe(1);
    releaseOdoo();
    expect(await (await call).text()).toBe('done');
    expect(world.callsInFlight).toBe(0);
  });

  it('counts a system’s scheduled work until it has run, and not the timers of its periodic jobs', async () => {
    let middleware: SystemContext | undefined;
    const placements = Object.fromEntries(
      START_ORDER.map((name): [LiveSystemName, SystemPlacement] => [name, { kind: 'hosted', factory: () => idle, config: {} }]),
    ) as Record<LiveSystemName, SystemPlacement>;
    placements.middleware = {
      kind: 'hosted',
      config: {},
      factory: (context) => {
        middleware = context;
        return idle;
      },
    };
    const world = await createLiveWorld({ seed: 1, faults: [], placements, history: createWallHistory(), cleanup, timeScale: 1, proxies: false });
    await world.build();
    await world.start(0);

    let rechecked = false;
    middleware!.clock.setTimer(60_000, () => undefined, { daemon: true });
    expect(world.pendingWork().get('middleware')).toBe(0);
    middleware!.clock.setTimer(30, () => (rechecked = true));
    expect(world.pendingWork().get('middleware')).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(rechecked).toBe(true);
    expect(world.pendingWork().get('middleware')).toBe(0);
  });

  it('cancels the timers a system set when it stops the system, so nothing the system scheduled runs after', async () => {
    let crm: SystemContext | undefined;
    let stoppedBySystem = false;
    const placements = Object.fromEntries(
      START_ORDER.map((name): [LiveSystemName, SystemPlacement] => [name, { kind: 'hosted', factory: () => idle, config: {} }]),
    ) as Record<LiveSystemName, SystemPlacement>;
    placements.crm = {
      kind: 'hosted',
      config: {},
      factory: (context) => {
        crm = context;
        return { ...idle, stop: () => void (stoppedBySystem = true) };
      },
    };
    const world = await createLiveWorld({ seed: 1, faults: [], placements, history: createWallHistory(), cleanup, timeScale: 1, proxies: false });
    await world.build();
    await world.start(0);

    let ran = false;
    crm!.clock.setTimer(30, () => (ran = true));
    await world.stopSystem('crm');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(stoppedBySystem).toBe(true);
    expect(ran).toBe(false);
  });

  it('silences a crashed middleware at the crash, not at its restart: its calls never settle, and the next incarnation calls', async () => {
    const lives: SystemContext[] = [];
    const placements = Object.fromEntries(
      START_ORDER.map((name): [LiveSystemName, SystemPlacement] => [name, { kind: 'hosted', factory: () => idle, config: {} }]),
    ) as Record<LiveSystemName, SystemPlacement>;
    placements.middleware = {
      kind: 'hosted',
      config: {},
      recreateOnRestart: true,
      factory: (context) => {
        lives.push(context);
        return idle;
      },
    };
    const history = createWallHistory();
    const world = await createLiveWorld({ seed: 1, faults: [], placements, history, cleanup, timeScale: 1, proxies: false });
    await world.build();
    await world.start(0);
    const faults = scheduleSystemFaults({
      faults: [{ system: 'middleware', kind: 'crash', restartAfterMs: 300, schedule: { kind: 'window', fromMs: 0, toMs: 1 } }],
      hosts: world.hosts,
      skew: world.skew,
      restartable: world.restartable,
      history,
      clock: wallClock,
      horizonMs: 10_000,
    });
    cleanup.add('faults', () => faults.stop());

    const first = lives[0]!;
    // A dead process's code never runs again: neither an answer nor an error may resume it.
    let heard = false;
    void first.fetch(`${first.urls.odoo!}/jsonrpc`, { method: 'POST', body: '{}' }).then(
      () => (heard = true),
      () => (heard = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(heard).toBe(false);
    expect(lives).toHaveLength(2);
    const second = lives[1]!;
    expect((await second.fetch(`${second.urls.odoo!}/jsonrpc`, { method: 'POST', body: '{}' })).status).toBe(200);
  });
});
