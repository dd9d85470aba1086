import type { Env } from '../../orm/env.ts';
import { ValidationError } from '../../orm/errors.ts';
import type { Row } from '../../orm/model.ts';
import { changedSinceStart, markOnCommit } from './concurrency_guard.ts';
import { MSG } from './messages.ts';

/**
 * Journal entry names as Odoo 17's sequence mixin gives them: gap-free,
 * computed from the existing names (so a rolled-back call frees its number),
 * `INV/2026/00001` for invoices, `RINV/…` for credit notes when the journal has
 * a dedicated credit-note sequence, `PBNK1/…` for payments. The first entry of
 * a journal and period is numbered while still draft; later drafts stay "/"
 * until posted. A draft keeps whatever name it holds when it is posted, and
 * the unique index on posted names refuses it if another entry of the journal
 * took that name first (transcript 107_invoice_name_clash).
 */
export interface SequenceSlot {
  readonly prefix: string;
  readonly padding: number;
}

type EntryKind = 'payment' | 'refund' | 'other';

export function sequenceSlot(env: Env, move: Row): SequenceSlot {
  const isPayment = typeof move.payment_id === 'number' && move.payment_id > 0;
  const isRefund = move.move_type === 'out_refund' || move.move_type === 'in_refund';
  return slotOf(env, move.journal_id, move.invoice_date || move.date, isPayment ? 'payment' : isRefund ? 'refund' : 'other');
}

function slotOf(env: Env, journalId: unknown, entryDate: unknown, kind: EntryKind): SequenceSlot {
  const journal = env.model('account.journal').row(journalId as number);
  const code = String(journal?.code ?? 'MISC');
  const type = journal?.type;
  const date = String(entryDate || env.today());
  const year = date.slice(0, 4);
  if (kind === 'payment' && journal?.payment_sequence !== false) return { prefix: `P${code}/${year}/`, padding: 5 };
  if (kind === 'refund' && journal?.refund_sequence === true) return { prefix: `R${code}/${year}/`, padding: 5 };
  if (type === 'sale' || type === 'bank' || type === 'cash') return { prefix: `${code}/${year}/`, padding: 5 };
  return { prefix: `${code}/${year}/${date.slice(5, 7)}/`, padding: 4 };
}

function movesOfJournal(env: Env, journalId: unknown): number[] {
  return typeof journalId === 'number' ? env.db.table('account.move').referrers('journal_id', journalId) : [];
}

interface LastNumber {
  readonly number: number;
  readonly moveId: number;
}

/**
 * The last number per journal and prefix, remembered with the move that holds
 * it. It is trusted only while that move still holds it, so a rolled-back or
 * deleted number is noticed and the journal is scanned again.
 */
const lastNumbers = new WeakMap<Env['db'], Map<string, LastNumber>>();

function scanLastNumber(env: Env, journalId: unknown, slot: SequenceSlot, exceptId: number): LastNumber {
  const moves = env.model('account.move');
  let last: LastNumber = { number: 0, moveId: 0 };
  for (const id of movesOfJournal(env, journalId)) {
    if (id === exceptId) continue;
    const row = moves.row(id);
    if (row === undefined || row.sequence_prefix !== slot.prefix) continue;
    const n = Number(row.sequence_number ?? 0);
    if (n > last.number) last = { number: n, moveId: id };
  }
  return last;
}

/** Highest number used under `slot` in the journal, other than by `exceptId` (a move being numbered). */
function lastNumber(env: Env, journalId: unknown, slot: SequenceSlot, exceptId: number): number {
  const cache = cacheOf(env);
  const key = `${String(journalId)}|${slot.prefix}`;
  const cached = cache.get(key);
  if (cached !== undefined && cached.moveId !== exceptId) {
    const holder = env.model('account.move').row(cached.moveId);
    if (holder?.sequence_prefix === slot.prefix && holder.sequence_number === cached.number) return cached.number;
  }
  const scanned = scanLastNumber(env, journalId, slot, exceptId);
  if (scanned.moveId !== 0) cache.set(key, scanned);
  return scanned.number;
}

