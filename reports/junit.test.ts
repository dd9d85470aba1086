import { describe, expect, it } from 'vitest';
import type { RunResult } from '../harness/run/result.ts';
import { renderComparison } from './comparison.ts';
import { renderJunit } from './junit.ts';

function result(overrides: Partial<RunResult> = {}): RunResult {
  return {
    scenario: 'capture-retry-storm',
    seed: 7,
    mode: 'sim',
    middleware: 'naive',
    odoo: 'emulated',
    verdict: 'fail',
    invariants: [
      {
        name: 'no-duplicate-orders',
        verdict: 'fail',
        violations: 2,
        summary: '2 orders reached Odoo twice',
        examples: [{ orderRef: 'CAP-000003', message: 'S00003 & S00004 <dup>', events: [12, 40] }],
      },
      { name: 'every-order-arrives', verdict: 'pass', violations: 0, summary: 'all arrived', examples: [] },
    ],
    stats: { orders: 2, messages: 10, faultsInjected: 1, virtualMs: 1000, wallMs: 50, historyEvents: 60, quiescent: true },
    history: [],
    observations: { ledgers: {} },
    replay: {
      command: 'npx faultline run capture-retry-storm --middleware naive --seed 7',
      scenario: 'capture-retry-storm',
      seed: 7,
      mode: 'sim',
      middleware: 'naive',
      odoo: 'emulated',
    },
    ...overrides,
  };
}

describe('the JUnit report', () => {
  it('has one test case per invariant and carries evidence and the replay line on failures', () => {
    const xml = renderJunit([result()]);
    expect(xml.match(/<testcase /g)).toHaveLength(2);
    expect(xml).toContain('tests="2" failures="1" errors="0"');
    expect(xml).toContain('CAP-000003: S00003 &amp; S00004 &lt;dup&gt; (history #12, #40)');
    expect(xml).toContain('replay: npx faultline run capture-retry-storm --middleware naive --seed 7');
  });
});

describe('the side-by-side comparison', () => {
  it('is as expected when each design fails exactly the expected invariants', () => {
    const passing = result({
      middleware: 'resilient',
      verdict: 'pass',
      invariants: [{ name: 'no-duplicate-orders', verdict: 'pass', violations: 0, summary: '', examples: [] }],
    });
    const { text, asExpected } = renderComparison(
      [{ scenario: 'capture-retry-storm', results: { naive: result(), resilient: passing }, expected: { naive: ['no-duplicate-orders'], resilient: [] } }],
      ['naive', 'resilient'],
    );
    expect(asExpected).toBe(true);
    expect(text).toMatch(/capture-retry-storm\s+FAIL no-duplicate-orders\s+pass/);
  });

  it('marks a cell that differs from the expectation', () => {
    const { text, asExpected } = renderComparison([{ scenario: 'happy-path', results: { naive: result() }, expected: { naive: [] } }], ['naive']);
    expect(asExpected).toBe(false);
    expect(text).toContain('≠ expected pass');
  });
});

describe('the comparison with knock-on failures', () => {
  it('accepts failures beyond the expected ones, but not a missing expected one', () => {
    const twoFailures = result({
      invariants: [
        { name: 'no-duplicate-orders', verdict: 'fail', violations: 1, summary: '', examples: [] },
        { name: 'converges', verdict: 'fail', violations: 1, summary: '', examples: [] },
      ],
    });
    const row = (expected: string[]) => [{ scenario: 's', results: { naive: twoFailures }, expected: { naive: expected } }];
    expect(renderComparison(row(['no-duplicate-orders']), ['naive']).asExpected).toBe(true);
    expect(renderComparison(row(['money-reconciles']), ['naive']).asExpected).toBe(false);
  });
});
