import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';

/**
 * A reconciliation between two moves. Odoo links journal items (the
 * receivable lines); the emulator does not model those, so it links the moves
 * themselves: the invoice (debit side) and the payment or credit note.
 */
export const accountPartialReconcile = defineModel({
  name: 'account.partial.reconcile',
  description: 'Partial Reconcile',
  order: 'id',
  recName: 'id',
  fields: {
    debit_move_id: fields.many2one('account.move', { string: 'Debit entry', required: true, index: true, ondelete: 'cascade' }),
    credit_move_id: fields.many2one('account.move', { string: 'Credit entry', required: true, index: true, ondelete: 'cascade' }),
    amount: fields.monetary({ string: 'Amount' }),
    max_date: fields.date({ string: 'Max Date of Matched Lines' }),
    company_id: fields.many2one('res.company', { string: 'Company', default: (env) => env.companyId }),
  },
  displayName: (_env, row) => String(row.id),
});