function cacheOf(env: Env): Map<string, LastNumber> {
  let cache = lastNumbers.get(env.db);
  if (cache === undefined) lastNumbers.set(env.db, (cache = new Map()));
  return cache;
}

function remember(env: Env, journalId: unknown, slot: SequenceSlot, number: number, moveId: number): void {
  const cache = cacheOf(env);
  const key = `${String(journalId)}|${slot.prefix}`;
  if ((cache.get(key)?.number ?? 0) < number) cache.set(key, { number, moveId });
}

function assign(env: Env, move: Row, slot: SequenceSlot, number: number): void {
  env.model('account.move').write([move.id], {
    name: slot.prefix + String(number).padStart(slot.padding, '0'),
    sequence_prefix: slot.prefix,
    sequence_number: number,
  });
  remember(env, move.journal_id, slot, number, move.id);
  if (number === 1) markOnCommit(env, [firstNumberKey(move.journal_id, slot)]);
}

/** Remembered (concurrency_guard.ts) when a call commits the first number of a journal's sequence. */
const firstNumberKey = (journalId: unknown, slot: SequenceSlot): string => `first-number:${String(journalId)}|${slot.prefix}`;

/** The first-number key of the payments `journalId` numbers on `date`: two first payments at once both take it. */
export function firstPaymentNumberKey(env: Env, journalId: unknown, date: unknown): string {
  return firstNumberKey(journalId, slotOf(env, journalId, date, 'payment'));
}

/**
 * Odoo's `_compute_split_sequence`: the number is the last run of up to nine
 * digits that only non-digits follow, the prefix everything before it; "/"
 * splits into "" and 0.
 */
const SEQUENCE_PARTS = /^(?:.*?)(\d{0,9})(?:\D*?)$/d;

export function splitSequence(name: unknown): { sequence_prefix: string; sequence_number: number } {
  const text = typeof name === 'string' ? name : '';
  const match = SEQUENCE_PARTS.exec(text);
  const digits = match?.indices?.[1];
  if (match === null || digits === undefined) return { sequence_prefix: text, sequence_number: 0 };
  return { sequence_prefix: text.slice(0, digits[0]), sequence_number: Number(match[1] || 0) };
}

/**
 * At creation: only the first entry of its journal and period gets a number.
 * PostgreSQL gives a call the snapshot from when it started, so a call that
 * began before the first number was committed saw none and numbers its draft
 * first too: two invoices created at once on a fresh year both hold
 * `INV/2026/00001` as drafts (real-odoo17-concurrency.md, e).
 */
export function nameDraftMove(env: Env, moveId: number): void {
  const move = env.model('account.move').row(moveId);
  if (move === undefined || (move.name !== '/' && move.name !== false)) return;
  const slot = sequenceSlot(env, move);
  if (lastNumber(env, move.journal_id, slot, moveId) === 0 || changedSinceStart(env, firstNumberKey(move.journal_id, slot))) assign(env, move, slot, 1);
}

/** At posting: a "/" entry takes the next free number; a named one keeps its name, which must be free among posted entries. */
export function namePostedMove(env: Env, moveId: number): void {
  const move = env.model('account.move').row(moveId);
  if (move === undefined) return;
  if (move.name !== '/' && move.name !== false && move.name !== '') {
    refuseTakenName(env, move);
    return;
  }
  const slot = sequenceSlot(env, move);
  assign(env, move, slot, lastNumber(env, move.journal_id, slot, moveId) + 1);
}

/** The unique index `account_move_unique_name` (name, journal) over posted entries; a number just assigned is free by construction. */
function refuseTakenName(env: Env, move: Row): void {
  const moves = env.model('account.move');
  for (const id of movesOfJournal(env, move.journal_id)) {
    if (id === move.id) continue;
    const other = moves.row(id);
    if (other?.state === 'posted' && other.name === move.name) throw new ValidationError(MSG.uniqueViolation(MSG.sameEntryName));
  }
}
