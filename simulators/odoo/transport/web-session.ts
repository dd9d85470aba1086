import { PythonError, serializationFailure } from '../orm/errors.ts';
import type { Row } from '../orm/model.ts';
import type { CallMeta, OdooServer } from '../service/server.ts';
import { jsonRpcError } from './jsonrpc.ts';
import { parsePythonJson, pythonJson } from './python-json.ts';
import { newSessionId } from './session-id.ts';

interface Session {
  readonly db: string;
  readonly uid: number;
  /** The user's login, password and active flag when the session began (Odoo's session token fields). */
  readonly token: string;
}

/** Sessions kept at most; the oldest is forgotten first, so a login flood cannot grow memory without bound. */
export const MAX_SESSIONS = 10_000;

/**
 * The web client's JSON routes that session-based clients use instead of
 * /jsonrpc: `/web/session/authenticate` sets a `session_id` cookie, then
 * `/web/dataset/call_kw[/...]` runs model methods as that user.
 */
export class WebSessions {
  readonly #sessions = new Map<string, Session>();
  readonly #server: OdooServer;
  /** Whether the serialization-failure fault strikes a call_kw of `model.method` (the emulator's fault switch). */
  readonly #strikes: (model: string, method: string) => boolean;

  constructor(server: OdooServer, strikes: (model: string, method: string) => boolean = () => false) {
    this.#server = server;
    this.#strikes = strikes;
  }

  static handles(path: string): boolean {
    return (
      path === '/web/session/authenticate' ||
      path === '/web/session/get_session_info' ||
      path === '/web/session/destroy' ||
      path === '/web/dataset/call_kw' ||
      path.startsWith('/web/dataset/call_kw/')
    );
  }

  /**
   * Odoo 17 derives a session token from the user's id, login, password and
   * active flag and checks it on every request, so changing the password or
   * archiving the user ends their sessions. Undefined when the user is gone.
   */
  #token(db: string, uid: number): string | undefined {
    let row: Row | undefined;
    try {
      row = this.#server.database(db).table('res.users').rows.get(uid);
    } catch {
      return undefined; // the database was dropped
    }
    if (row === undefined || row.active !== true) return undefined;
    return JSON.stringify([row.login, row.password, row.active]);
  }

  #session(request: Request): [string, Session] | undefined {
    const cookie = request.headers.get('cookie') ?? '';
    const match = /(?:^|;\s*)session_id=([0-9a-f]{40})(?:;|$)/.exec(cookie);
    if (match === null) return undefined;
    const session = this.#sessions.get(match[1]!);
    if (session === undefined) return undefined;
    if (this.#token(session.db, session.uid) !== session.token) {
      this.#sessions.delete(match[1]!);
      return undefined;
    }
    return [match[1]!, session];
  }

  async handle(request: Request, path: string, meta: CallMeta, body: string): Promise<Response> {
    let id: unknown = null;
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
    const answer = (payload: Record<string, unknown>): Response => new Response(pythonJson({ jsonrpc: '2.0', id, ...payload }), { status: 200, headers });
    let params: Record<string, unknown>;
    try {
      const parsed = parsePythonJson(body) as { id?: unknown; params?: unknown };
      id = parsed?.id ?? null;
      params = parsed?.params !== null && typeof parsed?.params === 'object' && !Array.isArray(parsed.params) ? (parsed.params as Record<string, unknown>) : {};
    } catch (problem) {
      return answer({
        error: jsonRpcError(
          problem instanceof PythonError ? problem : new PythonError('werkzeug.exceptions.BadRequest', '400 Bad Request: Invalid JSON data', 'odoo/http.py'),
        ),
      });
    }
    try {
      if (path === '/web/session/authenticate') {
        const uid = this.#server.sessionLogin(params.db, params.login, params.password, meta);
        const sid = newSessionId();
        const db = String(params.db);
        if (this.#sessions.size >= MAX_SESSIONS) this.#sessions.delete(this.#sessions.keys().next().value!);
        this.#sessions.set(sid, { db, uid, token: this.#token(db, uid) ?? '' });
        headers['set-cookie'] = `session_id=${sid}; Max-Age=604800; HttpOnly; Path=/`;
        return answer({ result: this.#server.sessionInfo(String(params.db), uid) });
      }
      const found = this.#session(request);
      if (found === undefined) return answer({ error: sessionExpired() });
      const [sid, session] = found;
      if (path === '/web/session/destroy') {
        this.#sessions.delete(sid);
        return answer({});
      }
      if (path === '/web/session/get_session_info') return answer({ result: this.#server.sessionInfo(session.db, session.uid) });
      // Odoo's retrying() wraps the web routes too: once its tries are spent, the client gets psycopg2's error.
      if (this.#strikes(String(params.model), String(params.method))) throw serializationFailure();
      const result = this.#server.callAsSession(
        session.db,
        session.uid,
        String(params.model),
        String(params.method),
        params.args ?? [],
        params.kwargs ?? {},
        meta,
      );
      return answer(result === undefined ? {} : { result });
    } catch (error) {
      return answer({ error: jsonRpcError(error) });
    }
  }
}

/** What Odoo answers to a session route without a valid session. */
function sessionExpired(): Record<string, unknown> {
  const error = jsonRpcError(new PythonError('odoo.http.SessionExpiredException', 'Session expired', 'odoo/http.py'));
  return { ...error, code: 100, message: 'Odoo Session Expired' };
}
