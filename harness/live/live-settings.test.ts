import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/scenario.ts';
import { liveSettings, MAX_DEFAULT_LIVE_TIMEOUT_MS } from './live-settings.ts';

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
});
