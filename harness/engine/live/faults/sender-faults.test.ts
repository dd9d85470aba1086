import { describe, expect, it } from 'vitest';
import type { LinkFaultSpec } from '../../../core/faults.ts';
import { History } from '../../../core/history.ts';
import { createRng } from '../../../core/rng.ts';
import { NetworkError } from '../../../core/system.ts';
import type { SystemFetch } from '../../../core/system.ts';
import type { LiveFetch } from '../http/live-fetch.ts';
import { createSenderFetch } from './sender-faults.ts';
import { wallClock } from '../../../core/wall-clock.ts';

/** A live fetch that answers 202 at once and writes a `send` event, as the real one does. */
function stubLive(history: History, seen: string[]): LiveFetch {
  const fetchTraced = async (input: Parameters<SystemFetch>[0], _init: Parameters<SystemFetch>[1], onSend?: (req: number) => void) => {
    const req = history.nextRequestId();
    history.append({ kind: 'send', req, from: 'capture', to: 'middleware', method: 'POST', path: new URL(String(input)).pathname });
    onSend?.(req);
    seen.push(String(input));
    return new Response('{}', { status: 202 });
  };
  return { fetch: (input, init) => fetchTraced(input, init), fetchTraced, close: () => undefined };
}

function sender(faults: LinkFaultSpec[]) {
  const history = new History(() => wallClock.now());
  const seen: string[] = [];
  const copies: string[] = [];
  const bodies: string[] = [];
  const fetch = createSenderFetch({
    from: 'capture',
    live: stubLive(history, seen),
    quiet: async (input, init) => {
      copies.push(String(input));
      bodies.push(typeof init?.body === 'string' ? init.body : '');
      return new Response('{}', { status: 202 });
    },
    routes: [{ to: 'middleware', base: 'http://127.0.0.1:9001', paths: [{ path: '/orders', base: 'http://127.0.0.1:9002' }] }],
    faults,
    rng: createRng(1),
    history,
    clock: wallClock,
    startMs: () => wallClock.now(),
    timeScale: 1,
    defaultTimeoutMs: 50,
  });
  return { fetch, history, seen, copies, bodies };
}

describe('createSenderFetch', () => {
  it('routes a request to the proxy of its path, and others to the link proxy', async () => {
    const { fetch, seen } = sender([]);
    await fetch('http://127.0.0.1:9001/orders/CAP-1/cancel', { method: 'POST', body: '{}' });
    await fetch('http://127.0.0.1:9001/webhooks/payment', { method: 'POST', body: '{}' });
    expect(seen).toEqual(['http://127.0.0.1:9002/orders/CAP-1/cancel', 'http://127.0.0.1:9001/webhooks/payment']);
  });

  it('records a delay fault’s hold after the send, as in sim mode', async () => {
    const { fetch, history } = sender([{ link: { from: 'capture', to: 'middleware' }, kind: 'delay', ms: 20 }]);
    await fetch('http://127.0.0.1:9001/orders', { method: 'POST', body: '{}' });
    expect(history.toArray().map((e) => e.kind)).toEqual(['send', 'delay']);
    expect(history.toArray()[1]).toMatchObject({ req: (history.toArray()[0] as { req: number }).req, ms: 20, fault: 'delay@capture->middleware' });
  });

  it('sends duplicates as copies of the original request, recorded as in sim mode', async () => {
    const { fetch, history, copies } = sender([{ link: { from: 'capture', to: 'middleware' }, kind: 'duplicate', copies: 2, gapMs: 1 }]);
    const response = await fetch('http://127.0.0.1:9001/orders', { method: 'POST', body: '{"ref":"CAP-1"}' });
    expect(response.status).toBe(202);
    for (let turn = 0; turn < 50 && copies.length < 2; turn++) await wallClock.sleep(5);
    expect(copies).toEqual(['http://127.0.0.1:9002/orders', 'http://127.0.0.1:9002/orders']);
    const send = history.toArray().find((e) => e.kind === 'send');
    expect(
      history
        .toArray()
        .filter((e) => e.kind === 'duplicate')
        .map((e) => e.kind === 'duplicate' && e.req),
    ).toEqual([send?.kind === 'send' && send.req, send?.kind === 'send' && send.req]);
  });

  it('sends a forged copy, under the real signature, before the real webhook, recorded as in sim mode', async () => {
    const { fetch, history, seen, copies, bodies } = sender([{ link: { from: 'capture', to: 'middleware' }, kind: 'forge', set: { data: { amount: 0.01 } } }]);
    const headers = { 'x-signature': 'sig-of-the-real-body' };
    await fetch('http://127.0.0.1:9001/webhooks/payment', {
      method: 'POST',
      headers,
      body: '{"type":"payment.captured","data":{"amount":12.5,"orderRef":"CAP-1"}}',
    });
    expect(copies).toEqual(['http://127.0.0.1:9001/webhooks/payment']);
    expect(JSON.parse(bodies[0]!)).toEqual({ type: 'payment.captured', data: { amount: 0.01, orderRef: 'CAP-1' } });
    expect(seen).toEqual(['http://127.0.0.1:9001/webhooks/payment']);
    const send = history.toArray().find((e) => e.kind === 'send');
    const forged = history.toArray().filter((e) => e.kind === 'duplicate');
    expect(forged.map((e) => e.kind === 'duplicate' && `${e.req} ${e.fault}`)).toEqual([`${send?.kind === 'send' && send.req} forge@capture->middleware`]);
  });

  it('drops a message: the caller times out knowing it was not delivered', async () => {
    const { fetch, history, seen } = sender([{ link: { to: 'middleware' }, kind: 'drop' }]);
    const error = await fetch('http://127.0.0.1:9001/orders', { method: 'POST', body: '{}', headers: { 'x-correlation-id': 'CAP-7' } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).maybeProcessed).toBe(false);
    expect(seen).toEqual([]);
    expect(history.toArray().map((e) => e.kind)).toEqual(['send', 'drop', 'timeout']);
    expect(history.toArray()[0]).toMatchObject({ corr: 'CAP-7', to: 'middleware' });
  });

  it('answers an injected HTTP error without reaching the server', async () => {
    const { fetch, history, seen } = sender([{ link: { to: 'middleware', path: '/webhooks' }, kind: 'http-error', status: 502 }]);
    const response = await fetch('http://127.0.0.1:9001/webhooks/payment', { method: 'POST', body: '{}' });
    expect(response.status).toBe(502);
    expect(seen).toEqual([]);
    expect(history.toArray().map((e) => e.kind)).toEqual(['send', 'response']);
  });
});
