import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { NetworkError } from '../../core/system.ts';
import { createTimedFetch } from './timed-fetch.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createTimedFetch', () => {
  it('returns the whole answer', async () => {
    const url = await listen((_req, res) => res.end('{"status": "pass"}'));
    const response = await createTimedFetch(5_000)(`${url}/web/health`);
    expect(await response.json()).toEqual({ status: 'pass' });
  });

  it('gives up on a server that never answers, with a timeout error', async () => {
    const url = await listen(() => {});
    const error = await createTimedFetch(5_000)(`${url}/web/health`, { timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).code).toBe('timeout');
    expect((error as NetworkError).message).toContain('/web/health');
  });

  it('reports a closed port as refused, so nothing was processed', async () => {
    const url = await listen((_req, res) => res.end());
    server!.close();
    server = undefined;
    const error = await createTimedFetch(5_000)(`${url}/web/health`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toMatchObject({ code: 'refused', maybeProcessed: false });
  });

  it('refuses a timeout that is not a positive number', () => {
    expect(() => createTimedFetch(0)).toThrow(/positive number of milliseconds/);
  });
});
