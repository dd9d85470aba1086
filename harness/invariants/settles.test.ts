import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { DEAD_LETTER_CYCLE_LIMIT, REPEATED_FAILURE_LIMIT, settles } from './settles.ts';
import { HistoryBuilder, judge, namedOrders, runInput } from './test-fixtures.ts';

const NOTHING_LEFT = "odoo.exceptions.UserError: You can't register a payment because there is nothing left to pay on the selected journal items.";
const settled = { runEnd: { quiescent: true, budgetMs: 7 * 24 * 3600_000 } };
const unsettled = { runEnd: { quiescent: false, budgetMs: 7 * 24 * 3600_000 } };

/** `times` refusals of the same payment registration for one order, a minute apart. */
function refusedRegistrations(history: HistoryBuilder, ref: string, times: number): void {
  for (let i = 0; i < times; i++) {
    history.at(i * 60_000);
    const seq = history.odoo({ model: 'account.payment.register', method: 'action_create_payments', outcome: 'fail', corr: ref });
    (history.events[seq] as Extract<HistoryEvent, { kind: 'odoo' }>).error = `${NOTHING_LEFT}\nTraceback...`;
  }
}

describe('settles', () => {
  it('passes a run that went quiet, with dead letters revived and a few retries', () => {
    const history = new HistoryBuilder();
    refusedRegistrations(history, 'CAP-000001', 3);
    history.event('middleware', 'deadletter', 'CAP-000002', { attempts: 20, error: 'Odoo unreachable' });
    history.event('middleware', 'deadletter.revived', 'CAP-000002', { attempts: 20 });
    const verdict = judge(settles, runInput({ history: history.events, options: settled }));
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toContain('no dead letters left');
  });

  it('fails a run that ran out of budget, naming the order that kept it busy and the call it kept failing', () => {
    const history = new HistoryBuilder();
    history.send('CAP-000001');
    refusedRegistrations(history, 'CAP-000007', 30);
    const verdict = judge(settles, runInput({ history: history.events, options: unsettled }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000007']);
    expect(verdict.examples[0]!.message).toContain('account.payment.register.action_create_payments failed 30 times');
    expect(verdict.examples[0]!.message).toContain('nothing left to pay');
    expect(verdict.summary).toContain('still busy when the budget of');
  });

  it('fails an order whose job fails the same call the same way without bound, even in a run that ended', () => {
    const history = new HistoryBuilder();
    refusedRegistrations(history, 'CAP-000003', REPEATED_FAILURE_LIMIT);
    const verdict = judge(settles, runInput({ history: history.events, options: settled }));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]).toMatchObject({ orderRef: 'CAP-000003' });
    expect(verdict.examples[0]!.message).toMatch(
      /^account\.payment\.register\.action_create_payments failed 60 times over 59m 0s, always "odoo\.exceptions\.UserError: You can't register/,
    );
    expect(verdict.examples[0]!.events).toHaveLength(5);
  });

  it('fails a dead letter left in the queue at the end, with the error that put it there', () => {
    const history = new HistoryBuilder();
    history.event('middleware', 'deadletter', 'CAP-000004', { attempts: 20, error: 'no product with default_code FL-NOPE in Odoo\nmore' });
    const verdict = judge(settles, runInput({ history: history.events, options: settled }));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.message).toBe('left in the dead-letter queue: after 20 attempts: no product with default_code FL-NOPE in Odoo');
    expect(verdict.summary).toContain('dead letters left: CAP-000004');
  });

  it('fails an order dead-lettered, revived and dead-lettered again and again', () => {
    const history = new HistoryBuilder();
    for (let i = 0; i < DEAD_LETTER_CYCLE_LIMIT; i++) {
      history.event('middleware', 'deadletter', 'CAP-000005', { attempts: 20, error: 'refused' });
      history.event('middleware', 'deadletter.revived', 'CAP-000005', { attempts: 20 });
    }
    const verdict = judge(settles, runInput({ history: history.events, options: settled }));
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.message).toBe('dead-lettered 10 times, revived each time and failed again (after 20 attempts: refused)');
  });

  it('fails a dead letter revived a few times and then left, saying how often it died', () => {
    const history = new HistoryBuilder();
    for (let i = 0; i < 3; i++) {
      if (i > 0) history.event('middleware', 'deadletter.revived', 'CAP-000009', { attempts: 20 });
      history.event('middleware', 'deadletter', 'CAP-000009', { attempts: 20, error: 'refused' });
    }
    const verdict = judge(settles, runInput({ history: history.events, options: settled }));
    expect(verdict.examples.map((v) => v.message)).toEqual(['left in the dead-letter queue (dead-lettered 3 times): after 20 attempts: refused']);
  });

  it('stays unknown for a run that did not record how it ended, unless the history alone shows a problem', () => {
    expect(judge(settles, runInput({ history: [], options: {} })).verdict).toBe('unknown');
    const history = new HistoryBuilder();
    history.event('middleware', 'deadletter', 'CAP-000006', { attempts: 20, error: 'x' });
    expect(judge(settles, runInput({ history: history.events, options: {} })).verdict).toBe('fail');
  });
});
