import { describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { baseModule } from '../models/base/index.ts';
import { likePattern } from '../orm/like-pattern.ts';
import { testContext } from './context.ts';
import { kw } from './rpc.ts';

function emulator() {
  const odoo = createOdooEmulator(testContext(), { modules: [baseModule] });
  odoo.createUser({ login: 'sally', password: 'sally-pw-17', name: 'Sally Sales' });
  return odoo;
}

describe('domain leaves on the password', () => {
  it('are ignored, so a search by password returns every visible user (transcript 18)', async () => {
    const odoo = emulator();
    const all = await kw(odoo, 'res.users', 'search', [[]]);
    for (const domain of [[['password', '=', 'admin']], [['password', '=like', 'a%']], [['password', '=', 'wrong']], ['!', ['password', '=', 'admin']]]) {
      expect(await kw(odoo, 'res.users', 'search', [domain])).toEqual(all);
    }
  });

  it('leak nothing through search_count, one character at a time', async () => {
    const odoo = emulator();
    const counts = new Set<unknown>();
    for (const prefix of ['a%', 'b%', 'ad%', 'z%']) {
      const answer = await kw(odoo, 'res.users', 'search_count', [
        [
          ['id', '=', 2],
          ['password', '=like', prefix],
        ],
      ]);
      counts.add(answer.kind === 'value' ? answer.value : answer);
    }
    expect([...counts]).toEqual([1]);
  });

  it('rank nothing: an order on the password is dropped, as Odoo sorts only on columns', async () => {
    const odoo = emulator();
    odoo.createUser({ login: 'zed', password: 'aaa-first-by-password', name: 'Zed' });
    const byId = await kw(odoo, 'res.users', 'search', [[]], { order: 'id' });
    expect(await kw(odoo, 'res.users', 'search', [[]], { order: 'password, id' })).toEqual(byId);
    expect(await kw(odoo, 'res.users', 'search', [[]], { order: 'password desc, id' })).toEqual(byId);
  });

  it('stay true under a negated conjunction, as after Odoo distributes the negation', async () => {
    const odoo = emulator();
    // '!' & (password = x) (id = 2)  →  | (ignored) (id != 2)  →  every user.
    const all = await kw(odoo, 'res.users', 'search', [[]]);
    expect(await kw(odoo, 'res.users', 'search', [['!', '&', ['password', '=', 'admin'], ['id', '=', 2]]])).toEqual(all);
  });
});

describe('LIKE patterns', () => {
  it('match as SQL LIKE does: % any run, _ one character, \\ escapes, like unanchored', () => {
    expect(likePattern('a%c', true, false).test('abbbc')).toBe(true);
    expect(likePattern('a%c', true, false).test('abbbcd')).toBe(false);
    expect(likePattern('a_c', true, false).test('abc')).toBe(true);
    expect(likePattern('a_c', true, false).test('ac')).toBe(false);
    expect(likePattern('b', false, false).test('abc')).toBe(true);
    expect(likePattern('B', false, true).test('abc')).toBe(true);
    expect(likePattern('B', false, false).test('abc')).toBe(false);
    expect(likePattern('100\\%', true, false).test('100%')).toBe(true);
    expect(likePattern('100\\%', true, false).test('1000')).toBe(false);
    expect(likePattern('%a%b%a%', true, false).test('xaybza')).toBe(true);
    expect(likePattern('%a%b%a%', true, false).test('xaybz')).toBe(false);
    expect(likePattern('ab%ba', true, false).test('aba')).toBe(false);
    expect(likePattern('', true, false).test('')).toBe(true);
    expect(likePattern('_', true, false).test('é')).toBe(true);
  });

  it('answer a pathological pattern at once instead of backtracking', async () => {
    const odoo = emulator();
    await kw(odoo, 'res.partner', 'create', [{ name: 'a'.repeat(40) }]);
    const started = performance.now();
    const answer = await kw(odoo, 'res.partner', 'search_count', [[['name', '=like', '%a%a%a%a%a%a%a%a%a%a%a%a%a%a%b']]]);
    expect(answer).toEqual({ kind: 'value', value: 0 });
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('serve a 40,000-character name_search normally', async () => {
    const odoo = emulator();
    const answer = await kw(odoo, 'res.partner', 'name_search', ['x%'.repeat(20_000)]);
    expect(answer).toEqual({ kind: 'value', value: [] });
  });
});
