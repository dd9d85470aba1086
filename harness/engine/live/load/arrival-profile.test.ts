import { describe, expect, it } from 'vitest';
import { constantRate, profile, rampRate, spikeRate } from './arrival-profile.ts';

describe('arrival profiles', () => {
  it('spaces constant-rate arrivals evenly from time 0', () => {
    const p = constantRate(2_000, 1_000);
    expect(p.arrivals).toBe(2_000);
    expect(p.timeOf(0)).toBe(0);
    expect(p.timeOf(1)).toBeCloseTo(0.5, 9);
    expect(p.timeOf(1_999)).toBeCloseTo(999.5, 6);
  });

  it('ramps linearly: half the arrivals of a 0→r ramp come in its last 29 %', () => {
    const p = rampRate(0, [{ targetPerSec: 100, durationMs: 10_000 }]);
    expect(p.arrivals).toBe(500);
    // arrivals by time t (s): 100·t²/(2·10) = 5·t², so the 250th is due at sqrt(50) = 7.07 s
    expect(p.timeOf(250)).toBeCloseTo(Math.sqrt(0.5) * 10_000, 3);
    const times = Array.from({ length: p.arrivals }, (_, i) => p.timeOf(i));
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThan(times[i - 1]!);
  });

  it('ramps down as well as up, through several stages', () => {
    const p = rampRate(100, [
      { targetPerSec: 300, durationMs: 1_000 },
      { targetPerSec: 0, durationMs: 1_000 },
    ]);
    expect(p.arrivals).toBe(200 + 150);
    expect(p.timeOf(200)).toBeCloseTo(1_000, 6);
    expect(p.timeOf(349)).toBeLessThanOrEqual(2_000);
  });

  it('puts a spike’s arrivals inside its window', () => {
    const p = spikeRate({ basePerSec: 10, spikePerSec: 1_000, beforeMs: 1_000, spikeMs: 500, afterMs: 1_000 });
    expect(p.arrivals).toBe(10 + 500 + 10);
    expect(p.timeOf(9)).toBeLessThan(1_000);
    expect(p.timeOf(10)).toBeCloseTo(1_000, 6);
    expect(p.timeOf(509)).toBeLessThan(1_500);
    expect(p.timeOf(510)).toBeCloseTo(1_500, 6);
  });

  it('skips segments with no arrivals', () => {
    const p = profile('gap', [
      { durationMs: 1_000, fromPerSec: 1, toPerSec: 1 },
      { durationMs: 5_000, fromPerSec: 0, toPerSec: 0 },
      { durationMs: 1_000, fromPerSec: 1, toPerSec: 1 },
    ]);
    expect(p.arrivals).toBe(2);
    expect(p.timeOf(1)).toBe(6_000);
  });

  it('refuses bad rates and durations with a message naming the segment', () => {
    expect(() => constantRate(-5, 1_000)).toThrow(/segment 1 fromPerSec must be a non-negative rate/);
    expect(() => constantRate(5, 0)).toThrow(/segment 1 needs a positive durationMs/);
    expect(() => rampRate(0, [])).toThrow(/at least one stage/);
    expect(() => constantRate(10, 1_000).timeOf(10)).toThrow(/outside 0\.\.9/);
  });
});
