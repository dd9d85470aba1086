import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { indexOdooSnapshot } from './odoo-index.ts';
import { moneyByOrder, surplusPayments } from './order-money.ts';
import type { Invariant } from './types.ts';

const NAME = 'money-reconciles';

export const moneyReconciles: Invariant = {
  name: NAME,
  description: 'Per order, money captured minus refunded at the payment gateway equals the payments recorded in Odoo, and no payment is applied twice.',
  check(input, history) {
    const ledger = input.ledgers.payment;
    if (ledger === undefined) return unknownVerdict(NAME, 'no payment ledger, so what the gateway captured is unknown');
    if (input.odoo === undefined) return unknownVerdict(NAME, 'Odoo was not read, so its payments are unknown');
    const odoo = indexOdooSnapshot(input.odoo);
    const log = new ViolationLog();
    const orders = moneyByOrder(ledger, odoo);

    for (const money of orders.values()) {
      const problems: string[] = [];
      if (money.gatewayCents !== money.odooCents) problems.push(`the gateway holds ${cents(money.gatewayCents)} but Odoo recorded ${cents(money.odooCents)}`);
      const surplus = surplusPayments(money);
      if (surplus.length > 0)
        problems.push(
          `${plural(money.gatewayCaptures, 'capture')} at the gateway but ${plural(money.gatewayCaptures + surplus.length, 'posted payment')} in Odoo`,
        );
      const trail = history.orders.get(money.ref);
      const recorded = trail?.paymentsRecorded ?? [];
      const paymentCalls = trail?.odooWrites.filter((e) => e.outcome !== 'fail' && e.model.startsWith('account.payment')) ?? [];
      const twice = recordedTwice(recorded.map((e) => e.data?.['paymentId']));
      if (twice.length > 0) problems.push(`the middleware recorded gateway payment ${twice.join(', ')} more than once`);
      if (problems.length === 0) continue;
      log.add({
        orderRef: money.ref,
        message: problems.join('; '),
        events: [...recorded, ...paymentCalls].map((e) => e.seq).sort((a, b) => a - b),
        records: money.odooPayments.map((p) => ({ model: 'account.payment', id: p.id })),
      });
    }
    for (const payment of odoo.unattributedPayments) {
      if (payment.state !== 'posted') continue;
      log.add({
        message: `payment ${payment.name} (${payment.amount}, ref ${payment.ref ?? 'empty'}) belongs to no order: neither its ref nor its invoices name one`,
        records: [{ model: 'account.payment', id: payment.id }],
      });
    }

    return log.verdict(NAME, {
      pass: `${plural(orders.size, 'order')} with money, gateway and Odoo agree`,
      fail: `${plural(log.count, 'money problem')} across ${plural(orders.size, 'order')}`,
    });
  },
};

function recordedTwice(paymentIds: unknown[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const id of paymentIds) {
    if (typeof id !== 'string') continue;
    if (seen.has(id)) twice.add(id);
    seen.add(id);
  }
  return [...twice];
}

function cents(value: number): string {
  return (value / 100).toFixed(2);
}
