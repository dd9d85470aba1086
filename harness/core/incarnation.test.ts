import { describe, expect, it } from 'vitest';
import { createIncarnation } from './incarnation.ts';
import { VirtualScheduler } from './scheduler.ts';

describe('an incarnation', () => {
  it('releases what its system registered when a crash kills it, once', () => {
    const life = createIncarnation(new VirtualScheduler(0), () => 0);
    let closed = 0;
    life.onKill(() => closed++);
    expect(closed).toBe(0);
    life.kill();
    life.kill();
    expect(closed).toBe(1);
  });

  it('releases at once what is registered after its death', () => {
    const life = createIncarnation(new VirtualScheduler(0), () => 0);
    life.kill();
    let closed = false;
    life.onKill(() => (closed = true));
    expect(closed).toBe(true);
  });

  it('counts its pending work but not its periodic daemons', () => {
    const life = createIncarnation(new VirtualScheduler(0), () => 0);
    life.clock.setTimer(1_000, () => undefined, { daemon: true });
    const cancel = life.clock.setTimer(1_000, () => undefined);
    expect(life.pendingWork()).toBe(1);
    cancel();
    expect(life.pendingWork()).toBe(0);
  });

  it('never lets a dead incarnation hear an answer or send again', async () => {
    const life = createIncarnation(new VirtualScheduler(0), () => 0);
    let sent = 0;
    let answer: (response: Response) => void = () => undefined;
    const fetch = life.fence(() => {
      sent++;
      return new Promise<Response>((resolve) => (answer = resolve));
    });
    let heard = false;
    void fetch('http://odoo/').then(
      () => (heard = true),
      () => (heard = true),
    );
    life.kill();
    answer(new Response('ok'));
    void fetch('http://odoo/').then(
      () => (heard = true),
      () => (heard = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heard).toBe(false);
    expect(sent).toBe(1);
  });

  it('passes answers and failures through while it lives', async () => {
    const life = createIncarnation(new VirtualScheduler(0), () => 0);
    const ok = life.fence(async () => new Response('ok'));
    const broken = life.fence(async () => {
      throw new Error('refused');
    });
    expect(await (await ok('http://odoo/')).text()).toBe('ok');
    await expect(broken('http://odoo/')).rejects.toThrow('refused');
  });
});
