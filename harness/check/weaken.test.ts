import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../core/faults.ts';
import { weakerFaults } from './weaken.ts';

/** Follows the first weaker candidate until there is none, counting steps. */
function weakenFully(fault: FaultSpec): { last: FaultSpec; steps: number } {
  let last = fault;
  let steps = 0;
  for (let next = weakerFaults(last)[0]; next !== undefined; next = weakerFaults(last)[0]) {
    last = next;
    steps++;
    if (steps > 100) break;
  }
  return { last, steps };
}

describe('weakening a declared fault', () => {
  it('halves its probability down to 1% and then stops', () => {
    const { last, steps } = weakenFully({ link: { to: 'middleware' }, kind: 'drop', probability: 0.3 });
    expect(last).toEqual({ link: { to: 'middleware' }, kind: 'drop', probability: 0.01 });
    expect(steps).toBe(5);
  });

  it('shortens windows and shrinks magnitudes, never below a floor', () => {
    const candidates = weakerFaults({
      link: { to: 'odoo' },
      kind: 'latency',
      meanMs: 400,
      jitterMs: 100,
      schedule: { kind: 'window', fromMs: 1000, toMs: 9000 },
    });
    expect(candidates).toContainEqual(expect.objectContaining({ meanMs: 200 }));
    expect(candidates).toContainEqual(expect.objectContaining({ jitterMs: 0 }));
    expect(candidates).toContainEqual(expect.objectContaining({ schedule: { kind: 'window', fromMs: 1000, toMs: 5000 } }));
    expect(weakerFaults({ link: { to: 'odoo' }, kind: 'delay', ms: 10 })).toEqual([]);
  });

  it('ends for every kind of fault', () => {
    const faults: FaultSpec[] = [
      { system: 'middleware', kind: 'crash', restartAfterMs: 60_000 },
      { system: 'payment', kind: 'clock-skew', offsetMs: -90_000 },
      { system: 'odoo', kind: 'serialization-failure', probability: 0.5, schedule: { kind: 'periodic', everyMs: 60_000, forMs: 20_000 } },
      { link: { to: 'middleware' }, kind: 'duplicate', copies: 3, gapMs: 100 },
      { link: { to: 'middleware' }, kind: 'reorder', windowMs: 4 * 3600_000 },
    ];
    for (const fault of faults) expect(weakenFully(fault).steps).toBeLessThan(40);
  });
});

describe('moving a declared window earlier', () => {
  it('keeps its length and never moves a system fault into the harness setup', () => {
    expect(weakerFaults({ link: { to: 'odoo' }, kind: 'drop', probability: 0.01, schedule: { kind: 'window', fromMs: 60_000, toMs: 300_000 } })).toContainEqual(
      expect.objectContaining({ schedule: { kind: 'window', fromMs: 30_000, toMs: 270_000 } }),
    );
    const outage = { system: 'odoo', kind: 'outage', schedule: { kind: 'window', fromMs: 1500, toMs: 1600 } } as const;
    expect(weakerFaults(outage)).toContainEqual(expect.objectContaining({ schedule: { kind: 'window', fromMs: 1000, toMs: 1100 } }));
    for (const candidate of weakerFaults({ ...outage, schedule: { kind: 'window', fromMs: 1000, toMs: 1100 } })) {
      expect(candidate.schedule).toMatchObject({ fromMs: 1000 });
    }
  });
});
