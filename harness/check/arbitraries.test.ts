import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultSpec } from '../core/faults.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { systemConfigs } from '../scenario/system-configs.ts';
import { scenarioProblems } from '../scenario/validate.ts';
import { CHECK_LINKS, GENERATED_FAULT_KINDS, caseArbitrary } from './arbitraries.ts';
import type { CheckCase } from './case.ts';
import { scenarioForCase } from './case.ts';
import { captureLongestBackoffMs, capturePatienceMs } from './sender-patience.ts';

const storm: Scenario = {
  name: 'storm',
  description: 'orders retried after lost answers',
  seed: 7,
  orders: { count: 40, ratePerSecond: 4, skus: ['FL-STOCK-01', 'FL-CONSU-01'] },
  faults: [{ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.3 }],
  budget: { settleMs: 600_000 },
};

describe('generated cases', () => {
  it('are valid scenarios that survive a trip through JSON unchanged', () => {
    fc.assert(
      fc.property(caseArbitrary(storm, { maxOrders: 40 }), (checkCase) => {
        const scenario = scenarioForCase(storm, checkCase);
        expect(scenarioProblems(scenario)).toEqual([]);
        expect(JSON.parse(JSON.stringify(checkCase))).toEqual(checkCase);
        expect(JSON.parse(JSON.stringify(scenario))).toEqual(scenario);
      }),
      { numRuns: 300, seed: 11 },
    );
  });

  it("keep the scenario's own faults and stay within its skus and the order cap", () => {
    for (const checkCase of fc.sample(caseArbitrary(storm, { maxOrders: 12 }), { numRuns: 100, seed: 3 })) {
      expect(checkCase.overrides.faults.slice(0, 1)).toEqual(storm.faults);
      expect(checkCase.overrides.orders.count).toBeGreaterThanOrEqual(1);
      expect(checkCase.overrides.orders.count).toBeLessThanOrEqual(12);
      for (const sku of checkCase.overrides.orders.skus) expect(storm.orders.skus).toContain(sku);
    }
  });

  it('place faults only on the links of the integration, and duplicates only where senders repeat themselves', () => {
    const known = CHECK_LINKS.map((l) => JSON.stringify(l));
    for (const checkCase of fc.sample(caseArbitrary(storm, { maxOrders: 40, keepFaults: false, maxExtraFaults: 5 }), { numRuns: 200, seed: 5 })) {
      for (const fault of checkCase.overrides.faults) {
        if ('link' in fault) {
          expect(known).toContain(JSON.stringify(fault.link));
          if (fault.kind === 'duplicate') expect(fault.link.to).toBe('middleware');
        } else {
          expect(['odoo', 'payment', 'logistics', 'middleware']).toContain(fault.system);
        }
      }
    }
  });

  it('price some orders in mills, so totals need Odoo to round, with few enough units that a design can absorb the drift', () => {
    const cases = fc.sample(caseArbitrary(storm, { maxOrders: 40 }), { numRuns: 200, seed: 8 });
    const mills = cases.filter((c) => c.overrides.orders.pricing !== undefined);
    expect(mills.length).toBeGreaterThan(20);
    expect(mills.length).toBeLessThan(cases.length);
    for (const checkCase of mills) {
      expect(checkCase.overrides.orders.maxLines).toBeLessThanOrEqual(4);
      const scenario = scenarioForCase(storm, checkCase);
      expect(scenario.systems?.capture).toMatchObject({ priceDigits: 3, maxQuantity: 3 });
      expect(scenario.orders).not.toHaveProperty('pricing');
    }
  });

  it('draw some cases from a few returning customers, so one customer has orders in flight at once', () => {
    const cases = fc.sample(caseArbitrary(storm, { maxOrders: 40 }), { numRuns: 200, seed: 9 });
    const returning = cases.filter((c) => c.overrides.orders.returningCustomers !== undefined);
    expect(returning.length).toBeGreaterThan(20);
    expect(returning.length).toBeLessThan(cases.length / 2);
    for (const checkCase of returning) {
      const count = checkCase.overrides.orders.returningCustomers!;
      expect(count).toBeGreaterThanOrEqual(1);
      expect(count).toBeLessThanOrEqual(5);
      const retyped = checkCase.overrides.orders.retypedEmails;
      const scenario = scenarioForCase(storm, checkCase);
      expect(scenario.systems?.capture?.customerBook).toEqual(retyped === undefined ? { seed: 1, count } : { seed: 1, count, retyped });
      expect(scenario.orders).not.toHaveProperty('returningCustomers');
      expect(scenario.orders).not.toHaveProperty('retypedEmails');
    }
    // About half of the books have customers who type their email in another case now and then.
    const retyping = returning.filter((c) => c.overrides.orders.retypedEmails !== undefined);
    expect(retyping.length).toBeGreaterThan(returning.length / 4);
    expect(retyping.length).toBeLessThan((returning.length * 3) / 4);
  });

  it("keep a CRM scenario's customers: the storefront and the CRM share one book, which half of the cases retype", () => {
    const withCrm: Scenario = { ...storm, systems: { crm: { customers: { seed: 4, count: 8 } } } };
    const cases = fc.sample(caseArbitrary(withCrm, { maxOrders: 10 }), { numRuns: 100, seed: 9 });
    for (const checkCase of cases) {
      expect(checkCase.overrides.orders.returningCustomers).toBeUndefined();
      const retyped = checkCase.overrides.orders.retypedEmails;
      // What the storefront is built with: the CRM's people, typed in another case in the retyping cases.
      const book = systemConfigs(scenarioForCase(withCrm, checkCase)).capture.customerBook;
      expect(book).toEqual(retyped === undefined ? { seed: 4, count: 8 } : { seed: 4, count: 8, retyped });
    }
    const retyping = cases.filter((c) => c.overrides.orders.retypedEmails !== undefined);
    expect(retyping.length).toBeGreaterThan(cases.length / 4);
    expect(retyping.length).toBeLessThan((cases.length * 3) / 4);
  });

  it("leave a scenario's own book alone when its customers already retype their emails", () => {
    const retyping: Scenario = { ...storm, systems: { capture: { customerBook: { seed: 2, count: 3, retyped: 0.2 } } } };
    for (const checkCase of fc.sample(caseArbitrary(retyping, { maxOrders: 10 }), { numRuns: 50, seed: 9 })) {
      expect(checkCase.overrides.orders.retypedEmails).toBeUndefined();
      expect(systemConfigs(scenarioForCase(retyping, checkCase)).capture.customerBook).toEqual({ seed: 2, count: 3, retyped: 0.2 });
    }
  });

  it('raise an aimed share in a case of few orders to about three orders, at most half, so the aim strikes', () => {
    const point = {
      operation: 'odoo res.partner.create',
      link: { from: 'middleware', to: 'odoo', odoo: { model: 'res.partner', method: 'create' } },
      times: [500, 9_000],
    };
    const cases = fc.sample(caseArbitrary(storm, { maxOrders: 12, aim: { point, kind: 'arrives-late' } }), { numRuns: 200, seed: 12 });
    for (const checkCase of cases) {
      const count = checkCase.overrides.orders.count;
      const aimed = checkCase.overrides.faults.find((f) => 'link' in f && f.link.odoo?.model === 'res.partner');
      expect(aimed).toMatchObject({ kind: 'delay' });
      const share = (aimed as { probability: number }).probability;
      expect(share).toBeGreaterThanOrEqual(Math.min(0.5, Math.round(300 / count) / 100));
      expect(share).toBeLessThanOrEqual(0.5);
    }
    expect(cases.some((c) => c.overrides.orders.count === 1)).toBe(true);
  });

  it("forge only signed webhooks, each with a lie about the sender's own records", () => {
    const forged = fc
      .sample(caseArbitrary(storm, { maxOrders: 10, keepFaults: false, maxExtraFaults: 5, faultKinds: ['forge'] }), { numRuns: 100, seed: 4 })
      .flatMap((c) => c.overrides.faults);
    expect(forged.length).toBeGreaterThan(0);
    for (const fault of forged) {
      expect(fault.kind).toBe('forge');
      expect(['/webhooks/payment', '/webhooks/logistics']).toContain('link' in fault ? fault.link.path : undefined);
    }
  });

  it("make a blacked-out webhook sender give up before the blackout ends, keeping the scenario's other retry knobs", () => {
    const patient: Scenario = { ...storm, systems: { payment: { retry: { initialBackoffMs: 30_000 } } } };
    const aim = {
      point: {
        operation: 'payment→middleware /webhooks/payment',
        link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' },
        times: [1_000, 9_000],
      },
      kind: 'blackout' as const,
    };
    for (const checkCase of fc.sample(caseArbitrary(patient, { maxOrders: 10, aim }), { numRuns: 20, seed: 2 })) {
      const blackout = checkCase.overrides.faults.find((f) => f.kind === 'link-down' && 'link' in f && f.link.path === '/webhooks/payment')!;
      const window = blackout.schedule as { fromMs: number; toMs: number };
      const retry = scenarioForCase(patient, checkCase).systems?.payment?.retry as { horizonMs: number; initialBackoffMs: number };
      expect(retry.initialBackoffMs).toBe(30_000);
      expect(retry.horizonMs).toBeLessThan(window.toMs - window.fromMs);
    }
  });

  /** A restart while cut off, aimed at the order creates of a fault-free run. */
  const cutOffAim = {
    point: {
      operation: 'odoo sale.order.create',
      link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'create' } },
      times: [1_000, 9_000],
    },
    kind: 'restart-cut-off' as const,
  };

  it("cut off a fact source only when the scenario leaves its messages alone, and let that source's messages through", () => {
    const losesShipments: Scenario = { ...storm, systems: { logistics: { webhooks: { drop: { probability: 0.3 } } } } };
    const cutOff = (base: Scenario) =>
      fc.sample(caseArbitrary(base, { maxOrders: 10, aim: cutOffAim, maxExtraFaults: 5 }), { numRuns: 60, seed: 9 }).map((c) => {
        const outage = c.overrides.faults.find((f) => f.kind === 'outage' && 'system' in f && f.system !== 'odoo');
        const system = outage !== undefined && 'system' in outage ? outage.system : undefined;
        if (system !== undefined) expect(c.overrides.faults.filter((f) => 'link' in f && f.link.from === system)).toEqual([]);
        return system;
      });
    expect(new Set(cutOff(storm))).toEqual(new Set(['logistics', 'payment']));
    expect(new Set(cutOff(losesShipments))).toEqual(new Set(['payment']));
  });

  it("keep clocks steady on the cut-off source and the middleware, whose step would refuse the source's webhooks, and in a crash loop", () => {
    const cases = fc.sample(caseArbitrary(storm, { maxOrders: 10, aim: cutOffAim, maxExtraFaults: 5, faultKinds: ['clock-skew'], swarm: false }), {
      numRuns: 100,
      seed: 9,
    });
    const skewed = (c: CheckCase) => c.overrides.faults.flatMap((f) => (f.kind === 'clock-skew' && 'system' in f ? [f.system] : []));
    let cutOffCases = 0;
    for (const c of cases) {
      const outage = c.overrides.faults.find((f) => f.kind === 'outage' && 'system' in f && f.system !== 'odoo');
      if (outage === undefined || !('system' in outage)) continue;
      cutOffCases++;
      for (const system of skewed(c)) expect([outage.system, 'middleware']).not.toContain(system);
    }
    expect(cutOffCases).toBeGreaterThan(10);
    // Nor any clock in a crash loop, whose lives end before a reconciliation pass would run.
    const loop = { ...cutOffAim, kind: 'crash-loop' as const };
    const looping = fc.sample(caseArbitrary(storm, { maxOrders: 10, aim: loop, maxExtraFaults: 5, faultKinds: ['clock-skew'], swarm: false }), {
      numRuns: 40,
      seed: 9,
    });
    expect(looping.filter((c) => c.overrides.faults.some((f) => f.kind === 'crash')).length).toBeGreaterThan(10);
    for (const c of looping) expect(skewed(c)).toEqual([]);
    // Without a cut-off, any of the three clocks steps.
    const steady = caseArbitrary(storm, { maxOrders: 10, maxExtraFaults: 5, faultKinds: ['clock-skew'], swarm: false });
    expect(new Set(fc.sample(steady, { numRuns: 60, seed: 9 }).flatMap(skewed))).toEqual(new Set(['middleware', 'logistics', 'payment']));
  });

  it('are the same for the same fast-check seed', () => {
    const first = fc.sample(caseArbitrary(storm, { maxOrders: 40 }), { numRuns: 20, seed: 42 });
    const again = fc.sample(caseArbitrary(storm, { maxOrders: 40 }), { numRuns: 20, seed: 42 });
    expect(again).toEqual(first);
  });
});

