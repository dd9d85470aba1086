import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { PackedLog } from './packed-log.ts';

const value = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { maxLength: 4 }),
  ),
  any: fc.oneof({ maxDepth: 3 }, tie('leaf'), tie('object'), fc.array(fc.string(), { maxLength: 3 })),
  object: fc.dictionary(fc.oneof(fc.string({ maxLength: 6 }), fc.constant('__proto__')), tie('any'), { maxKeys: 5 }),
}));
const record = value.object as fc.Arbitrary<Record<string, unknown>>;

describe('PackedLog', () => {
  it('gives back every record with the same keys in the same order and the same values', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 30 }), (records) => {
        const log = new PackedLog<Record<string, unknown>>();
        for (const r of records) log.push(r);
        expect(log.length).toBe(records.length);
        const read = [...log];
        for (let i = 0; i < records.length; i++) {
          expect(JSON.stringify(read[i])).toBe(JSON.stringify(records[i]));
          expect(Object.keys(read[i]!)).toEqual(Object.keys(records[i]!));
          expect(read[i]).toEqual(records[i]);
          expect(log.at(i)).toEqual(records[i]);
        }
      }),
    );
  });

  it('keeps a position, constant strings and whole-millisecond times without changing what is read', () => {
    const log = new PackedLog<Record<string, unknown>>({ position: 'seq', time: 't', constants: ['kind'] });
    const records = [
      { seq: 0, t: 1767603600307, kind: 'send', path: '/orders' },
      { seq: 1, t: 1767603600307.5, kind: 'send', path: '/orders' },
      { seq: 7, t: 1767603600300, kind: 'deliver' },
      { seq: 3, t: 1767603600307 + 2 ** 40, kind: 'deliver', nested: { t: 5, kind: 'inner', seq: 9 } },
      { seq: 4, t: -0, kind: 42 },
    ];
    for (const r of records) log.push(r);
    expect([...log]).toStrictEqual(records);
    expect(Object.is(log.at(4)!.t, -0)).toBe(true);
  });

  it('copies a record when it is appended, so a later change to the object does not reach the log', () => {
    const log = new PackedLog<Record<string, unknown>>();
    const data = { amount: 10 };
    const ids = [1, 2];
    log.push({ data, ids });
    data.amount = 11;
    ids.push(3);
    expect(log.at(0)).toStrictEqual({ data: { amount: 10 }, ids: [1, 2] });
  });

  it('reads from the end with a negative position and answers undefined outside the log', () => {
    const log = new PackedLog<{ n: number }>();
    for (let n = 0; n < 3; n++) log.push({ n });
    expect(log.at(-1)).toEqual({ n: 2 });
    expect(log.at(3)).toBeUndefined();
    expect(log.at(-4)).toBeUndefined();
    expect(log.at(0.5)).toBeUndefined();
  });

  it('reads one string field without building the record', () => {
    const log = new PackedLog<Record<string, unknown>>({ constants: ['kind'] });
    log.push({ t: 1.5, nested: { a: 'x' }, ids: [1, 2, 3], kind: 'odoo', corr: 'CAP-1' });
    expect(log.stringAt(0, 'kind')).toBe('odoo');
    expect(log.stringAt(0, 'corr')).toBe('CAP-1');
    expect(log.stringAt(0, 't')).toBeUndefined();
    expect(log.stringAt(0, 'missing')).toBeUndefined();
  });

  it('keeps a nested object whole when its values outgrow the buffer', () => {
    // Five words a record: the buffer of 8,192 words fills in the middle of one's nested values.
    const log = new PackedLog<{ i: number; data: { seq: number; status: string; n: number } }>();
    for (let i = 0; i < 5_000; i++) log.push({ i, data: { seq: i, status: `s${i}`, n: -i } });
    for (let i = 0; i < 5_000; i++) expect(log.at(i)).toEqual({ i, data: { seq: i, status: `s${i}`, n: -i } });
  });

  it('keeps every record through a trim, and takes more after it', () => {
    const log = new PackedLog<{ i: number; s: string }>();
    log.trim();
    for (let i = 0; i < 3_000; i++) log.push({ i, s: `s${i % 3}` });
    log.trim();
    expect(log.at(2_999)).toEqual({ i: 2_999, s: 's2' });
    for (let i = 3_000; i < 12_000; i++) log.push({ i, s: `s${i % 3}` });
    expect([...log].map((r) => r.i)).toEqual(Array.from({ length: 12_000 }, (_, i) => i));
  });

  it('grows past its first buffers without losing a record', () => {
    const log = new PackedLog<{ i: number; s: string }>();
    for (let i = 0; i < 20_000; i++) log.push({ i, s: `s${i % 7}` });
    expect(log.at(19_999)).toEqual({ i: 19_999, s: 's0' });
    let sum = 0;
    for (const r of log) sum += r.i;
    expect(sum).toBe((19_999 * 20_000) / 2);
  });
});
