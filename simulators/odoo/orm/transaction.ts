import type { Row } from './model.ts';

type UndoEntry =
  | { kind: 'insert'; model: string; id: number }
  | { kind: 'update'; model: string; id: number; before: Record<string, unknown> }
  | { kind: 'delete'; model: string; row: Row };

/** What the transaction needs from the store to undo itself. */
export interface UndoTarget {
  undoInsert(model: string, id: number): void;
  undoUpdate(model: string, id: number, before: Record<string, unknown>): void;
  undoDelete(model: string, row: Row): void;
}

/**
 * One RPC call's changes, as an undo log: rolling back replays it backwards.
 * Cheaper than copying state per call, and a failed call leaves nothing behind
 * (except sequence numbers, which Odoo does not roll back either). Also keeps
 * the set of rows written, the hook for concurrency conflict models.
 */
export class Transaction {
  #log: UndoEntry[] = [];
  #afterCommit: Array<() => void> = [];
  #precommit: Map<string, () => void> | undefined;
  #closed = false;
  /** `model:id` of every row created, written or deleted. */
  readonly written = new Set<string>();

  recordInsert(model: string, id: number): void {
    this.#log.push({ kind: 'insert', model, id });
    this.written.add(`${model}:${id}`);
  }

  /** An insert undone with the call but left out of `written`: rows no other call can conflict on (chatter). */
  recordQuietInsert(model: string, id: number): void {
    this.#log.push({ kind: 'insert', model, id });
  }

  /** `before` holds the previous value of every field about to change. */
  recordUpdate(model: string, id: number, before: Record<string, unknown>): void {
    this.#log.push({ kind: 'update', model, id, before });
    this.written.add(`${model}:${id}`);
  }

  recordDelete(model: string, row: Row): void {
    this.#log.push({ kind: 'delete', model, row });
    this.written.add(`${model}:${row.id}`);
  }

  /** Runs `fn` once the call's changes are committed (never on rollback). */
  onCommit(fn: () => void): void {
    this.#afterCommit.push(fn);
  }

  /**
   * Runs `fn` once at the end of the call, before it commits, as Odoo's
   * `cr.precommit` (where mail.thread turns the fields a call changed into one
   * tracking message per record). One task per key; a task may add others.
   */
  precommit(key: string, fn: () => void): void {
    (this.#precommit ??= new Map()).set(key, fn);
  }

  /** Runs the precommit tasks, in the order they were first added; they may throw to roll the call back. */
  flushPrecommit(): void {
    const tasks = this.#precommit;
    if (tasks === undefined) return;
    while (tasks.size > 0) {
      const [key, fn] = tasks.entries().next().value!;
      tasks.delete(key);
      fn();
    }
  }

  get changeCount(): number {
    return this.#log.length;
  }

  commit(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#log = [];
    for (const fn of this.#afterCommit) fn();
    this.#afterCommit = [];
  }

  rollback(target: UndoTarget): void {
    if (this.#closed) return;
    this.#closed = true;
    const log = this.#log;
    for (let i = log.length - 1; i >= 0; i--) {
      const entry = log[i]!;
      if (entry.kind === 'insert') target.undoInsert(entry.model, entry.id);
      else if (entry.kind === 'update') target.undoUpdate(entry.model, entry.id, entry.before);
      else target.undoDelete(entry.model, entry.row);
    }
    this.#log = [];
    this.#afterCommit = [];
  }
}
