/**
 * The resilient design's CRM feed: webhooks are checked, stored and
 * acknowledged at once; a worker then brings each account's partner in Odoo
 * to the last version it has seen, one account at a time.
 *
 * - Last write wins by the CRM's version: a late or repeated webhook older
 *   than what is stored is dropped, so it never puts old data back.
 * - One partner per customer: the partner is found by the account id (`ref`)
 *   or, for a customer the storefront's orders created first, by email, and
 *   adopted; a copy made by a race is archived.
 * - State guard on fiscal data: a new VAT number or name for a partner with
 *   posted invoices makes a new partner version (the old one archived, its
 *   invoices untouched), as Odoo's own form refuses to edit them.
 * - Merges and deletions archive the account's partner (its invoices and
 *   orders stay), never unlink it.
 * - A dead-letter queue, `GET /deadletters/crm`: a signed webhook or an API
 *   page entry that is not a valid account (refused at the door, kept with
 *   the reason and acknowledged, as no retry of the CRM's would cure it), an
 *   account Odoo cannot take (a payment term it does not know), and one whose
 *   retries ran out.
 * - Reconciliation: the CRM's REST API is read page by page every few
 *   minutes for accounts changed since the last pass, honouring 429
 *   `Retry-After`, so a webhook the CRM never delivered is not lost.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Cancel } from '../../harness/core/clock.ts';
import { RETRY_AFTER_HEADER } from '../../harness/contracts/headers.ts';
import { HEADERS } from '../../harness/core/system.ts';
import type { SystemContext } from '../../harness/core/system.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import { type CrmAccount, parseCrmAccount, parseCrmEvent } from '../../harness/contracts/crm.ts';
import { PaymentTerms, UnknownPaymentTermError, partnerValues } from '../shared/crm-accounts.ts';
import { json } from '../../harness/core/json-response.ts';
import { errorMessage, parseJson } from '../shared/http.ts';
import { emailIs } from '../shared/odoo-sales.ts';
import { retryDelayMs } from './backoff.ts';

/** Where the order path looks up a customer's partner by email (the resilient store). */
export interface PartnerDirectory {
  rememberPartner(email: string, id: number): void;
}

export interface CrmSyncOptions {
  context: SystemContext;
  partners: PartnerDirectory;
  odoo: OdooClient;
  event(name: string, corr: string, data?: Record<string, unknown>): void;
  maxAttempts: number;
  backoff: { baseMs: number; capMs: number };
  /** How often the CRM's API is read for changes; 0 turns reconciliation off. */
  pollIntervalMs: number;
  timeoutMs: number;
  /** How long after a partner create whose answer was lost the account is looked at again for the copy that call may make. */
  lateCallWindowMs: number;
}

/** Why a piece of CRM data is parked for a person instead of reaching Odoo. */
export type CrmDeadLetterKind = 'invalid' | 'unmappable' | 'exhausted';

export interface CrmDeadLetter {
  kind: CrmDeadLetterKind;
  /** Where it came from: a webhook, a page of the CRM's API, or the sync of a stored account. */
  source: 'webhook' | 'api' | 'sync';
  accountId: string | null;
  eventId: string | null;
  reason: string;
  /** When it was parked, on the middleware's clock. */
  at: string;
  /** What was refused, as received (cut at 2 000 characters); null for an account parked at sync, whose data is stored. */
  body: string | null;
}

export interface CrmSync {
  /** Takes a webhook body already checked for its signature. */
  accept(rawBody: string): Response;
  /** Everything parked, oldest first. */
  deadLetters(): CrmDeadLetter[];
  stop(): void;
}

