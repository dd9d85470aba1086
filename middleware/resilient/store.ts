/**
 * The resilient middleware's durable state in node:sqlite: the inbox of
 * messages already accepted, each order's view, the job queue and the
 * dead-letter queue. Everything is written synchronously before a request is
 * acknowledged, so a crash right after the answer loses nothing.
 *
 * Writes outside `atomically` (a job's steps, its lease, its bookkeeping) are
 * grouped: the first opens a transaction and every later one joins it until
 * the current turn's continuations have all run (the tick queue: in sim, the
 * end of a virtual instant), when it commits; or earlier when something leaves
 * the process: `atomically` commits before its message is answered,
 * `renewLease` before its call goes out; or when another incarnation opens or
 * writes the file. One commit per turn instead of one per write. What a crash
 * can lose is unchanged: a crash is an event of its own (a timer in sim, a
 * signal in live), so it cannot fall inside a turn that has not finished; in
 * sim the writes of a turn that ran before the crash at the same instant
 * commit before the restarted incarnation opens the file, just as they had
 * when each write committed on its own. A process killed in the middle of a
 * turn loses that turn's writes whole, never half of them.
 *
 * One file is shared by successive incarnations of the middleware (a crash and
 * restart). Each incarnation takes a new epoch, its fencing token; one that has
 * been superseded notices before its next write or outbound call and stops, so
 * a zombie from before the crash cannot race the new process. An order's job
 * runs under a lease (`leases`): a new incarnation waits until the lease a
 * leftover took has run out, by when every call that leftover sent has timed
 * out on its side.
 */
import { DatabaseSync } from 'node:sqlite';
import type { StatementSync } from 'node:sqlite';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { emptyView, isSettled } from './order-view.ts';
import { customerKey } from '../shared/odoo-sales.ts';
import type { OrderView } from './order-view.ts';

export interface JobRow {
  ref: string;
  attempts: number;
  nextAt: number;
  state: 'pending' | 'dead';
  lastError: string | null;
}

/**
 * The newest epoch per database file in this process. A superseded
 * incarnation lives in the same process as its successor (sim mode, and live
 * mode's in-process restart); a crashed process is simply gone. So the check
 * on every write is a Map lookup, not a query.
 */
const newestEpochByFile = new Map<string, number>();

/**
 * Stores of this process with writes not committed yet, per database file.
 * Another incarnation on the same file commits them before it opens the file
 * or writes (they came first, and their open transaction would lock it out).
 */
const pendingByFile = new Map<string, Set<ResilientStore>>();

function commitOtherWriters(location: string, except?: ResilientStore): void {
  const pending = pendingByFile.get(location);
  if (pending === undefined) return;
  for (const store of [...pending]) if (store !== except) store.commit();
}

