import { createServer } from 'node:net';

/**
 * A port nobody listens on right now, for programs that need a port number up
 * front (Toxiproxy's API, a user's middleware). Another process could take it
 * before the caller binds it; callers that start a program on it retry once
 * with a new port when that happens.
 */
export function findFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (error) => reject(new Error(`cannot find a free port on ${host}: ${error.message}`, { cause: error })));
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
