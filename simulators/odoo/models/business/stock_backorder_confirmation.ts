import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { idList } from './company.ts';
import { buttonValidate } from './stock_validate.ts';
import { activitiesForShortDelivery } from './mail_thread.ts';

function wizardPickings(env: Env, wizardIds: readonly number[]): number[] {
  const fromContext = env.context.button_validate_picking_ids;
  if (Array.isArray(fromContext)) return fromContext as number[];
  const wizards = env.model('stock.backorder.confirmation');
  return [...new Set(wizardIds.flatMap((id) => idList(wizards.get(id, 'pick_ids'))))];
}

/** One picking of the wizard, and whether it gets a backorder. */
export const stockBackorderConfirmationLine = defineModel({
  name: 'stock.backorder.confirmation.line',
  description: 'Backorder Confirmation Line',
  transient: true,
  recName: 'picking_id',
  fields: {
    backorder_confirmation_id: fields.many2one('stock.backorder.confirmation', { string: 'Immediate Transfer', ondelete: 'cascade' }),
    picking_id: fields.many2one('stock.picking', { string: 'Transfer' }),
    to_backorder: fields.boolean({ string: 'To Backorder', default: false }),
  },
});

/** The "Create Backorder?" wizard that a short button_validate returns. */
export const stockBackorderConfirmation = defineModel({
  name: 'stock.backorder.confirmation',
  description: 'Backorder Confirmation',
  transient: true,
  fields: {
    pick_ids: fields.many2many('stock.picking', { string: 'Pick' }),
    show_transfers: fields.boolean({ string: 'Show Transfers', default: false }),
    backorder_confirmation_line_ids: fields.one2many('stock.backorder.confirmation.line', 'backorder_confirmation_id', 'Backorder Confirmation Lines'),
  },
  // The wizard has no name field: Odoo shows "model,id".
  displayName: (_env, row) => `stock.backorder.confirmation,${row.id}`,
  hooks: {
    // default_get: one line per picking, each to be backordered.
    afterCreate(env, ids) {
      const wizards = env.model('stock.backorder.confirmation');
      const lines = env.model('stock.backorder.confirmation.line');
      for (const id of ids) {
        if (idList(wizards.get(id, 'backorder_confirmation_line_ids')).length > 0) continue;
        for (const picking of idList(wizards.get(id, 'pick_ids'))) lines.create({ backorder_confirmation_id: id, picking_id: picking, to_backorder: true });
      }
    },
  },
  methods: {
    process: recordMethod([], ({ env, ids }) => {
      const pickings = wizardPickings(env, ids);
      return buttonValidate(env.withContext({ skip_backorder: true, skip_sanity_check: true }), pickings);
    }),
    process_cancel_backorder: recordMethod([], ({ env, ids }) => {
      const pickings = wizardPickings(env, ids);
      const wizards = env.model('stock.backorder.confirmation');
      const notToBackorder = [...new Set(ids.flatMap((id) => idList(wizards.get(id, 'pick_ids'))))];
      activitiesForShortDelivery(env, notToBackorder.length > 0 ? notToBackorder : pickings);
      return buttonValidate(
        env.withContext({ skip_backorder: true, skip_sanity_check: true, picking_ids_not_to_backorder: notToBackorder.length > 0 ? notToBackorder : pickings }),
        pickings,
      );
    }),
  },
});
