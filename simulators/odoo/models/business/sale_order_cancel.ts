import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { idList } from './company.ts';

/** The wizard that `sale.order.action_cancel` returns for confirmed orders. */
export const saleOrderCancel = defineModel({
  name: 'sale.order.cancel',
  description: 'Sales Order Cancel',
  transient: true,
  recName: 'subject',
  fields: {
    order_id: fields.many2one('sale.order', { string: 'Sale Order', required: true, ondelete: 'cascade' }),
    template_id: fields.integer({ string: 'Mail Template' }),
    subject: fields.char({ string: 'Subject' }),
    body: fields.html({ string: 'Contents' }),
    display_invoice_alert: fields.boolean({
      string: 'Invoice Alert',
      // Draft invoices would be cancelled along with the order.
      compute: (env, row) => {
        if (typeof row.order_id !== 'number') return false;
        const moves = env.model('account.move');
        return idList(env.model('sale.order').get(row.order_id, 'invoice_ids')).some((id) => moves.row(id)?.state === 'draft');
      },
    }),
  },
  methods: {
    action_cancel: recordMethod([], ({ env, model, ids }) => {
      const orders = [...new Set(ids.map((id) => model.row(id)?.order_id).filter((id): id is number => typeof id === 'number'))];
      return env.withContext({ disable_cancel_warning: true }).model('sale.order').call('action_cancel', orders);
    }),
    action_send_mail_and_cancel: recordMethod([], ({ env, model, ids }) => {
      const orders = [...new Set(ids.map((id) => model.row(id)?.order_id).filter((id): id is number => typeof id === 'number'))];
      return env.withContext({ disable_cancel_warning: true }).model('sale.order').call('action_cancel', orders);
    }),
  },
});
