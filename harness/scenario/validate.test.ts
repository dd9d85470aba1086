import { describe, expect, it } from 'vitest';
import { builtInScenarios } from '../../scenarios/index.ts';
import { defineScenario } from './define.ts';
import { ScenarioError, scenarioProblems } from './validate.ts';

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
    expect(problems).toEqual([{ path: 'invariants[0]', message: 'unknown invariant "no-dupes"; known: no-duplicate-orders' }]);
  });

  it('makes defineScenario throw a ScenarioError whose message lists the problems', () => {
    expect(() => defineScenario({ name: 'ok-name', description: 'd', orders: { count: -3 } })).toThrow(ScenarioError);
    expect(() => defineScenario({ name: 'ok-name', description: 'd', orders: { count: -3 } })).toThrow(/orders\.count: must be a whole number/);
  });
});