describe('shrinking a failing case', () => {
  /** A stand-in for a middleware that duplicates orders once three arrive while payment webhooks repeat. */
  const breaks = (checkCase: CheckCase): boolean =>
    checkCase.overrides.orders.count >= 3 &&
    checkCase.overrides.faults.some((f) => f.kind === 'duplicate' && 'link' in f && f.link.path === '/webhooks/payment');

  it('goes to the fewest orders and the fewest, weakest, shortest faults that still fail', () => {
    const details = fc.check(
      fc.property(caseArbitrary(storm, { maxOrders: 200, maxExtraFaults: 4 }), (checkCase) => !breaks(checkCase)),
      { numRuns: 2000, seed: 9 },
    );
    expect(details.failed).toBe(true);
    const [minimal] = details.counterexample!;
    expect(minimal.overrides.orders.count).toBe(3);
    expect(minimal.overrides.faults).toHaveLength(1);
    const fault = minimal.overrides.faults[0] as Extract<FaultSpec, { kind: 'duplicate' }>;
    expect(fault).toMatchObject({ kind: 'duplicate', probability: 0.01, copies: 1, gapMs: 0, schedule: { kind: 'window', fromMs: 0, toMs: 1000 } });
    expect(minimal.overrides.orders).toMatchObject({ maxLines: 1, ratePerSecond: 4, arrival: 'poisson' });
    expect(minimal.overrides.orders.skus).toHaveLength(1);
  });

  it("weakens the scenario's own faults rather than dropping what the failure needs", () => {
    const needsLostAnswers = (checkCase: CheckCase): boolean => checkCase.overrides.faults.some((f) => f.kind === 'response-lost');
    const details = fc.check(
      fc.property(caseArbitrary(storm, { maxOrders: 40 }), (checkCase) => !needsLostAnswers(checkCase)),
      { numRuns: 50, seed: 2 },
    );
    const [minimal] = details.counterexample!;
    expect(minimal.overrides.faults).toEqual([{ ...storm.faults![0], probability: 0.01 }]);
  });
});

