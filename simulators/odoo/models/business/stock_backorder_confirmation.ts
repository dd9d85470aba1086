import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, recordMethod } from '../../orm/model.ts';
import { idList } from './company.ts';
import { buttonValidate } from './stock_validate.ts';

function wizardPickings(env: Env, wizardIds: readonly number[]): number[] {
  const fromContext = env.context.button_validate_picking_ids;
  if (Array.isArray(fromContext)) return fromContext as number[];
  const wizards = env.model('stock.backorder.confirmation');
  return [...new Set(wizardIds.flatMap((id) => idList(wizards.get(id, 'pick_ids'))))];
}

/** The "Create Backorder?" wizard that a short button_validate returns. */
export const stockBackorderConfirmation = defineModel({
  name: 'stock.backorder.confirmation',
  description: 'Backorder Confirmation',
  transient: true,
  fields: {
    pick_ids: fields.many2many('stock.picking', { string: 'Pick' }),
    show_transfers: fields.boolean({ string: 'Show Transfers', default: false }),
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
      return buttonValidate(
        env.withContext({ skip_backorder: true, skip_sanity_check: true, picking_ids_not_to_backorder: notToBackorder.length > 0 ? notToBackorder : pickings }),
        pickings,
      );
    }),
  },
});
