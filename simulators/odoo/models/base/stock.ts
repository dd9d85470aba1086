import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, type Row } from '../../orm/model.ts';

/** Odoo 17: view locations and roots keep their own name; others are "Parent/Name". */
function locationCompleteName(env: Env, row: Row): string {
  const name = typeof row.name === 'string' ? row.name : '';
  if (typeof row.location_id !== 'number' || row.usage === 'view') return name;
  const parent = env.model('stock.location').row(row.location_id);
  return parent === undefined ? name : `${locationCompleteName(env, parent)}/${name}`;
}

export const stockLocation = defineModel({
  name: 'stock.location',
  description: 'Inventory Locations',
  order: 'complete_name, id',
  recName: 'complete_name',
  fields: {
    name: fields.char({ string: 'Location Name', required: true }),
    complete_name: fields.char({ string: 'Full Location Name', compute: locationCompleteName, store: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    usage: fields.selection(
      [
        ['supplier', 'Vendor Location'],
        ['view', 'View'],
        ['internal', 'Internal Location'],
        ['customer', 'Customer Location'],
        ['inventory', 'Inventory Loss'],
        ['production', 'Production'],
        ['transit', 'Transit Location'],
      ],
      { string: 'Location Type', required: true, default: 'internal' },
    ),
    location_id: fields.many2one('stock.location', { string: 'Parent Location', ondelete: 'cascade', index: true }),
    child_ids: fields.one2many('stock.location', 'location_id', 'Contains'),
    company_id: fields.many2one('res.company', 'Company'),
    scrap_location: fields.boolean({ string: 'Is a Scrap Location?', default: false }),
    return_location: fields.boolean({ string: 'Is a Return Location?', default: false }),
    barcode: fields.char('Barcode'),
    warehouse_id: fields.many2one('stock.warehouse', {
      string: 'Warehouse',
      compute: (env, row) => {
        const warehouses = env.model('stock.warehouse');
        for (const id of warehouses.allIds()) {
          const view = warehouses.row(id)!.view_location_id;
          let current: Row | undefined = row;
          while (current !== undefined) {
            if (current.id === view) return id;
            current = typeof current.location_id === 'number' ? env.model('stock.location').row(current.location_id) : undefined;
          }
        }
        return false;
      },
    }),
  },
});

export const stockWarehouse = defineModel({
  name: 'stock.warehouse',
  description: 'Warehouse',
  order: 'sequence,id',
  fields: {
    name: fields.char({ string: 'Warehouse', required: true }),
    code: fields.char({ string: 'Short Name', required: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    partner_id: fields.many2one('res.partner', 'Address'),
    view_location_id: fields.many2one('stock.location', { string: 'View Location', required: true }),
    lot_stock_id: fields.many2one('stock.location', { string: 'Location Stock', required: true }),
    in_type_id: fields.many2one('stock.picking.type', 'In Type'),
    out_type_id: fields.many2one('stock.picking.type', 'Out Type'),
    int_type_id: fields.many2one('stock.picking.type', 'Internal Type'),
    reception_steps: fields.selection(
      [
        ['one_step', 'Receive goods directly (1 step)'],
        ['two_steps', 'Receive goods in input and then stock (2 steps)'],
        ['three_steps', 'Receive goods in input, then quality and then stock (3 steps)'],
      ],
      { string: 'Incoming Shipments', default: 'one_step', required: true },
    ),
    delivery_steps: fields.selection(
      [
        ['ship_only', 'Deliver goods directly (1 step)'],
        ['pick_ship', 'Send goods in output and then deliver (2 steps)'],
        ['pick_pack_ship', 'Pack goods, send goods in output and then deliver (3 steps)'],
      ],
      { string: 'Outgoing Shipments', default: 'ship_only', required: true },
    ),
  },
});

export const stockPickingType = defineModel({
  name: 'stock.picking.type',
  description: 'Picking Type',
  order: 'sequence, id',
  displayName: (env, row) => {
    const warehouse = typeof row.warehouse_id === 'number' ? env.model('stock.warehouse').row(row.warehouse_id) : undefined;
    return warehouse === undefined ? String(row.name) : `${String(warehouse.name)}: ${String(row.name)}`;
  },
  fields: {
    name: fields.char({ string: 'Operation Type', required: true }),
    code: fields.selection(
      [
        ['incoming', 'Receipt'],
        ['outgoing', 'Delivery'],
        ['internal', 'Internal Transfer'],
      ],
      { string: 'Type of Operation', required: true },
    ),
    sequence: fields.integer({ string: 'Sequence', default: 10 }),
    sequence_code: fields.char({ string: 'Sequence Prefix', required: true }),
    active: fields.boolean({ string: 'Active', default: true }),
    warehouse_id: fields.many2one('stock.warehouse', { string: 'Warehouse', ondelete: 'cascade' }),
    default_location_src_id: fields.many2one('stock.location', 'Default Source Location'),
    default_location_dest_id: fields.many2one('stock.location', 'Default Destination Location'),
    company_id: fields.many2one('res.company', { string: 'Company', required: true, default: (env) => env.companyId }),
    reservation_method: fields.selection(
      [
        ['at_confirm', 'At Confirmation'],
        ['manual', 'Manually'],
        ['by_date', 'Before scheduled date'],
      ],
      { string: 'Reservation Method', required: true, default: 'at_confirm' },
    ),
  },
});
