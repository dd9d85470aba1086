import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../scenarios/index.ts';
import { defineScenario } from './define.ts';
import { ScenarioError, scenarioProblems } from './validate.ts';
import type { Scenario } from './scenario.ts';

describe('scenario validation', () => {
  it('accepts every built-in scenario', () => {
    for (const scenario of builtInScenarios) expect(scenarioProblems(scenario), scenario.name).toEqual([]);
  });

  it('reports every problem at once, each with the path of the bad field', () => {
    const problems = scenarioProblems({
      name: 'Not Kebab',
      description: '',
      orders: { count: 1.5, skus: ['NOPE'] },
      faults: [
        { link: { to: 'erp' }, kind: 'latency' },
        { system: 'odoo', kind: 'meltdown' },
        { link: {}, kind: 'drop', probability: 2, schedule: { kind: 'window', fromMs: 10, toMs: 5 } },
      ],
      budget: { settleMs: -1 },
    });
    expect(problems.map((p) => p.path)).toEqual([
      'name',
      'description',
      'orders.count',
      'orders.skus[0]',
      'faults[0].link.to',
      'faults[0].meanMs',
      'faults[1].kind',
      'faults[2].probability',
      'faults[2].schedule.toMs',
      'budget.settleMs',
    ]);
    expect(problems.find((p) => p.path === 'faults[1].kind')?.message).toContain('one of crash, outage');
  });

  it('names unknown invariants and lists the known ones', () => {
    const problems = scenarioProblems({ name: 'x', description: 'x', orders: { count: 1 }, invariants: ['no-dupes'] }, ['no-duplicate-orders']);
    expect(problems).toEqual([
      {
        path: 'invariants[0]',
        message: expect.stringMatching(
          /^unknown invariant "no-dupes"; known: no-duplicate-orders \(a scenario's own invariant is an object with a check function/,
        ),
      },
    ]);
  });

  it('makes defineScenario throw a ScenarioError whose message lists the problems', () => {
    expect(() => defineScenario({ name: 'ok-name', description: 'd', orders: { count: -3 } })).toThrow(ScenarioError);
    expect(() => defineScenario({ name: 'ok-name', description: 'd', orders: { count: -3 } })).toThrow(/orders\.count: must be a whole number/);
  });

  it('rejects unknown keys at every level with a did-you-mean, all in one list', () => {
    const problems = scenarioProblems({
      name: 'typos',
      description: 'd',
      orders: { count: 5, arival: 'poisson' },
      systems: { odoo: { capacity: { worker: 2 } }, capture: { retry: { atempts: 3 } } },
      budget: { settle: 1000 },
      faults: [{ link: { to: 'odoo', from: 'middleware' }, kind: 'latency', meanMs: 10, jiterMs: 5 }],
      expectations: {},
    });
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['budget.settle', 'expectations', 'faults[0].jiterMs', 'orders.arival', 'systems.capture.retry.atempts', 'systems.odoo.capacity.worker'].sort(),
    );
    const byPath = new Map(problems.map((p) => [p.path, p.message]));
    expect(byPath.get('orders.arival')).toContain('did you mean "arrival"?');
    expect(byPath.get('systems.odoo.capacity.worker')).toContain('did you mean "workers"?');
    expect(byPath.get('budget.settle')).toContain('did you mean "settleMs"?');
    expect(byPath.get('systems.capture.retry.atempts')).toContain('did you mean "attempts"?');
    expect(byPath.get('faults[0].jiterMs')).toContain('did you mean "jitterMs"?');
  });

  it('checks system knob values when the scenario loads', () => {
    const problems = scenarioProblems({ name: 'knobs', description: 'd', orders: { count: 5 }, systems: { payment: { failureProbability: 2 } } });
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('systems.payment.failureProbability');
    expect(problems[0]?.message).toContain('from 0 to 1');
  });

  it("types each system's knobs as the loader reads them: what an editor flags, loading rejects", () => {
    const misspelt: Scenario = {
      name: 'typed',
      description: 'd',
      orders: { count: 1 },
      systems: {
        capture: {
          retry: {
            // @ts-expect-error: the knob is `attempts`
            atempts: 3,
          },
        },
      },
    };
    const mistyped: Scenario = {
      name: 'typed',
      description: 'd',
      orders: { count: 1 },
      systems: {
        payment: {
          // @ts-expect-error: a probability is a number
          failureProbability: 'often',
        },
      },
    };
    const shorthand: Scenario = { name: 'typed', description: 'd', orders: { count: 1 }, systems: { logistics: { webhooks: { delay: 200 } } } };
    expect(scenarioProblems(misspelt).map((p) => p.path)).toEqual(['systems.capture.retry.atempts']);
    expect(scenarioProblems(mistyped).map((p) => p.path)).toEqual(['systems.payment.failureProbability']);
    expect(scenarioProblems(shorthand)).toEqual([]);
  });

  it('knows the request paths of each link and suggests the nearest one', () => {
    const problems = scenarioProblems({
      name: 'links',
      description: 'd',
      orders: { count: 5 },
      faults: [
        { link: { from: 'logistics', to: 'middleware', path: '/webhook/logistics' }, kind: 'drop' },
        { link: { from: 'odoo', to: 'capture' }, kind: 'drop' },
        { link: { from: 'middleware', to: 'odoo', path: '/xmlrpc/2/object' }, kind: 'drop' },
      ],
    });
    expect(problems.map((p) => p.path)).toEqual(['faults[0].link.path', 'faults[1].link']);
    expect(problems[0]?.message).toContain('did you mean "/webhooks/logistics"?');
    expect(problems[1]?.message).toContain('no requests go from odoo to capture');
  });
});