describe('generated system faults', () => {
  it('start after the harness has set Odoo up', () => {
    for (const checkCase of fc.sample(caseArbitrary(storm, { maxOrders: 40, keepFaults: false, maxExtraFaults: 5 }), { numRuns: 200, seed: 8 })) {
      for (const fault of checkCase.overrides.faults) {
        if ('system' in fault && fault.schedule?.kind === 'window') expect(fault.schedule.fromMs).toBeGreaterThanOrEqual(1000);
      }
    }
  });
});

describe('choosing the kinds of generated faults', () => {
  it('generates only the kinds asked for', () => {
    const kinds = ['duplicate', 'outage'];
    const cases = fc.sample(caseArbitrary(storm, { maxOrders: 10, keepFaults: false, maxExtraFaults: 4, faultKinds: kinds }), { numRuns: 100, seed: 4 });
    const seen = new Set(cases.flatMap((c) => c.overrides.faults.map((f) => f.kind)));
    expect([...seen].sort()).toEqual(kinds.sort());
  });

  it('knows every kind it can generate', () => {
    expect(GENERATED_FAULT_KINDS).toEqual(
      expect.arrayContaining(['duplicate', 'response-lost', 'reorder', 'link-down', 'crash', 'outage', 'serialization-failure']),
    );
  });
});

