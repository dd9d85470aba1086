import type { Env } from '../../orm/env.ts';
import { UserError } from '../../orm/errors.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod, type Row } from '../../orm/model.ts';
import { moveResidual } from './account_amounts.ts';
import { postMoves } from './account_move_actions.ts';
import { htmlLink, logMessage } from './chatter.ts';
import { reversalAction } from './actions.ts';
import { idList } from './company.ts';
import { MSG } from './messages.ts';

function firstMoveValue(env: Env, row: Row, field: string): unknown {
  const [first] = idList(row.move_ids);
  return first === undefined ? false : (env.model('account.move').get(first, field) ?? false);
}

function activeMoves(env: Env): number[] {
  if (env.context.active_model !== 'account.move') return [];
  const raw = env.context.active_ids ?? env.context.active_id;
  return Array.isArray(raw) ? raw.filter((id): id is number => typeof id === 'number') : typeof raw === 'number' ? [raw] : [];
}

const REVERSE_TYPE: Readonly<Record<string, string>> = {
  out_invoice: 'out_refund',
  out_refund: 'out_invoice',
  in_invoice: 'in_refund',
  in_refund: 'in_invoice',
  entry: 'entry',
};

/** A draft credit note mirroring `moveId` line for line (sale links kept, so qty_invoiced drops). */
/** The reversal wizard's note on each reversed entry, linking its reverse. */
function reversedNotes(env: Env, originals: readonly number[], reverses: readonly number[]): void {
  for (const [i, moveId] of originals.entries())
    logMessage(env, 'account.move', moveId, `<p>This entry has been ${htmlLink(env, 'account.move', reverses[i]!, 'reversed')}</p>`);
}

function reverseMove(env: Env, moveId: number, reason: string | false, date: string): number {
  const moves = env.model('account.move');
  const lines = env.model('account.move.line');
  const move = moves.row(moveId)!;
  const lineVals = idList(moves.get(moveId, 'invoice_line_ids')).map((id) => {
    const line = lines.row(id)!;
    return [
      0,
      0,
      {
        display_type: line.display_type,
        name: line.name,
        product_id: line.product_id,
        product_uom_id: line.product_uom_id,
        quantity: line.quantity,
        price_unit: line.price_unit,
        discount: line.discount,
        tax_ids: [[6, 0, idList(line.tax_ids)]],
        sale_line_ids: [[6, 0, idList(line.sale_line_ids)]],
        account_id: line.account_id,
      },
    ];
  });
  const reverseId = moves.create({
    move_type: REVERSE_TYPE[String(move.move_type)] ?? 'entry',
    journal_id: move.journal_id,
    partner_id: move.partner_id,
    currency_id: move.currency_id,
    invoice_origin: move.invoice_origin,
    ref: reason === false || reason === '' ? `Reversal of: ${String(move.name)}` : `Reversal of: ${String(move.name)}, ${reason}`,
    date,
    invoice_date: date,
    invoice_payment_term_id: false,
    reversed_entry_id: moveId,
    invoice_line_ids: lineVals,
  });
  // account.move.copy logs where a copy came from.
  logMessage(env, 'account.move', reverseId, `<p>This entry has been reversed from ${htmlLink(env, 'account.move', moveId)}</p>`);
  return reverseId;
}

/**
 * The credit-note wizard. `refund_moves` makes draft credit notes;
 * `modify_moves` posts them, reconciles them with the invoices (which then
 * read `reversed`) and opens a draft copy of each invoice.
 */
export const accountMoveReversal = defineModel({
  name: 'account.move.reversal',
  description: 'Account Move Reversal',
  transient: true,
  fields: {
    move_ids: fields.many2many('account.move', { string: 'Journal Entries', default: (env: Env) => [[6, 0, activeMoves(env)]] }),
    new_move_ids: fields.many2many('account.move', { string: 'New Moves' }),
    date: fields.date({ string: 'Reversal date', default: (env: Env) => env.today() }),
    reason: fields.char({ string: 'Reason displayed on Credit Note' }),
    // Required in 17, with no default from the moves: a client must pass it (transcript 15).
    journal_id: fields.many2one('account.journal', { string: 'Journal', required: true }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env: Env) => env.companyId }),
    move_type: fields.char({ string: 'Move Type', compute: (env, row) => firstMoveValue(env, row, 'move_type') }),
    currency_id: fields.many2one('res.currency', { string: 'Currency', compute: (env, row) => firstMoveValue(env, row, 'currency_id') }),
    residual: fields.monetary({
      string: 'Residual',
      compute: (env, row) => idList(row.move_ids).reduce((sum, id) => sum + moveResidual(env, env.model('account.move').row(id)!), 0),
    }),
  },
  hooks: {
    afterCreate(env, ids) {
      const wizards = env.model('account.move.reversal');
      const moves = env.model('account.move');
      for (const id of ids) {
        for (const moveId of idList(wizards.get(id, 'move_ids'))) {
          if (moves.row(moveId)?.state !== 'posted') throw new UserError(MSG.reversalOnlyPosted);
        }
      }
    },
  },
  methods: {
    refund_moves: recordMethod([], ({ env, model, ids }) => {
      const created: number[] = [];
      for (const id of ids) {
        const wizard = model.row(id)!;
        const originals = idList(wizard.move_ids);
        const reverses = originals.map((moveId) => reverseMove(env, moveId, (wizard.reason as string | false) ?? false, String(wizard.date)));
        created.push(...reverses);
        reversedNotes(env, originals, reverses);
        model.write([id], { new_move_ids: [[6, 0, created]] });
      }
      return reversalAction(created, String(env.model('account.move').get(created[0] ?? 0, 'move_type') ?? 'out_refund'));
    }),
    modify_moves: recordMethod([], ({ env, model, ids }) => {
      const moves = env.model('account.move');
      const copies: number[] = [];
      for (const id of ids) {
        const wizard = model.row(id)!;
        for (const moveId of idList(wizard.move_ids)) {
          const refund = reverseMove(env, moveId, (wizard.reason as string | false) ?? false, String(wizard.date));
          // Posting the credit note reconciles it with the invoice (postMoves).
          postMoves(env, [refund]);
          reversedNotes(env, [moveId], [refund]);
          const original = moves.row(moveId)!;
          const lines = env.model('account.move.line');
          copies.push(
            moves.create({
              move_type: original.move_type,
              journal_id: original.journal_id,
              partner_id: original.partner_id,
              currency_id: original.currency_id,
              invoice_origin: original.invoice_origin,
              invoice_payment_term_id: original.invoice_payment_term_id,
              invoice_line_ids: idList(moves.get(moveId, 'invoice_line_ids')).map((lineId) => {
                const line = lines.row(lineId)!;
                return [
                  0,
                  0,
                  {
                    name: line.name,
                    product_id: line.product_id,
                    product_uom_id: line.product_uom_id,
                    quantity: line.quantity,
                    price_unit: line.price_unit,
                    discount: line.discount,
                    tax_ids: [[6, 0, idList(line.tax_ids)]],
                    sale_line_ids: [[6, 0, idList(line.sale_line_ids)]],
                    account_id: line.account_id,
                  },
                ];
              }),
            }),
          );
        }
        model.write([id], { new_move_ids: [[6, 0, copies]] });
      }
      return reversalAction(copies, String(moves.get(copies[0] ?? 0, 'move_type') ?? 'out_refund'));
    }),
  },
});