/** Enough of a refused body to see what was wrong with it, not enough to fill the store with a hostile one. */
const REFUSED_BODY_CHARS = 2_000;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS crm_accounts (account_id TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL, synced INTEGER NOT NULL DEFAULT 0, dead TEXT, permanent INTEGER NOT NULL DEFAULT 0, dead_at TEXT);
CREATE TABLE IF NOT EXISTS crm_seen (event_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS crm_meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS crm_refused (key TEXT PRIMARY KEY, source TEXT NOT NULL, account_id TEXT, event_id TEXT, reason TEXT NOT NULL, at TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS crm_rechecks (account_id TEXT PRIMARY KEY, due INTEGER NOT NULL);
`;

const PARTNER_FIELDS = ['name', 'email', 'ref', 'street', 'city', 'zip', 'vat', 'credit_limit', 'property_payment_term_id'] as const;
const FISCAL_FIELDS = ['vat', 'name'] as const;

export function createCrmSync(options: CrmSyncOptions): CrmSync {
  const { context, odoo, event } = options;
  const clock = context.clock;
  const rng = context.rng.fork('crm-retry-jitter');
  const terms = new PaymentTerms();
  let location = ':memory:';
  if (context.dataDir !== undefined) {
    mkdirSync(context.dataDir, { recursive: true });
    location = join(context.dataDir, 'crm-sync.sqlite');
  }
  const db = new DatabaseSync(location);
  db.exec(SCHEMA);
  const q = {
    seen: db.prepare('INSERT OR IGNORE INTO crm_seen (event_id) VALUES (?)'),
    get: db.prepare('SELECT version, body, synced FROM crm_accounts WHERE account_id = ?'),
    put: db.prepare(
      'INSERT INTO crm_accounts (account_id, version, body) VALUES (?, ?, ?) ON CONFLICT(account_id) DO UPDATE SET version = excluded.version, body = excluded.body, dead = NULL, permanent = 0 WHERE excluded.version > crm_accounts.version',
    ),
    synced: db.prepare('UPDATE crm_accounts SET synced = ? WHERE account_id = ? AND synced < ?'),
    dead: db.prepare('UPDATE crm_accounts SET dead = ?, permanent = ?, dead_at = ? WHERE account_id = ?'),
    revive: db.prepare('UPDATE crm_accounts SET dead = NULL WHERE dead IS NOT NULL AND permanent = 0'),
    unsynced: db.prepare('SELECT account_id FROM crm_accounts WHERE synced < version AND dead IS NULL ORDER BY account_id'),
    deadList: db.prepare('SELECT account_id, dead, permanent, dead_at FROM crm_accounts WHERE dead IS NOT NULL ORDER BY account_id'),
    refuse: db.prepare('INSERT OR IGNORE INTO crm_refused (key, source, account_id, event_id, reason, at, body) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    refusedList: db.prepare('SELECT source, account_id, event_id, reason, at, body FROM crm_refused ORDER BY at, key'),
    hwm: db.prepare(`SELECT value FROM crm_meta WHERE key = 'since'`),
    setHwm: db.prepare(`INSERT INTO crm_meta (key, value) VALUES ('since', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value`),
    recheckDue: db.prepare('INSERT INTO crm_rechecks (account_id, due) VALUES (?, ?) ON CONFLICT(account_id) DO UPDATE SET due = MAX(due, excluded.due)'),
    rechecked: db.prepare('DELETE FROM crm_rechecks WHERE account_id = ? AND due <= ?'),
    rechecks: db.prepare('SELECT account_id, due FROM crm_rechecks ORDER BY account_id'),
  };
  const running = new Set<string>();
  const again = new Set<string>();
  const timers = new Set<Cancel>();
  let stopped = false;
  let polling = false;

  const later = (ms: number, run: () => void, daemon = false): void => {
    const cancel = clock.setTimer(
      ms,
      () => {
        timers.delete(cancel);
        if (!stopped) run();
      },
      { daemon },
    );
    timers.add(cancel);
  };

  /** Stores the account if it is newer than what is known; true when it is. */
  const remember = (account: CrmAccount): boolean => q.put.run(account.accountId, account.version, JSON.stringify(account)).changes > 0;

  const schedule = (accountId: string, attempt = 1, delayMs = 0): void => {
    if (stopped) return;
    if (running.has(accountId)) {
      again.add(accountId);
      return;
    }
    running.add(accountId);
    later(delayMs, () => void work(accountId, attempt));
  };

  const work = async (accountId: string, attempt: number): Promise<void> => {
    const row = q.get.get(accountId) as { version: number; body: string } | undefined;
    const startedAt = clock.now();
    try {
      if (row !== undefined) {
        await syncAccount(JSON.parse(row.body) as CrmAccount);
        q.synced.run(row.version, accountId, row.version);
        // A run that began once every earlier create must have landed has seen them all.
        q.rechecked.run(accountId, startedAt);
      }
      running.delete(accountId);
      if (again.delete(accountId)) schedule(accountId);
    } catch (error) {
      running.delete(accountId);
      again.delete(accountId);
      if (stopped) return;
      const permanent = error instanceof UnknownPaymentTermError;
      if (permanent || attempt >= options.maxAttempts) {
        q.dead.run(errorMessage(error), permanent ? 1 : 0, new Date(clock.now()).toISOString(), accountId);
        event('crm.deadletter', accountId, { attempts: attempt, error: errorMessage(error) });
        return;
      }
      schedule(accountId, attempt + 1, retryDelayMs(attempt, rng, options.backoff));
    }
  };

  const syncAccount = async (account: CrmAccount): Promise<void> => {
    const client = odoo.withCorrelationId(account.accountId);
    const found = (await client.searchRead('res.partner', ['&', ['parent_id', '=', false], '|', ['ref', '=', account.accountId], emailIs(account.email)], {
      fields: [...PARTNER_FIELDS],
      order: 'id',
    })) as (Record<string, unknown> & { id: number })[];
    if (account.status === 'merged' && account.mergedInto !== null) {
      // Merges mapped: orders still naming the merged-away customer go to the survivor's partner, not a new one.
      const survivorId = survivorOf(account.mergedInto);
      const [survivor] = await client.search(
        'res.partner',
        [
          ['parent_id', '=', false],
          ['ref', '=', survivorId],
        ],
        { limit: 1 },
      );
      if (survivor === undefined) throw new Error(`${account.accountId} was merged into ${survivorId}, which has no partner in Odoo yet`);
      options.partners.rememberPartner(account.email, survivor);
    }
    if (account.status !== 'active') {
      if (found.length > 0)
        await client.write(
          'res.partner',
          found.map((p) => p.id),
          { active: false },
        );
      event(`crm.${account.status}`, account.accountId, {
        archived: found.map((p) => p.id),
        ...(account.mergedInto !== null && { mergedInto: account.mergedInto }),
      });
      return;
    }
    const values = partnerValues(account, await terms.id(client, account.paymentTerms));
    // The newest partner linked to the account (a new version whose archiving of the old one went unanswered),
    // else the oldest found by email: the one the storefront's orders made and use.
    const keep = found.filter((p) => p.ref === account.accountId).at(-1) ?? found[0];
    const extra = found.filter((p) => p !== keep);
    if (extra.length > 0)
      await client.write(
        'res.partner',
        extra.map((p) => p.id),
        { active: false },
      );
    if (keep === undefined) {
      const id = await createPartner(client, account.accountId, values);
      options.partners.rememberPartner(account.email, id);
      event('crm.partner.created', account.accountId, { partnerId: id, version: account.version });
      return;
    }
    const changed = Object.fromEntries(Object.entries(values).filter(([field, value]) => !samePartnerValue(keep[field], value)));
    if (Object.keys(changed).length === 0) return;
    const fiscal = FISCAL_FIELDS.some((f) => f in changed);
    if (fiscal && (await hasPostedInvoices(client, keep.id))) {
      // A new version: invoices already sent keep the partner they were posted with.
      const id = await createPartner(client, account.accountId, values);
      await client.write('res.partner', [keep.id], { active: false });
      options.partners.rememberPartner(account.email, id);
      event('crm.partner.versioned', account.accountId, { from: keep.id, to: id, version: account.version });
      return;
    }
    await client.write('res.partner', [keep.id], changed);
    event('crm.partner.updated', account.accountId, { partnerId: keep.id, version: account.version });
  };

  /**
   * A create whose answer never came (a timeout, or a crash before it came back) may still land after a
   * later run found no partner and made another, or after the account was merged away; a run once any such
   * call must have arrived archives the copy. A network may hold a call for minutes, so that moment is the
   * end of the late-call window. The store notes it before the call goes out, so the incarnation that takes
   * over after a crash looks again too, even when the partner it found at once left it nothing to create.
   * A first look soon after catches the common case, an answer lost after the create landed, early.
   */
  const createPartner = async (client: OdooClient, accountId: string, values: Record<string, unknown>): Promise<number> => {
    const due = clock.now() + options.lateCallWindowMs;
    q.recheckDue.run(accountId, due);
    recheckAt(accountId, clock.now() + 2 * options.timeoutMs);
    recheckAt(accountId, due);
    return client.create('res.partner', values);
  };
  const recheckAt = (accountId: string, due: number): void => later(Math.max(0, due - clock.now()), () => schedule(accountId));

  /** The live end of a chain of merges (a survivor merged later into another), as far as this store knows. */
  const survivorOf = (accountId: string): string => {
    const visited = new Set<string>();
    let current = accountId;
    for (;;) {
      const row = q.get.get(current) as { body: string } | undefined;
      const known = row === undefined ? undefined : (JSON.parse(row.body) as CrmAccount);
      if (known?.status !== 'merged' || known.mergedInto === null || visited.has(current)) return current;
      visited.add(current);
      current = known.mergedInto;
    }
  };

  const hasPostedInvoices = async (client: OdooClient, partnerId: number): Promise<boolean> =>
    (await client.searchCount('account.move', [
      ['partner_id', '=', partnerId],
      ['state', '=', 'posted'],
      ['move_type', 'in', ['out_invoice', 'out_refund']],
    ])) > 0;

  /** One pass over the CRM's changes since the last complete pass. */
  const poll = async (): Promise<void> => {
    const base = context.urls.crm;
    if (base === undefined || polling) return;
    polling = true;
    try {
      const since = (q.hwm.get() as { value: number } | undefined)?.value ?? 0;
      let cursor: string | null = null;
      let highWater = since;
      for (;;) {
        const url = `${base}/accounts?since=${since}&limit=100${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`;
        const response = await context.fetch(url, { timeoutMs: options.timeoutMs, headers: { [HEADERS.correlationId]: 'crm-reconcile' } });
        if (response.status === 429) {
          const wait = Number(response.headers.get(RETRY_AFTER_HEADER) ?? '1');
          await response.body?.cancel();
          await clock.sleep(Math.max(1, Number.isFinite(wait) ? wait : 1) * 1000);
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel();
          return;
        }
        const page = (await response.json()) as { accounts?: unknown[]; nextCursor?: string | null; changeSeq?: number };
        if (typeof page.changeSeq === 'number') highWater = Math.max(highWater, page.changeSeq);
        for (const raw of page.accounts ?? []) {
          const account = parseCrmAccount(raw);
          if (!account.ok) refuse('api', raw, account.error);
          else if (remember(account.value)) schedule(account.value.accountId);
        }
        if (typeof page.nextCursor !== 'string') break;
        cursor = page.nextCursor;
      }
      q.setHwm.run(highWater);
      // Work a crash left behind, or one Odoo was only out of reach for, gets another turn.
      q.revive.run();
      for (const row of q.unsynced.all() as { account_id: string }[]) schedule(row.account_id);
    } catch {
      // The next pass tries again; webhooks keep flowing meanwhile.
    } finally {
      polling = false;
    }
  };

  const armPoll = (): void => {
    if (options.pollIntervalMs <= 0 || stopped) return;
    // A daemon: the periodic pass must not keep a finished run alive on its own.
    later(options.pollIntervalMs, () => void poll().finally(armPoll), true);
  };
  for (const row of q.unsynced.all() as { account_id: string }[]) schedule(row.account_id);
  for (const row of q.rechecks.all() as { account_id: string; due: number }[]) recheckAt(row.account_id, row.due);
  armPoll();

  /**
   * Parks data that is not a valid account, once per event (or per account version from the API),
   * and says so in the history: the CRM sent it, signed, so someone there has to fix it.
   */
  const refuse = (source: 'webhook' | 'api', value: unknown, reason: string, raw?: string): CrmDeadLetter => {
    const obj = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
    const account = source === 'api' ? obj : obj.account !== null && typeof obj.account === 'object' ? (obj.account as Record<string, unknown>) : {};
    const eventId = source === 'webhook' && typeof obj.id === 'string' ? obj.id : null;
    const accountId = typeof account.accountId === 'string' ? account.accountId : null;
    const body = (raw ?? JSON.stringify(value) ?? String(value)).slice(0, REFUSED_BODY_CHARS);
    const at = new Date(clock.now()).toISOString();
    // A repeat of the same event, or the same account version read again, is one dead letter.
    const key = eventId ?? `${source}:${accountId ?? '?'}:${typeof account.version === 'number' ? account.version : body}`;
    if (q.refuse.run(key, source, accountId, eventId, reason, at, body).changes > 0) event('crm.refused', accountId ?? eventId ?? 'crm', { source, reason });
    return { kind: 'invalid', source, accountId, eventId, reason, at, body };
  };

  return {
    accept(rawBody) {
      const body = parseJson(rawBody);
      if (!body.ok) return json(202, { outcome: 'dead-lettered', reason: refuse('webhook', null, body.error, rawBody).reason });
      const parsed = parseCrmEvent(body.value);
      if (!parsed.ok)
        return json(202, {
          received: (body.value as { id?: unknown } | null)?.id ?? null,
          outcome: 'dead-lettered',
          reason: refuse('webhook', body.value, parsed.error, rawBody).reason,
        });
      const { id, account } = parsed.value;
      if (q.seen.run(id).changes === 0) return json(200, { received: id, outcome: 'duplicate' });
      if (!remember(account)) return json(200, { received: id, outcome: 'stale' });
      schedule(account.accountId);
      return json(200, { received: id, outcome: 'queued' });
    },
    deadLetters: () => {
      const refused = (
        q.refusedList.all() as { source: 'webhook' | 'api'; account_id: string | null; event_id: string | null; reason: string; at: string; body: string }[]
      ).map(
        (r): CrmDeadLetter => ({ kind: 'invalid', source: r.source, accountId: r.account_id, eventId: r.event_id, reason: r.reason, at: r.at, body: r.body }),
      );
      const failed = (q.deadList.all() as { account_id: string; dead: string; permanent: number; dead_at: string | null }[]).map(
        (r): CrmDeadLetter => ({
          kind: r.permanent === 1 ? 'unmappable' : 'exhausted',
          source: 'sync',
          accountId: r.account_id,
          eventId: null,
          reason: r.dead,
          at: r.dead_at ?? '',
          body: null,
        }),
      );
      return [...refused, ...failed].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    },
    stop() {
      stopped = true;
      for (const cancel of timers) cancel();
      timers.clear();
      db.close();
    },
  };
}

/** Odoo answers `false` for empty fields and `[id, name]` for a many2one. */
function samePartnerValue(current: unknown, wanted: unknown): boolean {
  const now = Array.isArray(current) ? current[0] : current;
  if (typeof wanted === 'number' && typeof now === 'number') return Math.abs(wanted - now) < 0.005;
  return (now === false || now === '' ? false : now) === (wanted === '' ? false : wanted);
}