export class SupersededError extends Error {
  constructor() {
    super('this middleware incarnation was replaced by a newer one (crash and restart); it stops writing');
    this.name = 'SupersededError';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS inbox (key TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS orders (ref TEXT PRIMARY KEY, payload TEXT, view TEXT NOT NULL, accepted INTEGER NOT NULL, settled INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS orders_unsettled ON orders (settled);
CREATE TABLE IF NOT EXISTS jobs (ref TEXT PRIMARY KEY, attempts INTEGER NOT NULL, next_at INTEGER NOT NULL, state TEXT NOT NULL, last_error TEXT);
CREATE TABLE IF NOT EXISTS partners (email TEXT PRIMARY KEY, id INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS leases (ref TEXT PRIMARY KEY, epoch INTEGER NOT NULL, until INTEGER NOT NULL);
INSERT OR IGNORE INTO meta (key, value) VALUES ('epoch', 0);
`;

export class ResilientStore {
  readonly #db: DatabaseSync;
  readonly #epoch: number;
  readonly #views = new Map<string, OrderView>();
  readonly #partners = new Map<string, number>();
  /** Refs that have a row in `orders` (so a write is an UPDATE). */
  readonly #stored = new Set<string>();
  #closed = false;
  #inTransaction = false;
  /** An open transaction that gathers the writes of this turn made outside `atomically` (see the top of the file). */
  #batchOpen = false;
  /** Work to do once the current transaction commits (what a rollback undoes must not be told). */
  #afterCommit: (() => void)[] = [];
  readonly #onRevive: ((job: JobRow) => void) | undefined;
  readonly #shared: boolean;
  readonly #location: string;
  readonly #q: {
    epoch: StatementSync;
    inboxAdd: StatementSync;
    viewGet: StatementSync;
    viewPut: StatementSync;
    payloadPut: StatementSync;
    viewUpdate: StatementSync;
    begin: StatementSync;
    commit: StatementSync;
    rollback: StatementSync;
    savepoint: StatementSync;
    releaseSavepoint: StatementSync;
    rollbackToSavepoint: StatementSync;
    jobUpsert: StatementSync;
    jobGet: StatementSync;
    jobSet: StatementSync;
    jobDelete: StatementSync;
    jobsPending: StatementSync;
    staleOrders: StatementSync;
    reconcileSoon: StatementSync;
    partnerGet: StatementSync;
    partnerPut: StatementSync;
    deadJobs: StatementSync;
    leaseGet: StatementSync;
    leasePut: StatementSync;
    leaseRelease: StatementSync;
  };

  /**
   * `dataDir` undefined keeps everything in memory (lost on crash, like any process without a disk).
   * `onRevive` hears of each dead-lettered job that new work brings back, once that is committed.
   */
  constructor(dataDir: string | undefined, onRevive?: (job: JobRow) => void) {
    this.#onRevive = onRevive;
    let location = ':memory:';
    if (dataDir !== undefined) {
      mkdirSync(dataDir, { recursive: true });
      location = join(dataDir, 'resilient-middleware.sqlite');
    }
    if (dataDir !== undefined) commitOtherWriters(location);
    this.#db = new DatabaseSync(location);
    this.#shared = dataDir !== undefined;
    // WAL without fsync: every commit reaches the operating system before the
    // answer goes out, so it survives a process crash (the fault modelled here),
    // though not a power cut. An fsync per commit would cost ~2x per write.
    if (dataDir !== undefined) this.#db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;');
    this.#db.exec(SCHEMA);
    this.#db.exec(`UPDATE meta SET value = value + 1 WHERE key = 'epoch'`);
    const db = this.#db;
    this.#q = {
      epoch: db.prepare(`SELECT value FROM meta WHERE key = 'epoch'`),
      inboxAdd: db.prepare('INSERT OR IGNORE INTO inbox (key, at) VALUES (?, ?)'),
      viewGet: db.prepare('SELECT payload, view FROM orders WHERE ref = ?'),
      viewPut: db.prepare(
        'INSERT INTO orders (ref, view, accepted, settled, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(ref) DO UPDATE SET view = excluded.view, accepted = excluded.accepted, settled = excluded.settled, updated_at = excluded.updated_at',
      ),
      payloadPut: db.prepare('UPDATE orders SET payload = ? WHERE ref = ?'),
      viewUpdate: db.prepare('UPDATE orders SET view = ?, accepted = ?, settled = ?, updated_at = ? WHERE ref = ?'),
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT atomically'),
      releaseSavepoint: db.prepare('RELEASE atomically'),
      rollbackToSavepoint: db.prepare('ROLLBACK TO atomically'),
      // A new reason to work revives a dead job; a job in back-off keeps its wait.
      jobUpsert: db.prepare(
        `INSERT INTO jobs (ref, attempts, next_at, state, last_error) VALUES (?, 0, ?, 'pending', NULL)
         ON CONFLICT(ref) DO UPDATE SET
           attempts = CASE WHEN jobs.state = 'dead' THEN 0 ELSE jobs.attempts END,
           next_at = CASE WHEN jobs.state = 'dead' THEN excluded.next_at WHEN jobs.attempts = 0 THEN MIN(jobs.next_at, excluded.next_at) ELSE jobs.next_at END,
           state = 'pending'`,
      ),
      jobGet: db.prepare('SELECT ref, attempts, next_at AS nextAt, state, last_error AS lastError FROM jobs WHERE ref = ?'),
      jobSet: db.prepare('UPDATE jobs SET attempts = ?, next_at = ?, state = ?, last_error = ? WHERE ref = ?'),
      jobDelete: db.prepare('DELETE FROM jobs WHERE ref = ?'),
      jobsPending: db.prepare(
        `SELECT ref, attempts, next_at AS nextAt, state, last_error AS lastError FROM jobs WHERE state = 'pending' ORDER BY next_at, ref`,
      ),
      staleOrders: db.prepare(
        'SELECT ref FROM orders WHERE settled = 0 AND accepted = 1 AND (updated_at <= ? OR updated_at > ?) ORDER BY updated_at, ref LIMIT ?',
      ),
      reconcileSoon: db.prepare('UPDATE orders SET updated_at = 0 WHERE ref = ? AND accepted = 1 AND settled = 0'),
      partnerGet: db.prepare('SELECT id FROM partners WHERE email = ?'),
      partnerPut: db.prepare('INSERT OR REPLACE INTO partners (email, id) VALUES (?, ?)'),
      deadJobs: db.prepare(`SELECT ref, attempts, next_at AS nextAt, state, last_error AS lastError FROM jobs WHERE state = 'dead' ORDER BY ref`),
      leaseGet: db.prepare('SELECT epoch, until FROM leases WHERE ref = ?'),
      leasePut: db.prepare(
        'INSERT INTO leases (ref, epoch, until) VALUES (?, ?, ?) ON CONFLICT(ref) DO UPDATE SET epoch = excluded.epoch, until = excluded.until',
      ),
      leaseRelease: db.prepare('DELETE FROM leases WHERE ref = ? AND epoch = ?'),
    };
    this.#epoch = Number((this.#q.epoch.get() as { value: number }).value);
    this.#location = location;
    if (this.#shared) newestEpochByFile.set(location, this.#epoch);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Throws SupersededError once a newer incarnation opened the same file, or after close. */
  assertCurrent(): void {
    if (this.#closed) throw new SupersededError();
    // An in-memory database belongs to this incarnation alone.
    if (!this.#shared) return;
    if (newestEpochByFile.get(this.#location) !== this.#epoch) throw new SupersededError();
  }

  /**
   * Like `assertCurrent`, but asks the file itself: a leftover in another
   * process (live mode, a process that was paused rather than killed) sees the
   * newer epoch too. Called before every outbound call, so a superseded
   * incarnation sends nothing more.
   */
  assertNewestIncarnation(): void {
    this.assertCurrent();
    if (!this.#shared) return;
    // Inside an open transaction this connection holds the write lock, so no newer epoch can have been committed since it began.
    if (this.#batchOpen) return;
    if (Number((this.#q.epoch.get() as { value: number }).value) !== this.#epoch) throw new SupersededError();
  }

  /**
   * Takes or renews the lease on an order's job until `untilMs`. Undefined when
   * taken; otherwise the time another incarnation's lease runs out.
   */
  takeLease(ref: string, nowMs: number, untilMs: number): number | undefined {
    this.assertNewestIncarnation();
    const held = this.#q.leaseGet.get(ref) as { epoch: number; until: number } | undefined;
    if (held !== undefined && held.epoch !== this.#epoch && held.until > nowMs) return held.until;
    this.#joinBatch();
    this.#q.leasePut.run(ref, this.#epoch, Math.max(untilMs, held?.epoch === this.#epoch ? held.until : 0));
    return undefined;
  }

  /** Extends this incarnation's lease before a call; SupersededError when the lease is someone else's. */
  renewLease(ref: string, nowMs: number, untilMs: number): void {
    if (this.takeLease(ref, nowMs, untilMs) !== undefined) throw new SupersededError();
    // The call goes out next: the lease, and the step's writes before it, are durable before it leaves.
    this.commit();
  }

  /** Gives the lease up once the job's calls have all been answered. */
  releaseLease(ref: string): void {
    this.assertCurrent();
    this.#joinBatch();
    this.#q.leaseRelease.run(ref, this.#epoch);
  }

  /**
   * Runs `fn` in one transaction and commits it, with the writes of this turn
   * before it: what `fn` records is durable before the caller answers. Inside
   * a turn that already wrote, `fn` runs under a savepoint, so its failure
   * undoes only its own writes.
   */
  atomically<T>(fn: () => T): T {
    this.assertCurrent();
    const nested = this.#batchOpen;
    if (nested) this.#q.savepoint.run();
    else {
      if (this.#shared) commitOtherWriters(this.#location, this);
      this.#q.begin.run();
    }
    this.#inTransaction = true;
    try {
      const result = fn();
      if (nested) this.#q.releaseSavepoint.run();
      this.#inTransaction = false;
      this.commit();
      if (!nested) this.#q.commit.run();
      for (const then of this.#afterCommit.splice(0)) then();
      return result;
    } catch (error) {
      this.#inTransaction = false;
      this.#afterCommit = [];
      if (nested) {
        this.#q.rollbackToSavepoint.run();
        this.#q.releaseSavepoint.run();
      } else {
        this.#q.rollback.run();
      }
      // The cached views may hold the rolled-back changes.
      this.#views.clear();
      this.#stored.clear();
      throw error;
    }
  }

  /** Commits the writes gathered in this turn, if any (see the top of the file). */
  commit(): void {
    if (!this.#batchOpen) return;
    this.#batchOpen = false;
    pendingByFile.get(this.#location)?.delete(this);
    if (this.#db.isOpen) this.#q.commit.run();
  }

  /** Opens this turn's transaction before a write outside `atomically`; the end of the turn commits it (after every continuation, unlike a microtask). */
  #joinBatch(): void {
    if (this.#batchOpen || this.#inTransaction) return;
    if (this.#shared) commitOtherWriters(this.#location, this);
    this.#q.begin.run();
    this.#batchOpen = true;
    if (this.#shared) {
      let pending = pendingByFile.get(this.#location);
      if (pending === undefined) pendingByFile.set(this.#location, (pending = new Set()));
      pending.add(this);
    }
    process.nextTick(() => this.commit());
  }

  /** Records a message key; false when it was seen before (a duplicate). */
  firstSighting(key: string, nowMs: number): boolean {
    this.#joinBatch();
    return Number(this.#q.inboxAdd.run(key, nowMs).changes) > 0;
  }

  view(ref: string): OrderView {
    const cached = this.#views.get(ref);
    if (cached !== undefined) return cached;
    const row = this.#q.viewGet.get(ref) as { payload: string | null; view: string } | undefined;
    const view = row === undefined ? emptyView(ref) : (JSON.parse(row.view) as OrderView);
    if (row !== undefined) this.#stored.add(ref);
    if (row?.payload != null) view.order = JSON.parse(row.payload) as OrderView['order'];
    this.#views.set(ref, view);
    return view;
  }

  /**
   * Applies `change` to the order's view and writes it through; a change that
   * returns false changed nothing and writes nothing. The accepted order itself
   * never changes, so it is written once, apart from the view.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a change may return nothing (it changed the view) or false (it changed nothing).
  updateView(ref: string, nowMs: number, change: (view: OrderView) => void | boolean): OrderView {
    this.assertCurrent();
    const view = this.view(ref);
    const hadOrder = view.order !== undefined;
    try {
      if (change(view) === false) return view;
      this.#joinBatch();
      const { order, ...rest } = view;
      const accepted = order !== undefined ? 1 : 0;
      const settled = isSettled(view) ? 1 : 0;
      if (this.#stored.has(ref)) this.#q.viewUpdate.run(JSON.stringify(rest), accepted, settled, nowMs, ref);
      else {
        this.#q.viewPut.run(ref, JSON.stringify(rest), accepted, settled, nowMs);
        this.#stored.add(ref);
      }
      if (order !== undefined && !hadOrder) this.#q.payloadPut.run(JSON.stringify(order), ref);
    } catch (error) {
      // The cached copy may now differ from the database: read it again next time.
      this.#views.delete(ref);
      this.#stored.delete(ref);
      throw error;
    }
    return view;
  }

  /** Puts the order's job in the queue; a dead-lettered job comes back to life (and `onRevive` hears of it). */
  enqueue(ref: string, atMs: number): void {
    const dead = this.#onRevive === undefined ? undefined : this.job(ref);
    this.#joinBatch();
    this.#q.jobUpsert.run(ref, atMs);
    if (dead?.state !== 'dead') return;
    const tell = () => this.#onRevive!(dead);
    if (this.#inTransaction) this.#afterCommit.push(tell);
    else tell();
  }

  job(ref: string): JobRow | undefined {
    return this.#q.jobGet.get(ref) as JobRow | undefined;
  }

  setJob(job: JobRow): void {
    this.assertCurrent();
    this.#joinBatch();
    this.#q.jobSet.run(job.attempts, job.nextAt, job.state, job.lastError, job.ref);
  }

  finishJob(ref: string): void {
    this.assertCurrent();
    this.#joinBatch();
    this.#q.jobDelete.run(ref);
  }

  pendingJobs(): JobRow[] {
    return this.#q.jobsPending.all() as unknown as JobRow[];
  }

  deadLetters(): JobRow[] {
    return this.#q.deadJobs.all() as unknown as JobRow[];
  }

  /**
   * Accepted orders not settled and untouched since `beforeMs`: candidates for
   * reconciliation. An order stamped after `notAfterMs`, later than any check
   * is put off to, was stamped before the clock stepped back, and is a
   * candidate too: otherwise it would wait out the step.
   */
  staleOrders(beforeMs: number, notAfterMs: number, limit: number): string[] {
    return (this.#q.staleOrders.all(beforeMs, notAfterMs, limit) as { ref: string }[]).map((r) => r.ref);
  }

  /** Puts an accepted, unsettled order first in line for the next reconciliation pass, however quiet it has been. */
  reconcileSoon(ref: string): void {
    this.assertCurrent();
    this.#joinBatch();
    this.#q.reconcileSoon.run(ref);
  }

  /** The partner known for the customer with `email`, in any case. */
  partnerId(email: string): number | undefined {
    const key = customerKey(email);
    const cached = this.#partners.get(key);
    if (cached !== undefined) return cached;
    const row = this.#q.partnerGet.get(key) as { id: number } | undefined;
    if (row !== undefined) this.#partners.set(key, row.id);
    return row?.id;
  }

  rememberPartner(email: string, id: number): void {
    const key = customerKey(email);
    this.#joinBatch();
    this.#q.partnerPut.run(key, id);
    this.#partners.set(key, id);
  }

  close(): void {
    if (this.#closed) return;
    // A process that stops cleanly commits what it wrote.
    this.commit();
    this.#closed = true;
    this.#db.close();
  }
}
