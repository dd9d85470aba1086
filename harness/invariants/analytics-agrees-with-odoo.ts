import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { toCents } from './money.ts';
import type { Invariant } from './types.ts';

const NAME = 'analytics-agrees-with-odoo';

/** What the sink's totals are compared on: each with the sink rows that make it and the Odoo documents that should. */
type Measure = 'invoiced less refunded' | 'orders' | 'payments';
const MEASURE_OF_ROW: Readonly<Record<string, { measure: Measure; sign: number }>> = {
  invoice: { measure: 'invoiced less refunded', sign: 1 },
  refund: { measure: 'invoiced less refunded', sign: -1 },
  order: { measure: 'orders', sign: 1 },
  payment: { measure: 'payments', sign: 1 },
};

/** Cents and document names per `day currency` of one measure. */
class Tally {
  readonly cents = new Map<string, number>();
  readonly docs = new Map<string, string[]>();
  add(key: string, cents: number, doc: string): void {
    this.cents.set(key, (this.cents.get(key) ?? 0) + cents);
    this.docs.set(key, [...(this.docs.get(key) ?? []), doc]);
  }
}

/**
 * Once the pipeline is quiet, the analytics sink's daily totals per currency
 * equal what Odoo booked: posted invoices less posted credit notes by invoice
 * date, confirmed sale orders by order date, posted customer payments by
 * payment date. A row the stream lost, counted twice, or that came after the
 * sink's watermark (its allowed lateness, a scenario setting) and was never
 * replayed makes the day disagree, and the evidence names those documents. A
 * stored run read before orders and payments were (no `bookedSales`) is judged
 * on invoices alone.
 */
export const analyticsAgreesWithOdoo: Invariant = {
  name: NAME,
  description:
    "Once the run is quiet, the analytics sink's totals per day and currency (invoiced less refunded, orders, payments) equal what Odoo booked: posted invoices less credit notes by invoice date, confirmed orders by order date, posted customer payments by date.",
  check(input) {
    const ledger = input.ledgers.analytics;
    if (ledger === undefined) return unknownVerdict(NAME, 'the analytics ledger was not read, so its totals are unknown');
    const booked = input.odoo?.booked;
    if (booked === undefined) return unknownVerdict(NAME, "Odoo's posted invoices were not read");
    const sales = input.odoo?.bookedSales;
    const measures: Measure[] = sales === undefined ? ['invoiced less refunded'] : ['invoiced less refunded', 'orders', 'payments'];
    const odoo = new Map(measures.map((m) => [m, new Tally()]));
    const sink = new Map(measures.map((m) => [m, new Tally()]));
    for (const move of booked) {
      if (move.invoiceDate === null || move.currency === null) continue;
      odoo
        .get('invoiced less refunded')!
        .add(`${move.invoiceDate} ${move.currency}`, (move.moveType === 'out_refund' ? -1 : 1) * toCents(move.amountTotal), move.name);
    }
    for (const doc of sales ?? []) {
      if (doc.day === null || doc.currency === null) continue;
      odoo.get(doc.kind === 'order' ? 'orders' : 'payments')!.add(`${doc.day} ${doc.currency}`, toCents(doc.amount), doc.name);
    }
    for (const row of ledger.rows) {
      const of = MEASURE_OF_ROW[row.type];
      const tally = of === undefined ? undefined : sink.get(of.measure);
      tally?.add(`${row.day} ${row.currency}`, of!.sign * toCents(row.amount), row.ref);
    }
    const log = new ViolationLog();
    const keys = new Set<string>();
    for (const measure of measures) {
      const want = odoo.get(measure)!;
      const got = sink.get(measure)!;
      for (const key of [...new Set([...want.cents.keys(), ...got.cents.keys()])].sort()) {
        keys.add(key);
        const wanted = want.cents.get(key) ?? 0;
        const counted = got.cents.get(key) ?? 0;
        if (wanted === counted) continue;
        const refs = got.docs.get(key) ?? [];
        const missing = (want.docs.get(key) ?? []).filter((name) => !refs.includes(name));
        const twice = [...new Set(refs.filter((ref, i) => refs.indexOf(ref) !== i))];
        const [day] = key.split(' ');
        const late = ledger.late.filter((r) => r.day === day && MEASURE_OF_ROW[r.type]?.measure === measure).length;
        const detail = [
          missing.length > 0 ? `missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` : '',
          twice.length > 0 ? `counted twice ${twice.slice(0, 5).join(', ')}${twice.length > 5 ? ` and ${twice.length - 5} more` : ''}` : '',
          late > 0
            ? `${plural(late, 'row')} came after the watermark (allowed lateness ${Math.round(ledger.allowedLatenessMs / 60_000)} min) and were never replayed`
            : '',
        ].filter((s) => s !== '');
        log.add({
          orderRef: key,
          message: `${measure}: analytics says ${(counted / 100).toFixed(2)}, Odoo booked ${(wanted / 100).toFixed(2)}${detail.length > 0 ? `: ${detail.join('; ')}` : ''}`,
        });
      }
    }
    const days = [...keys].sort();
    return log.verdict(NAME, {
      pass: `${plural(days.length, 'day')} agree with Odoo to the cent`,
      fail: `${plural(log.count, 'total')} over ${plural(days.length, 'day')} disagree with what Odoo booked`,
    });
  },
};
