import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../core/history.ts';
import { BURST_LIMIT, backsOff } from './backs-off.ts';
import { judge, namedOrders, runInput, T0 } from './test-fixtures.ts';

/** The middleware's calls to `to` for one order, each refused with 503, at the given offsets (ms). */
function refusedCalls(to: string, corr: string, offsets: readonly number[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  offsets.forEach((ms, i) => {
    const req = 1000 + i;
    events.push({ seq: events.length, t: T0 + ms, kind: 'send', req, from: 'middleware', to, method: 'POST', path: '/jsonrpc', corr });
    events.push({ seq: events.length, t: T0 + ms + 2, kind: 'response', req, status: 503, outcome: 'fail' });
  });
  return events;
}

describe('backs-off', () => {
  it('passes retries that double their wait from half a second across a long outage', () => {
    const backedOff = [0, 500, 1_500, 3_500, 7_500, 15_500, 31_500, 63_500, 123_500, 183_500, 243_500, 303_500];
    expect(judge(backsOff, runInput({ history: refusedCalls('odoo', 'CAP-000001', backedOff) })).verdict).toBe('pass');
  });

  it('fails an order whose job comes straight back at a system that refuses it, naming the burst', () => {
    const storm = Array.from({ length: BURST_LIMIT + 5 }, (_, i) => i * 20);
    const verdict = judge(backsOff, runInput({ history: refusedCalls('odoo', 'CAP-000002', storm) }));
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000002']);
    expect(verdict.examples[0]!.message).toContain(`${BURST_LIMIT + 5} failed calls to odoo in a row`);
  });

  it('takes an answered call between failures as progress: intermittent errors are not a storm', () => {
    const events = refusedCalls(
      'odoo',
      'CAP-000004',
      Array.from({ length: 30 }, (_, i) => i * 100),
    ).map((e) => (e.kind === 'response' && e.seq % 4 === 1 ? { ...e, status: 200, outcome: 'ok' as const } : e));
    expect(judge(backsOff, runInput({ history: events })).verdict).toBe('pass');
  });

  it('counts only failures: answered calls in a burst are work, not a retry storm', () => {
    const events = refusedCalls(
      'logistics',
      'CAP-000003',
      Array.from({ length: 30 }, (_, i) => i * 10),
    ).map((e) => (e.kind === 'response' ? { ...e, status: 200, outcome: 'ok' as const } : e));
    expect(judge(backsOff, runInput({ history: events })).verdict).toBe('pass');
  });
});
