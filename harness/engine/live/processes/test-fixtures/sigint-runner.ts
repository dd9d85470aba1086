/**
 * A runner that starts a middleware process under withCleanup and then waits
 * to be interrupted: the cleanup test sends it SIGINT and checks nothing is left.
 */
import { fileURLToPath } from 'node:url';
import { withCleanup } from '../cleanup.ts';
import { startSystemProcess } from '../processes.ts';

const fixture = fileURLToPath(new URL('./tiny-middleware.ts', import.meta.url));
await withCleanup(async (cleanup) => {
  const middleware = await startSystemProcess({ command: process.execPath, args: [fixture], urls: {}, cleanup, readyTimeoutMs: 10_000 });
  process.stdout.write(`READY ${middleware.pid}\n`);
  // Wait to be interrupted, at most 20 s.
  await new Promise((resolve) => setTimeout(resolve, 20_000));
});
