import { describe, expect, it } from 'vitest';
import { PyFloat } from '../../../harness/wire/python-float.ts';
import { compareOutcome, reduceTraceback } from './compare.ts';
import { followPath } from './replay.ts';

const bindings = new Map<string, unknown>([
  ['so', 5],
  ['$uid', 2],
]);
const reasons = (...args: Parameters<typeof compareOutcome>) => compareOutcome(...args).map((mismatch) => `${mismatch.path}: ${mismatch.reason}`);

describe('the transcript comparator (README §3, strict mode)', () => {
  it('accepts an outcome that matches by the rules', () => {
    const expected = { ok: [{ id: { $ref: 'so' }, line: { $id: 'sale.order.line' }, total: new PyFloat(100), when: '<datetime>', day: '<date>', ok: false }] };
    const actual = { ok: [{ total: new PyFloat(100), id: 5, line: 9, when: '2026-01-05 09:00:00', day: '2026-01-05', ok: false }] };
    expect(compareOutcome(expected, actual, bindings, false)).toEqual([]);
  });

  it('tells an int from a double, false from 0, and a wrong binding', () => {
    expect(reasons({ ok: [new PyFloat(1), 0, { $ref: 'so' }] }, { ok: [1, false, 6] }, bindings, false)).toEqual([
      'ok[0]: expected a double',
      'ok[1]: numbers differ',
      'ok[2]: expected the value bound to so (5)',
    ]);
    expect(reasons({ ok: [new PyFloat(1)] }, { ok: [1] }, bindings, false, { strict: false })).toEqual([]);
  });

  it('wants the same keys, kinds and array lengths', () => {
    expect(reasons({ ok: { a: 1 } }, { ok: { a: 1, b: 2 } }, bindings, false)).toEqual(['ok: keys differ: missing [], extra ["b"]']);
    expect(reasons({ ok: [1, 2] }, { ok: [1] }, bindings, false)).toEqual(['ok: array length 2 expected, got 1']);
    expect(reasons({ ok: true }, { no_result: true }, bindings, false)).toEqual([': outcome kind: expected ok, got no_result']);
  });

  it('compares faults by code and last traceback line, and wants a traceback where Odoo gave one', () => {
    const traceback = 'Traceback (most recent call last):\n  File "x.py", line 1\nValueError: bad\n';
    expect(reduceTraceback(traceback)).toBe('ValueError: bad');
    expect(compareOutcome({ fault: { code: 1, string: 'ValueError: bad' } }, { fault: { code: 1, string: traceback } }, bindings, true)).toEqual([]);
    expect(reasons({ fault: { code: 1, string: 'ValueError: bad' } }, { fault: { code: 1, string: 'ValueError: bad' } }, bindings, true)).toEqual([
      'fault.string: the transcript has a traceback here; strict mode wants one',
    ]);
  });

  it('fills string templates with bindings and the replay year', () => {
    const expected = { fault: { code: 2, string: { $str: ['The entry INV/2026/00001 (id ', { $ref: 'so' }, ') for user ', { $id: 'res.users' }, '.'] } } };
    expect(
      compareOutcome(expected, { fault: { code: 2, string: 'The entry INV/2027/00001 (id 5) for user 12.' } }, bindings, false, {
        yearFrom: '2026',
        yearTo: '2027',
      }),
    ).toEqual([]);
    expect(reasons(expected, { fault: { code: 2, string: 'The entry INV/2026/00001 (id 6) for user 12.' } }, bindings, false)).toEqual([
      'fault.string: string template does not match',
    ]);
  });

  it('names read_group date groups after the day a real server replays on', () => {
    const expected = { ok: [{ 'date_order:day': '06 Dec 2026', date_order: 'December 2026', name: '06 Dec 2026 order' }] };
    const onTheSeventh = { ok: [{ 'date_order:day': '07 Dec 2026', date_order: 'December 2026', name: '06 Dec 2026 order' }] };
    const dates = { dateFrom: '2026-12-06', dateTo: '2026-12-07' };
    expect(compareOutcome(expected, onTheSeventh, bindings, false, dates)).toEqual([]);
    expect(
      compareOutcome(expected, { ok: [{ 'date_order:day': '01 Jan 2027', date_order: 'January 2027', name: '06 Dec 2026 order' }] }, bindings, false, {
        dateFrom: '2026-12-06',
        dateTo: '2027-01-01',
      }),
    ).toEqual([]);
    expect(compareOutcome(expected, onTheSeventh, bindings, false).map((m) => m.path)).toEqual(['ok[0].date_order:day']);
  });

  it('follows bind paths through lists and dicts', () => {
    expect(followPath([{ picking_ids: [7, 8] }], '0.picking_ids.1')).toEqual({ found: true, value: 8 });
    expect(followPath({ res_id: 3 }, 'res_id')).toEqual({ found: true, value: 3 });
    expect(followPath([], '0')).toEqual({ found: false });
  });
});
