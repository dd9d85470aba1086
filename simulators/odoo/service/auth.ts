import type { Database } from '../orm/database.ts';
import { AccessDenied, missingRecords, PythonError, valueError } from '../orm/errors.ts';

/** Odoo's login cooldown (base.login_cooldown_after / _duration). */
export interface CooldownSettings {
  readonly failures: number;
  readonly durationMs: number;
}

/** Odoo 17's initial parameters (ir_config_parameter.py _default_parameters): 10 failures, 60 s. */
export const DEFAULT_COOLDOWN: CooldownSettings = { failures: 10, durationMs: 60_000 };

/**
 * Sources whose failures are remembered at most. Odoo's map grows without
 * bound; here the source that failed longest ago is forgotten first, so a
 * flood of addresses cannot exhaust memory.
 */
export const MAX_TRACKED_SOURCES = 10_000;

/** Where a login attempt came from, or `undefined` where Odoo applies no cooldown (RPC: dispatch_rpc borrows the request away). */
export type LoginSource = string | undefined;

/**
 * Credentials and login throttling for one database. Passwords live on the
 * res.users rows (read back as ''); API keys here, since Odoo keeps them in a
 * table of their own that RPC clients never read.
 */
export class Auth {
  readonly db: Database;
  readonly cooldown: CooldownSettings;
  readonly #apiKeys = new Map<number, Set<string>>();
  /** source → failures since the last success and time of the last one (Odoo's registry._login_failures), oldest first. */
  readonly #failures = new Map<string, { count: number; last: number }>();

  constructor(db: Database, cooldown: CooldownSettings = DEFAULT_COOLDOWN) {
    this.db = db;
    this.cooldown = cooldown;
  }

  /** Sources currently remembered (for tests of the bound). */
  get trackedSources(): number {
    return this.#failures.size;
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

  /** Odoo's _on_login_cooldown: at least `failures` failures, the last one within the duration. */
  isCoolingDown(source: LoginSource): boolean {
    if (source === undefined || this.cooldown.failures === 0) return false;
    const failures = this.#failures.get(source);
    return failures !== undefined && failures.count >= this.cooldown.failures && this.db.clock.now() - failures.last < this.cooldown.durationMs;
  }

  /** Odoo's _assert_can_auth after the attempt: a failure adds one (never resets by itself), a success forgets the source. */
  #settle(source: LoginSource, ok: boolean): void {
    if (source === undefined) return;
    const previous = this.#failures.get(source);
    this.#failures.delete(source);
    if (ok) return;
    this.#failures.set(source, { count: (previous?.count ?? 0) + 1, last: this.db.clock.now() });
    if (this.#failures.size > MAX_TRACKED_SOURCES) this.#failures.delete(this.#failures.keys().next().value!);
  }

  /** common.authenticate / login and the web login: the uid, or false (bad credentials, unknown login, cooldown). */
  authenticate(login: unknown, password: unknown, source: LoginSource): number | false {
    // Odoo refuses an empty password before the cooldown guard, so it is not counted.
    if (password === '' || password === false || password === null || password === undefined) return false;
    // "Too many login failures, please wait a bit before trying again." — authenticate turns it into False.
    if (this.isCoolingDown(source)) return false;
    let uid: number | false = false;
    if (typeof login === 'string') {
      for (const row of this.db.table('res.users').rows.values()) {
        if (row.login === login && row.active === true) {
          uid = row.id;
          break;
        }
      }
    }
    const ok = uid !== false && this.#matches(uid, password);
    this.#settle(source, ok);
    return ok ? uid : false;
  }

  /** Odoo's security.check on every execute_kw: the uid, or AccessDenied / MissingError. */
  check(rawUid: unknown, password: unknown, source: LoginSource = undefined): number {
    const uid = pythonInt(rawUid);
    if (typeof password !== 'string' || password === '') throw new AccessDenied();
    if (this.isCoolingDown(source)) throw new AccessDenied('Too many login failures, please wait a bit before trying again.');
    const row = this.db.table('res.users').rows.get(uid);
    // A missing user is a MissingError, not an AccessDenied: Odoo does not count it as a failed login.
    if (row === undefined) throw missingRecords('res.users', [uid], uid);
    const ok = this.#matches(uid, password);
    this.#settle(source, ok);
    if (!ok) throw new AccessDenied();
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
