import { describe, expect, it } from 'vitest';
import { Histogram, HISTOGRAM_MAX_VALUE } from './histogram.ts';

describe('Histogram', () => {
  it('reports exact percentiles for small values', () => {
    const h = new Histogram();
    for (let v = 1; v <= 100; v++) h.record(v);
    expect(h.summary()).toEqual({ count: 100, min: 1, mean: 50.5, p50: 50, p95: 95, p99: 99, max: 100 });
  });

  it('stays within 0.1 % of the true value at every scale', () => {
    for (const value of [2_049, 12_345, 999_999, 7_654_321, 3_600_000_000, 2 ** 40 + 12_345]) {
      const h = new Histogram();
      h.record(value);
      h.record(1);
      const reported = h.percentile(99);
      expect(reported).toBeGreaterThanOrEqual(value);
      expect((reported - value) / value).toBeLessThan(0.001);
      expect(h.percentile(100)).toBe(value);
    }
  });

  it('never under-reports a percentile across bucket edges', () => {
    const h = new Histogram();
    const values: number[] = [];
    for (let i = 0; i < 5_000; i++) values.push(Math.floor((i * 7919) % 1_000_003) * 13);
    for (const v of values) h.record(v);
    values.sort((a, b) => a - b);
    for (const p of [1, 25, 50, 90, 99, 99.9]) {
      const truth = values[Math.ceil((p / 100) * values.length) - 1]!;
      const reported = h.percentile(p);
      expect(reported).toBeGreaterThanOrEqual(truth);
      expect(reported - truth).toBeLessThanOrEqual(Math.max(1, truth / 1000));
    }
  });

  it('merges another histogram', () => {
    const a = new Histogram();
    const b = new Histogram();
    a.record(10, 3);
    b.record(1_000_000);
    a.merge(b);
    expect(a.count).toBe(4);
    expect(a.min).toBe(10);
    expect(a.max).toBe(1_000_000);
    expect(a.percentile(75)).toBe(10);
  });

  it('clamps values beyond its range and counts them', () => {
    const h = new Histogram();
    h.record(HISTOGRAM_MAX_VALUE * 4);
    expect(h.clamped).toBe(1);
    expect(h.max).toBe(HISTOGRAM_MAX_VALUE);
  });

  it('refuses negative or non-finite values and bad percentiles', () => {
    const h = new Histogram();
    expect(() => h.record(-1)).toThrow(/finite and non-negative/);
    expect(() => h.record(Number.NaN)).toThrow(/finite and non-negative/);
    expect(() => h.percentile(101)).toThrow(/0\.\.100/);
    expect(h.summary()).toEqual({ count: 0, min: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
  });
});
