import { describe, expect, it } from 'vitest';
import type { LinkFaultSpec } from './faults.ts';
import { planMessage } from './message-plan.ts';
import { createRng } from './rng.ts';

const link = { from: 'capture', to: 'middleware' };
const bytes = (): number => 2_000;

describe('planMessage', () => {
  it('plans the same message the same way for the same seed', () => {
    const faults: LinkFaultSpec[] = [
      { link, kind: 'latency', meanMs: 200, jitterMs: 50, distribution: 'normal' },
      { link, kind: 'duplicate', probability: 0.5, copies: 2, gapMs: 10 },
      { link, kind: 'reorder', windowMs: 1_000 },
    ];
    const plans = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => planMessage(faults, rng, { bytes }));
    };
    expect(plans(7)).toEqual(plans(7));
    expect(plans(7)).not.toEqual(plans(8));
  });

  it('splits latency between the two legs on top of the link’s own delay, and charges bandwidth by size', () => {
    const plan = planMessage(
      [
        { link, kind: 'latency', meanMs: 100 },
        { link, kind: 'bandwidth', bytesPerSecond: 1_000 },
      ],
      createRng(1),
      { bytes, baseDelayMs: 1 },
    );
    expect(plan).toMatchObject({ delayMs: 1 + 50 + 2_000, returnDelayMs: 1 + 50 });
  });

  it('keeps the first of each outcome when several faults decide it', () => {
    const plan = planMessage(
      [
        { link, kind: 'http-error', status: 502 },
        { link, kind: 'http-error', status: 503 },
        { link, kind: 'drop' },
        { link, kind: 'response-lost' },
        { link, kind: 'reset' },
        { link, kind: 'link-down' },
      ],
      createRng(1),
      { bytes },
    );
    expect(plan.httpError?.status).toBe(502);
    expect(plan.lost).toBeDefined();
    expect(plan.answerLost).toBeDefined();
    expect(plan.failure).toMatchObject({ code: 'reset' });
  });

  it('scales business-time delays by live mode’s time scale, and leaves latency alone', () => {
    const faults: LinkFaultSpec[] = [
      { link, kind: 'delay', ms: 60_000 },
      { link, kind: 'duplicate', gapMs: 1_200 },
    ];
    expect(planMessage(faults, createRng(1), { bytes, timeScale: 1 / 120 })).toMatchObject({ delayMs: 500, copies: 1, gapMs: 10 });
  });

  it('names the first delay or reorder fault that holds a message, and how long they hold it together', () => {
    const faults: LinkFaultSpec[] = [
      { link, kind: 'latency', meanMs: 100 },
      { id: 'slow-webhooks', link, kind: 'delay', ms: 3_000 },
      { link, kind: 'reorder', windowMs: 1_000 },
    ];
    const plan = planMessage(faults, createRng(1), { bytes, baseDelayMs: 1 });
    expect(plan.delayedBy).toBe('slow-webhooks');
    expect(plan.heldMs).toBeGreaterThanOrEqual(3_000);
    expect(plan.heldMs).toBeLessThan(4_000);
    expect(plan.delayMs).toBeCloseTo(1 + 50 + plan.heldMs);
    expect(planMessage([{ link, kind: 'latency', meanMs: 100 }], createRng(1), { bytes }).delayedBy).toBeUndefined();
  });

  it('spares a message when a fault’s probability says so', () => {
    const never: LinkFaultSpec[] = [
      { link, kind: 'drop', probability: 0 },
      { link, kind: 'forge', set: { amount: 0 }, probability: 0 },
    ];
    expect(planMessage(never, createRng(1), { bytes })).toEqual({ delayMs: 0, returnDelayMs: 0, heldMs: 0, copies: 0, gapMs: 0 });
  });

  it('holds only the share of messages a delay’s probability names, so the others overtake them', () => {
    const delay: LinkFaultSpec[] = [{ link, kind: 'delay', ms: 12_000, probability: 0.25 }];
    const rng = createRng(7);
    const held = Array.from({ length: 2_000 }, () => planMessage(delay, rng, { bytes }).heldMs).filter((ms) => ms > 0);
    expect(new Set(held)).toEqual(new Set([12_000]));
    expect(held.length / 2_000).toBeGreaterThan(0.2);
    expect(held.length / 2_000).toBeLessThan(0.3);
  });
});
