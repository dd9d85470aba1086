import type { Database } from '../orm/database.ts';
import { AccessDenied, missingRecords, PythonError, valueError } from '../orm/errors.ts';

/** Odoo's login cooldown (base.login_cooldown_after / _duration). */
export interface CooldownSettings {
  readonly failures: number;
  readonly durationMs: number;
}

export const DEFAULT_COOLDOWN: CooldownSettings = { failures: 5, durationMs: 60_000 };

/**
 * Credentials and login throttling for one database. Passwords live on the
 * res.users rows (read back as ''); API keys here, since Odoo keeps them in a
 * table of their own that RPC clients never read.
 */
export class Auth {
  readonly db: Database;
  readonly cooldown: CooldownSettings;
  readonly #apiKeys = new Map<number, Set<string>>();
  /** source → failures and time of the last one (Odoo's registry._login_failures). */
  readonly #failures = new Map<string, { count: number; last: number }>();

  constructor(db: Database, cooldown: CooldownSettings = DEFAULT_COOLDOWN) {
    this.db = db;
    this.cooldown = cooldown;
  }

  addApiKey(uid: number, key: string): void {
    let keys = this.#apiKeys.get(uid);
    if (keys === undefined) this.#apiKeys.set(uid, (keys = new Set()));
    keys.add(key);
  }

  #matches(uid: number, password: unknown): boolean {
    if (typeof password !== 'string' || password === '') return false;
    const row = this.db.table('res.users').rows.get(uid);
    if (row === undefined || row.active !== true) return false;
    if (row.password === password) return true;
    return this.#apiKeys.get(uid)?.has(password) === true;
  }

  /** common.authenticate / login: the uid, or false (bad credentials, unknown login, cooldown). */
  authenticate(login: unknown, password: unknown, source: string): number | false {
    const now = this.db.clock.now();
    const failures = this.#failures.get(source);
    if (failures !== undefined && failures.count >= this.cooldown.failures && now - failures.last < this.cooldown.durationMs) {
      // "Too many login failures, please wait a bit before trying again." — authenticate turns it into False.
      return false;
    }
    let uid: number | false = false;
    if (typeof login === 'string') {
      for (const row of this.db.table('res.users').rows.values()) {
        if (row.login === login && row.active === true) {
          uid = row.id;
          break;
        }
      }
    }
    if (uid !== false && this.#matches(uid, password)) {
      this.#failures.delete(source);
      return uid;
    }
    const count = failures !== undefined && now - failures.last < this.cooldown.durationMs ? failures.count + 1 : 1;
    this.#failures.set(source, { count, last: now });
    return false;
  }

  /** Odoo's security.check on every execute_kw: the uid, or AccessDenied / MissingError. */
  check(rawUid: unknown, password: unknown): number {
    const uid = pythonInt(rawUid);
    if (typeof password !== 'string' || password === '') throw new AccessDenied();
    const row = this.db.table('res.users').rows.get(uid);
    if (row === undefined) throw missingRecords('res.users', [uid], uid);
    if (!this.#matches(uid, password)) throw new AccessDenied();
    return uid;
  }

  /** The login of a uid for the access log, or `uid:N` for unknown users. */
  principal(uid: number): string {
    const login = this.db.table('res.users').rows.get(uid)?.login;
    return typeof login === 'string' ? login : `uid:${uid}`;
  }
}

/** Python's int() on the uid parameter. */
export function pythonInt(value: unknown): number {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new PythonError('OverflowError', 'cannot convert float infinity to integer');
    return Math.trunc(value);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value)) return Number.parseInt(value, 10);
  if (typeof value === 'string') throw valueError(`invalid literal for int() with base 10: '${value}'`);
  const typeName = value === null || value === undefined ? 'NoneType' : Array.isArray(value) ? 'list' : 'dict';
  throw new PythonError('TypeError', `int() argument must be a string, a bytes-like object or a real number, not '${typeName}'`);
}
