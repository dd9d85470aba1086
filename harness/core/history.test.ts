import { describe, expect, it } from 'vitest';
import { History } from './history.ts';

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
});
