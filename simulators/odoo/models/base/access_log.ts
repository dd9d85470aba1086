import { fields } from '../../orm/fields.ts';
import { defineModel } from '../../orm/model.ts';

/**
 * Every object-service call as the emulator saw it: who, which model and
 * method, which records, the outcome. Read-only over RPC; invariants such as
 * *boundaries* query it like any model. Rows are written outside transactions,
 * so a failed call is logged too.
 */
export const faultlineAccessLog = defineModel({
  name: 'faultline.access.log',
  description: 'Faultline Access Log',
  order: 'id',
  recName: 'method',
  readonlyOverRpc: true,
  fields: {
    at: fields.datetime({ string: 'At', readonly: true }),
    at_ms: fields.float({ string: 'At (ms since epoch)', readonly: true }),
    principal: fields.char({ string: 'Principal', readonly: true }),
    uid: fields.integer({ string: 'User ID', readonly: true }),
    transport: fields.selection(
      [
        ['xmlrpc', 'XML-RPC'],
        ['jsonrpc', 'JSON-RPC'],
        ['internal', 'Internal'],
      ],
      { string: 'Transport', readonly: true },
    ),
    model: fields.char({ string: 'Model', readonly: true }),
    method: fields.char({ string: 'Method', readonly: true }),
    res_ids: fields.char({ string: 'Record IDs', readonly: true, help: 'Comma-separated ids the call targeted or created' }),
    outcome: fields.selection(
      [
        ['ok', 'OK'],
        ['fail', 'Failed'],
      ],
      { string: 'Outcome', readonly: true },
    ),
    error: fields.text({ string: 'Error', readonly: true }),
    corr: fields.char({ string: 'Correlation ID', readonly: true }),
    duration_ms: fields.float({ string: 'Duration (ms)', readonly: true }),
  },
});
