import { describe, expect, it } from 'vitest';
import { createRng } from '../../../harness/core/rng.ts';
import { backoffMs, parseDelay, parseMessageBehaviour, parseRetrySchedule, sampleDelay, CALM_MESSAGES } from '../behaviour.ts';
import { KnobError } from '../knobs.ts';

describe('behaviour knobs', () => {
  it('names the field and the allowed values when a knob is wrong', () => {
    expect(() => parseMessageBehaviour('payment: config.webhooks', { duplicate: { probability: 2 } }, CALM_MESSAGES)).toThrow(
      /payment: config\.webhooks\.duplicate\.probability must be a number from 0 to 1; got 2/,
    );
    expect(() => parseDelay('x.delay', { kind: 'gamma' }, { kind: 'fixed', ms: 0 })).toThrow(
      /x\.delay\.kind must be one of "fixed", "uniform", "exponential", "normal"/,
    );
    expect(() => parseMessageBehaviour('w', { dupliate: {} }, CALM_MESSAGES)).toThrow(
      /w\.dupliate is not a knob; allowed fields: delay, reorder, duplicate, drop/,
    );
    expect(() => parseDelay('d', { kind: 'uniform', minMs: 5, maxMs: 1 }, { kind: 'fixed', ms: 0 })).toThrow(KnobError);
  });

  it('reads a plain number as a fixed delay and samples every distribution within its bounds', () => {
    const rng = createRng(1);
    expect(parseDelay('d', 250, { kind: 'fixed', ms: 0 })).toEqual({ kind: 'fixed', ms: 250 });
    for (let i = 0; i < 200; i++) {
      const u = sampleDelay(rng, { kind: 'uniform', minMs: 10, maxMs: 20 });
      expect(u).toBeGreaterThanOrEqual(10);
      expect(u).toBeLessThanOrEqual(20);
      expect(Number.isInteger(u)).toBe(true);
      expect(sampleDelay(rng, { kind: 'normal', meanMs: 5, stdDevMs: 50 })).toBeGreaterThanOrEqual(0);
      expect(sampleDelay(rng, { kind: 'exponential', meanMs: 5 })).toBeGreaterThanOrEqual(0);
    }
  });

  it('backs off exponentially up to the cap, jitter only shortening the wait', () => {
    const rng = createRng(1);
    const schedule = parseRetrySchedule(
      'r',
      { initialBackoffMs: 100, backoffFactor: 2, maxBackoffMs: 1000, jitter: 0 },
      {
        timeoutMs: 1,
        initialBackoffMs: 1,
        backoffFactor: 1,
        maxBackoffMs: 1,
        jitter: 0,
        horizonMs: 1,
      },
    );
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffMs(schedule, n, rng))).toEqual([100, 200, 400, 800, 1000, 1000]);
    const jittered = { ...schedule, jitter: 0.5 };
    for (let i = 0; i < 100; i++) {
      const wait = backoffMs(jittered, 3, rng);
      expect(wait).toBeGreaterThanOrEqual(200);
      expect(wait).toBeLessThanOrEqual(400);
    }
  });
});
