import { describe, expect, it } from 'vitest';
import type { FaultSpec, LinkFaultSpec } from '../../../core/faults.ts';
import { LIVE_LINKS, networkFaultFor, planLinks, proxiesForFault, scheduledNetworkFaults } from './live-links.ts';

const slow3pl: LinkFaultSpec = { link: { from: 'middleware', to: 'logistics', path: '/shipments' }, kind: 'latency', meanMs: 20_000, jitterMs: 5_000 };

describe('planLinks', () => {
  it('gives every link its own proxy and adds one per path a network fault names', () => {
    const planned = planLinks([slow3pl, { link: { to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate' }]);
    expect(planned.filter((l) => l.path === undefined).map((l) => l.name)).toEqual(LIVE_LINKS.map((l) => `${l.from}->${l.to}`));
    // The duplicate is the sender's behaviour: it needs no proxy of its own.
    expect(planned.filter((l) => l.path !== undefined)).toEqual([
      { name: 'middleware->logistics.shipments', from: 'middleware', to: 'logistics', path: '/shipments' },
    ]);
  });

  it('adds the links of the opt-in systems a run has, and only those', () => {
    const names = (optIn: string[]) =>
      planLinks([], new Set(optIn))
        .map((l) => l.name)
        .filter((n) => n.includes('crm') || n.includes('analytics'));
    expect(names([])).toEqual([]);
    expect(names(['crm'])).toEqual(['crm->middleware', 'middleware->crm']);
    expect(names(['analytics'])).toEqual(['middleware->analytics']);
  });
});

describe('proxiesForFault', () => {
  it('puts a fault without a path on every proxy of its links, and one with a path only on that path', () => {
    const planned = planLinks([slow3pl]);
    const down: LinkFaultSpec = { link: { from: 'middleware', to: 'logistics' }, kind: 'link-down' };
    expect(proxiesForFault(down, planned).map((l) => l.name)).toEqual(['middleware->logistics', 'middleware->logistics.shipments']);
    expect(proxiesForFault(slow3pl, planned).map((l) => l.name)).toEqual(['middleware->logistics.shipments']);
  });
});

describe('networkFaultFor', () => {
  it('means what sim mode means: a lost response holds the answer, a timeout holds the request', () => {
    expect(networkFaultFor({ link: {}, kind: 'response-lost', probability: 0.3 })).toEqual({
      kind: 'timeout',
      timeoutMs: 0,
      direction: 'downstream',
      toxicity: 0.3,
    });
    expect(networkFaultFor({ link: {}, kind: 'timeout' })).toEqual({ kind: 'timeout', timeoutMs: 0, direction: 'upstream' });
    expect(networkFaultFor({ link: {}, kind: 'reset', probability: 1 })).toMatchObject({ kind: 'reset_peer', toxicity: 1 });
    expect(networkFaultFor({ link: {}, kind: 'link-down' })).toEqual({ kind: 'down' });
    expect(networkFaultFor(slow3pl)).toMatchObject({ kind: 'latency', latencyMs: 20_000, jitterMs: 5_000 });
  });

  it('refuses a message-level fault, which the sender applies', () => {
    expect(() => networkFaultFor({ link: {}, kind: 'drop' })).toThrow(/applied by the sender/);
  });
});

describe('scheduledNetworkFaults', () => {
  it('turns windows into switches on each proxy, labelled as in sim mode', () => {
    const faults: FaultSpec[] = [
      { link: { from: 'capture', to: 'middleware' }, kind: 'link-down', schedule: { kind: 'periodic', everyMs: 1_000, forMs: 200 } },
    ];
    const items = scheduledNetworkFaults(faults, planLinks(faults), 2_500);
    expect(items.map((i) => [i.link, i.label, i.startMs, i.endMs])).toEqual([
      ['capture->middleware', 'link-down@capture->middleware', 0, 200],
      ['capture->middleware', 'link-down@capture->middleware', 1_000, 1_200],
      ['capture->middleware', 'link-down@capture->middleware', 2_000, 2_200],
    ]);
    expect(new Set(items.map((i) => i.id)).size).toBe(3);
  });
});
