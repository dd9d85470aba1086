import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import type { RunResult } from '../run/result.ts';
import { describeCase, describeFailure, describeFault, orderLetter } from './describe.ts';

describe('a case in words', () => {
  it('names orders and each fault by what it does, where and when', () => {
    const words = describeCase({
      name: 'x',
      description: 'x',
      orders: { count: 2 },
      faults: [
        { link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate', probability: 0.5, copies: 1, gapMs: 300 },
        { system: 'odoo', kind: 'outage', status: 503, schedule: { kind: 'window', fromMs: 60_000, toMs: 300_000 } },
      ],
    });
    expect(words).toBe('2 orders; 50% of payment webhooks delivered twice 300 ms apart; odoo answers 503 to everything from 60 s to 5 min');
  });

  it('says what a lost answer, a crash and a slow link are', () => {
    expect(describeFault({ link: { from: 'capture', to: 'middleware', path: '/orders' }, kind: 'response-lost', probability: 0.3 })).toBe(
      'the answer to 30% of order submissions (capture → middleware) lost after the receiver processed it',
    );
    expect(describeFault({ system: 'middleware', kind: 'crash', restartAfterMs: 20_000, schedule: { kind: 'window', fromMs: 5_000, toMs: 25_000 } })).toBe(
      'middleware crashes at 5 s and restarts 20 s later',
    );
    expect(describeFault({ link: { from: 'middleware', to: 'odoo' }, kind: 'latency', meanMs: 200, jitterMs: 50 })).toBe(
      "the middleware's Odoo calls slowed by 200 ms ± 50 ms",
    );
  });

  it('names the one Odoo method a fault aims at', () => {
    expect(
      describeFault({
        link: { from: 'middleware', to: 'odoo', odoo: { model: 'sale.order', method: 'action_confirm' } },
        kind: 'response-lost',
        probability: 0.2,
      }),
    ).toBe("the answer to 20% of the middleware's Odoo calls to sale.order.action_confirm lost after the receiver processed it");
  });

  it('calls the first orders A, B, C', () => {
    expect(orderLetter('CAP-000001')).toBe('A');
    expect(orderLetter('CAP-000003')).toBe('C');
    expect(orderLetter('CAP-000040')).toBe('CAP-000040');
  });
});

describe('a failure in words', () => {
  const at = (seq: number, t: number) => ({ seq, t });
  const history: HistoryEvent[] = [
    { ...at(0, 1000), kind: 'send', req: 1, from: 'payment', to: 'middleware', method: 'POST', path: '/webhooks/payment', corr: 'CAP-000001', attempt: 1 },
    { ...at(1, 1001), kind: 'deliver', req: 1 },
    { ...at(2, 1301), kind: 'duplicate', req: 1, fault: 'duplicate' },
    { ...at(3, 1301), kind: 'deliver', req: 1 },
    { ...at(4, 2000), kind: 'send', req: 2, from: 'capture', to: 'middleware', method: 'POST', path: '/orders', corr: 'CAP-000002', attempt: 1 },
    { ...at(5, 2000), kind: 'delay', req: 2, fault: 'reorder@capture->middleware', ms: 1_500 },
    { ...at(6, 3501), kind: 'deliver', req: 2 },
    { ...at(7, 3550), kind: 'drop', req: 2, fault: 'response-lost' },
  ];
  const result = {
    history,
    invariants: [
      {
        name: 'money-reconciles',
        verdict: 'fail',
        violations: 1,
        summary: '1 order paid twice',
        examples: [{ orderRef: 'CAP-000001', message: 'payment applied twice' }],
      },
      {
        name: 'no-duplicate-orders',
        verdict: 'fail',
        violations: 1,
        summary: '1 order twice',
        examples: [{ orderRef: 'CAP-000002', message: 'CAP-000002 is in Odoo 2 times' }],
      },
      { name: 'traceable', verdict: 'pass', violations: 0, summary: 'ok', examples: [] },
    ],
  } as unknown as RunResult;

  it('tells, per order the evidence names, what the faults did to its messages, holds included', () => {
    expect(describeFailure(result)).toEqual([
      'money-reconciles failed: 1 order paid twice',
      '  order A (CAP-000001): payment applied twice',
      '    - the payment webhook for order A (attempt 1) was delivered twice, copies 300 ms after the first',
      'no-duplicate-orders failed: 1 order twice',
      '  order B (CAP-000002): CAP-000002 is in Odoo 2 times',
      '    - the answer to the order submission for order B (attempt 1) was lost after it was processed',
      '    - the order submission for order B (attempt 1) was held back 1.5 s (reorder@capture->middleware)',
    ]);
  });
});

describe('a fault on part of a link', () => {
  it("uses the link's words and names the path", () => {
    expect(describeFault({ link: { from: 'middleware', to: 'logistics', path: '/shipments' }, kind: 'latency', meanMs: 20_000 })).toBe(
      "the middleware's 3PL API calls to /shipments slowed by 20 s",
    );
  });
});

describe("a case's system settings", () => {
  it('are named, since a simulator told to drop webhooks is a fault too', () => {
    expect(
      describeCase({ name: 'x', description: 'x', orders: { count: 4 }, systems: { payment: { webhooks: { drop: { probability: 0.3 } } } }, faults: [] }),
    ).toBe('4 orders; no injected faults; system settings: payment webhooks.drop.probability=0.3');
  });
});
