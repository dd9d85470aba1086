import { randomBytes } from 'node:crypto';

/**
 * A web session id: 40 hex digits, the shape of Odoo 17's (a SHA-1 over
 * os.urandom). It comes from the operating system's cryptographic source on
 * purpose, not from the run's seeded generator: a session id is a secret,
 * and ids drawn from a seed repeat across restarts, so anyone could replay a
 * predicted cookie. Nothing in a run's history depends on the value (it is
 * never recorded), so determinism is unaffected. The architecture lint allows
 * cryptographic randomness in this module only.
 */
export function newSessionId(): string {
  return randomBytes(20).toString('hex');
}