describe('faults that would only test the storefront', () => {
  const patient = { ...storm, systems: { capture: { retry: { attempts: 4, initialBackoffMs: 1000, backoffFactor: 2, jitter: 0.5 } } } };

  it('measures how long the capture platform keeps retrying at least', () => {
    expect(capturePatienceMs(patient)).toBe(3500);
  });

  it('are not generated: order submissions always get through, and a middleware crash ends before the storefront gives up', () => {
    const cutting = ['drop', 'timeout', 'reset', 'http-error', 'link-down'];
    for (const checkCase of fc.sample(caseArbitrary(patient, { maxOrders: 40, keepFaults: false, maxExtraFaults: 5 }), { numRuns: 300, seed: 12 })) {
      for (const fault of checkCase.overrides.faults) {
        if ('link' in fault && fault.link.path === '/orders') expect(cutting).not.toContain(fault.kind);
        if (fault.kind === 'crash') expect(fault.restartAfterMs).toBeLessThan(3500);
      }
    }
  });

  it('are not generated together either: crashes closer than the longest back-off add up to less than the patience', () => {
    expect(captureLongestBackoffMs(patient)).toBe(4000);
    let together = 0;
    for (const checkCase of fc.sample(caseArbitrary(patient, { maxOrders: 40, keepFaults: false, maxExtraFaults: 5, faultKinds: ['crash'] }), {
      numRuns: 300,
      seed: 13,
    })) {
      const downtimes = checkCase.overrides.faults
        .flatMap((f) => (f.kind === 'crash' && f.schedule?.kind === 'window' ? [[f.schedule.fromMs, f.schedule.fromMs + f.restartAfterMs] as const] : []))
        .sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < downtimes.length; i++) {
        const [previous, next] = [downtimes[i - 1]!, downtimes[i]!];
        if (next[0] - previous[1] >= 4000) continue;
        together++;
        expect(Math.max(previous[1], next[1]) - previous[0]).toBeLessThan(3500);
      }
    }
    // Crashes a moment apart are still generated, as long as the storefront outlasts them together.
    expect(together).toBeGreaterThan(0);
  });
});
