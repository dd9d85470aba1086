import type { GatewayPayment, PaymentLedger } from '../contracts/ledgers.ts';
import { toCents } from './money.ts';
import type { OdooIndex } from './odoo-index.ts';
import { signedPaymentAmount } from './odoo-index.ts';
import type { PaymentRow } from './odoo-snapshot.ts';

/** One order's money as the gateway and Odoo each see it, in cents. */
export interface OrderMoney {
  ref: string;
  /** Captured minus refunded at the gateway. */
  gatewayCents: number;
  /** Successful captures at the gateway: the most payments Odoo may hold for the order. */
  gatewayCaptures: number;
  /** Posted inbound minus posted outbound payments in Odoo. */
  odooCents: number;
  odooPayments: PaymentRow[];
}

const cache = new WeakMap<PaymentLedger, { odoo: OdooIndex; orders: Map<string, OrderMoney> }>();

/** Every order either side has money for. Cached: two invariants ask for the same run. */
export function moneyByOrder(ledger: PaymentLedger, odoo: OdooIndex): Map<string, OrderMoney> {
  const cached = cache.get(ledger);
  if (cached !== undefined && cached.odoo === odoo) return cached.orders;
  const orders = computeMoney(ledger, odoo);
  cache.set(ledger, { odoo, orders });
  return orders;
}

function computeMoney(ledger: PaymentLedger, odoo: OdooIndex): Map<string, OrderMoney> {
  const orders = new Map<string, OrderMoney>();
  const of = (ref: string): OrderMoney => {
    let money = orders.get(ref);
    if (money === undefined) orders.set(ref, (money = { ref, gatewayCents: 0, gatewayCaptures: 0, odooCents: 0, odooPayments: [] }));
    return money;
  };
  for (const payment of ledger.payments) {
    const money = of(payment.orderRef);
    money.gatewayCents += toCents(netCaptured(payment));
    if (payment.status !== 'failed') money.gatewayCaptures++;
  }
  for (const [ref, payments] of odoo.paymentsByRef) {
    const money = of(ref);
    for (const payment of payments) {
      money.odooCents += toCents(signedPaymentAmount(payment));
      money.odooPayments.push(payment);
    }
  }
  return orders;
}

/** Posted inbound payments beyond the gateway's captures: money applied more than once. */
export function surplusPayments(money: OrderMoney): PaymentRow[] {
  const inbound = money.odooPayments.filter((p) => p.state === 'posted' && p.paymentType !== 'outbound');
  return inbound.slice(money.gatewayCaptures);
}

/** What a gateway payment is worth once refunds are taken off; failed captures are worth nothing. */
function netCaptured(payment: GatewayPayment): number {
  if (payment.status === 'failed') return 0;
  const refunded = payment.refunded;
  if (typeof refunded === 'number') return payment.amount - refunded;
  if (refunded === true || payment.status === 'refunded') return 0;
  return payment.amount;
}
