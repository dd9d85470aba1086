import { plural, unknownVerdict, ViolationLog } from './evidence.ts';
import { toCents } from './money.ts';
import type { Invariant } from './types.ts';

const NAME = 'analytics-agrees-with-odoo';

/**
 * Once the pipeline is quiet, the analytics sink's daily totals per currency
 * equal what Odoo booked: posted invoices less posted credit notes, by invoice
 * date. A row the stream lost, counted twice, or that came after the sink's
 * watermark (its allowed lateness, a scenario setting) and was never replayed
 * makes the day disagree, and the evidence names those documents.
 */
export const analyticsAgreesWithOdoo: Invariant = {
  name: NAME,
  description: 'Once the run is quiet, the analytics sink\'s invoiced-less-refunded total per day and currency equals Odoo\'s posted invoices less credit notes by invoice date.',
  check(input) {
    const ledger = input.ledgers.analytics;
    if (ledger === undefined) return unknownVerdict(NAME, 'the analytics ledger was not read, so its totals are unknown');
    const booked = input.odoo?.booked;
    if (booked === undefined) return unknownVerdict(NAME, 'Odoo\'s posted invoices were not read');
    const odooCents = new Map<string, number>();
    const odooDocs = new Map<string, string[]>();
    for (const move of booked) {
      if (move.invoiceDate === null || move.currency === null) continue;
      const key = `${move.invoiceDate} ${move.currency}`;
      const sign = move.moveType === 'out_refund' ? -1 : 1;
      odooCents.set(key, (odooCents.get(key) ?? 0) + sign * toCents(move.amountTotal));
      odooDocs.set(key, [...(odooDocs.get(key) ?? []), move.name]);
    }
    const sinkCents = new Map<string, number>();
    const sinkDocs = new Map<string, string[]>();
    for (const row of ledger.rows) {
      if (row.type !== 'invoice' && row.type !== 'refund') continue;
      const key = `${row.day} ${row.currency}`;
      sinkCents.set(key, (sinkCents.get(key) ?? 0) + (row.type === 'refund' ? -1 : 1) * toCents(row.amount));
      sinkDocs.set(key, [...(sinkDocs.get(key) ?? []), row.ref]);
    }
    const log = new ViolationLog();
    const days = [...new Set([...odooCents.keys(), ...sinkCents.keys()])].sort();
    for (const key of days) {
      const want = odooCents.get(key) ?? 0;
      const got = sinkCents.get(key) ?? 0;
      if (want === got) continue;
      const counted = sinkDocs.get(key) ?? [];
      const missing = (odooDocs.get(key) ?? []).filter((name) => !counted.includes(name));
      const twice = [...new Set(counted.filter((ref, i) => counted.indexOf(ref) !== i))];
      const [day] = key.split(' ');
      const late = ledger.late.filter((r) => r.day === day).length;
      const detail = [
        missing.length > 0 ? `missing ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` and ${missing.length - 5} more` : ''}` : '',
        twice.length > 0 ? `counted twice ${twice.slice(0, 5).join(', ')}${twice.length > 5 ? ` and ${twice.length - 5} more` : ''}` : '',
        late > 0 ? `${plural(late, 'row')} came after the watermark (allowed lateness ${Math.round(ledger.allowedLatenessMs / 60_000)} min) and were never replayed` : '',
      ].filter((s) => s !== '');
      log.add({ orderRef: key, message: `analytics says ${(got / 100).toFixed(2)}, Odoo booked ${(want / 100).toFixed(2)}${detail.length > 0 ? `: ${detail.join('; ')}` : ''}` });
    }
    return log.verdict(NAME, {
      pass: `${plural(days.length, 'day')} agree with Odoo to the cent`,
      fail: `${plural(log.count, 'day')} of ${days.length} disagree with what Odoo booked`,
    });
  },
};
