import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { indexOdooSnapshot } from './odoo-index.ts';
import type { Invariant, InvariantOptions } from './types.ts';
import { INTEGRATION_USER } from '../contracts/identities.ts';

const NAME = 'boundaries';

/** Wizards write their target model on the caller's behalf: paying through the wizard is writing a payment. */
const WIZARD_TARGETS: Readonly<Record<string, string>> = {
  'account.payment.register': 'account.payment',
  'account.move.reversal': 'account.move',
  'sale.advance.payment.inv': 'account.move',
};

export function protectedModelsOf(options: InvariantOptions): Record<string, string[]> {
  if (options.protectedModels !== undefined) return options.protectedModels;
  const allowed = [options.middlewareLogin ?? INTEGRATION_USER.login, 'admin'];
  return { 'account.move': allowed, 'account.payment': allowed };
}

export const boundaries: Invariant = {
  name: NAME,
  description: 'Only the principals a design allows write protected models (default: account.move and account.payment only by the middleware user and admin).',
  check(input, history) {
    const rules = protectedModelsOf(input.options);
    const odoo = input.odoo === undefined ? undefined : indexOdooSnapshot(input.odoo);
    if (odoo === undefined && history.odooWrites.length === 0)
      return unknownVerdict(NAME, 'neither Odoo nor a history of Odoo calls was available, so who wrote what is unknown');

    // The Odoo recorder names principals by login, or `uid:N` for a user it could not name; those are resolved through the snapshot's users.
    const answers = new Map<string, boolean>();
    const isAllowed = (principal: string, model: string): boolean => {
      const allowed = rules[model];
      if (allowed === undefined) return true;
      const key = `${model}\u0000${principal}`;
      let answer = answers.get(key);
      if (answer === undefined) {
        const uid = /^(?:uid[: ])?(\d+)$/.exec(principal)?.[1];
        const login = uid === undefined ? principal : (odoo?.loginByUid.get(Number(uid)) ?? principal);
        answers.set(key, (answer = allowed.includes(login)));
      }
      return answer;
    };

    const log = new ViolationLog();
    const reported = new Set<string>();
    let writes = 0;
    for (const call of history.odooWrites) {
      if (call.outcome === 'fail') continue;
      const model = rules[call.model] !== undefined ? call.model : WIZARD_TARGETS[call.model];
      if (model === undefined || rules[model] === undefined) continue;
      writes++;
      if (isAllowed(call.principal, model)) continue;
      for (const id of call.ids ?? []) reported.add(`${call.model}:${id}`);
      log.add({
        orderRef: call.corr,
        message: `${call.principal} called ${call.model}.${call.method}${call.ids === undefined ? '' : ` on ${call.ids.join(', ')}`}; ${model} may be written only by ${rules[model]!.join(', ')}`,
        events: [call.seq],
        records: call.model === model ? (call.ids ?? []).map((id) => ({ model, id })) : [],
      });
    }

    let records = 0;
    if (input.odoo !== undefined && odoo !== undefined) {
      const judgeRecord = (model: string, id: number, name: string, createUid: number | null, writeUid: number | null): void => {
        if (rules[model] === undefined) return;
        records++;
        const creator = createUid === null ? undefined : (odoo.loginByUid.get(createUid) ?? `uid ${createUid}`);
        const writer = writeUid === null ? undefined : (odoo.loginByUid.get(writeUid) ?? `uid ${writeUid}`);
        const creatorIntrudes = creator !== undefined && !isAllowed(creator, model);
        const writerIntrudes = writer !== undefined && writer !== creator && !isAllowed(writer, model);
        if ((!creatorIntrudes && !writerIntrudes) || reported.has(`${model}:${id}`)) return;
        const intruders = [...(creatorIntrudes ? [creator] : []), ...(writerIntrudes ? [writer] : [])];
        log.add({
          message: `${model} ${name} (id ${id}) was written by ${intruders.join(', ')}; allowed: ${rules[model]!.join(', ')}`,
          records: [{ model, id }],
        });
      };
      for (const r of input.odoo.invoices) judgeRecord('account.move', r.id, r.name, r.createUid, r.writeUid);
      for (const r of input.odoo.payments) judgeRecord('account.payment', r.id, r.name, r.createUid, r.writeUid);
      for (const r of input.odoo.saleOrders) judgeRecord('sale.order', r.id, r.name, r.createUid, r.writeUid);
      for (const r of input.odoo.pickings) judgeRecord('stock.picking', r.id, r.name, r.createUid, r.writeUid);
    }

    return log.verdict(NAME, {
      pass: `${plural(writes, 'write')} and ${plural(records, 'record')} on protected models, all by allowed principals`,
      fail: `${plural(log.count, 'write')} on protected models by principals not allowed`,
    });
  },
};
