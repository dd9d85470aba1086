import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import type { HistoryIndex } from './history-index.ts';
import { findRef } from './odoo-index.ts';
import type { Invariant, InvariantInput } from './types.ts';
import { INTEGRATION_USER } from '../contracts/identities.ts';

const NAME = 'traceable';

interface Traced {
  model: string;
  id: number;
  label: string;
  field: string;
  value: string | null;
  createUid: number | null;
}

export const traceable: Invariant = {
  name: NAME,
  description:
    "Each sale order, invoice and payment the middleware's Odoo user created carries the correlation id (order ref) of its source event, and was created by a call carrying that id.",
  check(input, history) {
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so who created what is unknown');
    const login = input.options.middlewareLogin ?? INTEGRATION_USER.login;
    const middlewareUids = new Set(input.odoo.users.filter((u) => u.login === login).map((u) => u.id));
    if (middlewareUids.size === 0) return unknownVerdict(NAME, `Odoo has no user with login ${login}, so the middleware's records cannot be told apart`);

    const known = knownRefs(input, history);
    const isRef = known.size === 0 ? (candidate: string) => candidate.trim() !== '' : (candidate: string) => known.has(candidate);
    const log = new ViolationLog();
    let checked = 0;

    const records: Traced[] = [
      ...input.odoo.saleOrders.map((o) => ({
        model: 'sale.order',
        id: o.id,
        label: `sale order ${o.name}`,
        field: 'client_order_ref',
        value: o.clientOrderRef,
        createUid: o.createUid,
      })),
      ...input.odoo.invoices.map((i) => ({
        model: 'account.move',
        id: i.id,
        label: `${i.moveType === 'out_refund' ? 'credit note' : 'invoice'} ${i.name}`,
        field: 'ref',
        value: i.ref,
        createUid: i.createUid,
      })),
      ...input.odoo.payments.map((p) => ({
        model: 'account.payment',
        id: p.id,
        label: `payment ${p.name}`,
        field: 'ref',
        value: p.ref,
        createUid: p.createUid,
      })),
    ];
    for (const record of records) {
      if (record.createUid === null || !middlewareUids.has(record.createUid)) continue;
      checked++;
      const ref = findRef(record.value, isRef);
      const creation = history.writesOn(record.model, record.id).find((e) => e.method === 'create');
      const evidence = { events: creation === undefined ? [] : [creation.seq], records: [{ model: record.model, id: record.id }] };
      if (ref === undefined) {
        log.add({
          ...evidence,
          orderRef: creation?.corr,
          message: `${record.label} has ${record.field} ${record.value === null ? 'empty' : `"${record.value}"`}, which names no order`,
        });
      } else if (creation !== undefined && creation.corr === undefined) {
        log.add({ ...evidence, orderRef: ref, message: `${record.label} (${ref}) was created by an Odoo call without a correlation id` });
      } else if (creation?.corr !== undefined && creation.corr !== ref) {
        log.add({ ...evidence, orderRef: ref, message: `${record.label} carries ${ref} but was created by a call for ${creation.corr}` });
      }
    }

    return log.verdict(NAME, {
      pass: `${plural(checked, 'record')} the middleware created, all carry their order ref`,
      fail: `${plural(log.count, 'record')} of ${checked} the middleware created cannot be traced to their order`,
    });
  },
};

/** Order refs the run knows of: the capture ledger's, and those the history saw placed. */
function knownRefs(input: InvariantInput, history: HistoryIndex): Set<string> {
  const refs = new Set<string>();
  for (const order of input.ledgers.capture?.orders ?? []) refs.add(order.ref);
  for (const trail of history.orders.values()) if (trail.placed !== undefined) refs.add(trail.ref);
  return refs;
}
