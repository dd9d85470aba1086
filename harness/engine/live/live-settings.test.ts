import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenario/scenario.ts';
import { liveSettings, MAX_DEFAULT_LIVE_TIMEOUT_MS, onLiveTime } from './live-settings.ts';

const short: Scenario = { name: 'short', description: 'a quick one', orders: { count: 40, ratePerSecond: 2 } };

describe('live settings', () => {
  it('bounds a short scenario by its scaled budget', () => {
    expect(liveSettings(short).timeoutMs).toBeLessThanOrEqual(MAX_DEFAULT_LIVE_TIMEOUT_MS);
  });

  it('runs past the last fault window, so a run is not judged while the fault is still on', () => {
    const outage: Scenario = {
      name: 'outage',
      description: 'Odoo down from the first to the fifth minute',
      orders: { count: 60, ratePerSecond: 0.2 },
      faults: [{ system: 'odoo', kind: 'outage', status: 503, schedule: { kind: 'window', fromMs: 60_000, toMs: 300_000 } }],
    };
    expect(liveSettings(outage).timeoutMs).toBeGreaterThanOrEqual(300_000 + 120_000);
  });

  it('runs past the last arrival of a slow load', () => {
    const slow: Scenario = { name: 'slow', description: 'one order every ten seconds', orders: { count: 40, ratePerSecond: 0.1 } };
    expect(liveSettings(slow).timeoutMs).toBeGreaterThan(400_000);
  });

  it('lets --live-timeout decide when it is given', () => {
    expect(liveSettings(short, { timeoutMs: 45_000 }).timeoutMs).toBe(45_000);
  });

  it('plays a scenario with a CRM or an analytics sink on business time: arrivals and fault windows squeezed by the time scale', () => {
    const outage = { system: 'analytics', kind: 'outage', schedule: { kind: 'window', fromMs: 1_800_000, toMs: 61_200_000 } } as const;
    const day: Scenario = {
      name: 'day',
      description: 'a day of orders',
      orders: { count: 30, ratePerSecond: 0.05 },
      systems: { analytics: {} },
      faults: [outage],
    };
    const played = onLiveTime(day, 1 / 120);
    expect(played.orders.ratePerSecond).toBeCloseTo(6, 9);
    expect(played.faults).toEqual([{ ...outage, schedule: { kind: 'window', fromMs: 15_000, toMs: 510_000 } }]);
    // The 17-hour outage would need more than the longest default run; squeezed, it fits with time to recover.
    expect(liveSettings(day).timeoutMs).toBe(510_000 + 180_000);
    // A load or network test keeps its real-time arrivals and windows.
    expect(onLiveTime({ ...day, systems: {} }, 1 / 120)).toEqual({ ...day, systems: {} });
  });
});
