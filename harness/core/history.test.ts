import { describe, expect, it } from 'vitest';
import { eventsOfKind, History } from './history.ts';

describe('the history', () => {
  it('writes every event as seq, time, then its fields in the order given, the same bytes for the same run', () => {
    let now = 1_000;
    const history = new History(() => now);
    history.append({ kind: 'send', req: 1, from: 'capture', to: 'middleware', method: 'POST', path: '/orders', corr: 'CAP-1' });
    now = 1_001;
    history.append({ kind: 'deliver', req: 1 });
    history.append({ kind: 'event', system: 'middleware', name: 'order.accepted', corr: 'CAP-1', data: { orderId: 'CAP-1' } });
    now = 1_002;
    history.append({ kind: 'response', req: 1, status: 202, outcome: 'ok' });
    history.append({ kind: 'send', req: 2, from: 'middleware', to: 'odoo', method: 'POST', path: '/jsonrpc', attempt: 2 });
    expect([...history.jsonLines()].join('')).toBe(
      [
        '{"seq":0,"t":1000,"kind":"send","req":1,"from":"capture","to":"middleware","method":"POST","path":"/orders","corr":"CAP-1"}',
        '{"seq":1,"t":1001,"kind":"deliver","req":1}',
        '{"seq":2,"t":1001,"kind":"event","system":"middleware","name":"order.accepted","corr":"CAP-1","data":{"orderId":"CAP-1"}}',
        '{"seq":3,"t":1002,"kind":"response","req":1,"status":202,"outcome":"ok"}',
        '{"seq":4,"t":1002,"kind":"send","req":2,"from":"middleware","to":"odoo","method":"POST","path":"/jsonrpc","attempt":2}',
        '',
      ].join('\n'),
    );
  });

  it('reads back each event as appended, by position, by kind and in one pass', () => {
    let now = 1_767_603_600_000;
    const history = new History(() => now);
    history.append({ kind: 'fault', fault: 'latency@odoo', state: 'on', target: 'middleware->odoo' });
    now += 2.5;
    history.append({ kind: 'odoo', principal: 'faultline-middleware', model: 'sale.order', method: 'create', outcome: 'ok', ids: [7], corr: 'CAP-1' });
    history.append({ kind: 'timeout', req: 3, outcome: 'unknown', reason: 'no answer within 10000 ms' });
    expect(history.length).toBe(3);
    expect(history.at(1)).toStrictEqual({
      seq: 1,
      t: 1_767_603_600_002.5,
      kind: 'odoo',
      principal: 'faultline-middleware',
      model: 'sale.order',
      method: 'create',
      outcome: 'ok',
      ids: [7],
      corr: 'CAP-1',
    });
    expect(history.kindAt(2)).toBe('timeout');
    expect([...eventsOfKind(history, ['fault', 'timeout'])].map((e) => e.seq)).toEqual([0, 2]);
    expect([...history].map((e) => e.kind)).toEqual(['fault', 'odoo', 'timeout']);
  });

  it('refuses an event once its run has sealed it', () => {
    const history = new History(() => 0);
    history.append({ kind: 'deliver', req: 1 });
    history.seal();
    expect(() => history.append({ kind: 'deliver', req: 2 })).toThrow(/sealed/);
    expect(history.toArray()).toEqual([{ seq: 0, t: 0, kind: 'deliver', req: 1 }]);
  });
});
