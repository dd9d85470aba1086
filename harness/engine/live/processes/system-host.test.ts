import { describe, expect, it } from 'vitest';
import { History } from '../../../core/history.ts';
import type { Clock } from '../../../core/clock.ts';
import { createIncarnation, hostSystem } from './system-host.ts';
import { wallClock } from '../../../core/wall-clock.ts';

/** A clock whose timers the test fires by hand: the restart happens when the test says. */
function manualClock(): Clock & { fire(): void } {
  const due: Array<() => void> = [];
  return {
    now: () => 0,
    setTimer(_ms, callback) {
      due.push(callback);
      return () => due.splice(due.indexOf(callback), 1);
    },
    sleep: async () => undefined,
    fire() {
      for (const callback of due.splice(0)) callback();
    },
  };
}

async function status(url: string): Promise<number | string> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'refused';
  }
}

describe('hostSystem', () => {
  it('answers with the outage status while an outage is on, then serves again', async () => {
    const host = await hostSystem({ name: 'odoo', history: new History(() => 0), clock: wallClock });
    try {
      host.attach({ handle: async () => new Response('ok') });
      host.setOutage(503);
      expect(await status(host.url)).toBe(503);
      host.setOutage(null);
      expect(await status(host.url)).toBe(200);
    } finally {
      await host.close();
    }
  });

  it('refuses connections after a crash and comes back on the same port with a rebuilt system', async () => {
    const clock = manualClock();
    const history = new History(() => 0);
    const host = await hostSystem({ name: 'middleware', history, clock });
    try {
      host.attach({ handle: async () => new Response('first') });
      let rebuilt = false;
      host.crash(1_000, async () => {
        rebuilt = true;
        return { handle: async () => new Response('second', { status: 201 }) };
      });
      expect(host.up).toBe(false);
      expect(await status(host.url)).toBe('refused');
      clock.fire();
      for (let turn = 0; turn < 100 && !host.up; turn++) await wallClock.sleep(5);
      expect(rebuilt).toBe(true);
      expect(await status(host.url)).toBe(201);
      expect(history.toArray().map((e) => e.kind)).toEqual(['crash', 'restart']);
    } finally {
      await host.close();
    }
  });
});

describe('createIncarnation', () => {
  it('cancels its timers when killed and applies the clock skew it is given', async () => {
    let skew = 0;
    const incarnation = createIncarnation(wallClock, () => skew);
    let fired = false;
    incarnation.clock.setTimer(10, () => {
      fired = true;
    });
    incarnation.kill();
    await wallClock.sleep(30);
    expect(fired).toBe(false);
    expect(incarnation.alive()).toBe(false);
    skew = 60_000;
    expect(incarnation.clock.now() - wallClock.now()).toBeGreaterThanOrEqual(59_000);
  });
});
