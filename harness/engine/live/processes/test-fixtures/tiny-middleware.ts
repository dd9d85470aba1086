/**
 * A stand-in for a user's middleware, started as a child process by the
 * processes and cleanup tests. argv[2] picks how it behaves.
 */
import { createServer } from 'node:http';

const mode = process.argv[2] ?? 'ok';
const port = Number(process.env.PORT);

if (mode === 'crash') {
  process.stderr.write('connecting to Odoo at ' + String(process.env.FAULTLINE_ODOO_URL) + '\n');
  process.stderr.write('fatal: database "faultline" does not exist\n');
  process.exit(3);
}

// Bounded life: a leaked fixture must not outlive the test run by much.
setTimeout(() => process.exit(0), 60_000).unref();
const alive = setInterval(() => {}, 1_000);

if (mode !== 'hang') {
  createServer((req, res) => {
    if (req.url === '/health') {
      res.writeHead(mode === 'unhealthy' ? 503 : 200).end(mode === 'unhealthy' ? 'warming up' : 'ok');
      return;
    }
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('FAULTLINE_') || k === 'PORT'));
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(env));
  }).listen(port, '127.0.0.1');
} else {
  void alive;
}
