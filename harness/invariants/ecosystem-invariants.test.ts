import { describe, expect, it } from 'vitest';
import type { AnalyticsLedger, AnalyticsRowRecord } from '../contracts/analytics-ledger.ts';
import { analyticsAgreesWithOdoo } from './analytics-agrees-with-odoo.ts';
import type { BookedInvoiceRow, BookedSaleRow } from './booked-snapshot.ts';
import { crmCustomerConverges } from './crm-customer-converges.ts';
import { ecosystemInvariantsFor } from './ecosystem.ts';
import type { CrmLedger, CrmLedgerAccount } from '../contracts/crm-ledger.ts';
import { crmOnePartnerPerCustomer } from './crm-one-partner-per-customer.ts';
import type { PartnerRow, PartnerSnapshot } from './partner-snapshot.ts';
import { postedInvoicesKeepFiscalData } from './posted-invoices-keep-fiscal-data.ts';
import { HistoryBuilder, T0, judge, runInput, snapshot } from './test-fixtures.ts';

const iso = (ms: number) => new Date(T0 + ms).toISOString();

function account(id: string, overrides: Partial<CrmLedgerAccount> = {}): CrmLedgerAccount {
  return {
    accountId: id,
    version: 1,
    status: 'active',
    mergedInto: null,
    updatedAt: iso(0),
    name: `Customer ${id}`,
    email: `${id}@example.com`,
    street: '1 Main St',
    city: 'Springfield',
    zip: '12345',
    vat: 'US000000001',
    paymentTerms: '30 Days',
    creditLimit: 5000,
    ...overrides,
  };
}

/** A ledger whose accounts went through the given versions (each `[msFromStart, changes]`). */
function crmLedger(...accounts: { id: string; versions: [number, Partial<CrmLedgerAccount>][] }[]): CrmLedger {
  return {
    accounts: accounts.map(({ id, versions }) => {
      let current = account(id);
      const history = versions.map(([ms, change], i) => {
        current = { ...current, ...change, version: i + 1, updatedAt: iso(ms) };
        return { version: i + 1, at: iso(ms), type: i === 0 ? 'account.created' : 'account.updated', account: current };
      });
      return { ...current, versions: history };
    }),
    deliveries: [],
  };
}

function partner(id: number, of: CrmLedgerAccount, overrides: Partial<PartnerRow> = {}): PartnerRow {
  return {
    id,
    name: of.name,
    email: of.email,
    ref: of.accountId,
    vat: of.vat,
    street: of.street,
    city: of.city,
    zip: of.zip,
    creditLimit: of.creditLimit,
    paymentTerms: of.paymentTerms,
    active: true,
    parentId: null,
    ...overrides,
  };
}

function withPartners(partners: PartnerSnapshot) {
  return snapshot({ partners });
}

describe('crm-one-partner-per-customer', () => {
  it('passes with one partner per live customer and none for a merged one', () => {
    const ledger = crmLedger(
      { id: 'acc_1', versions: [[0, {}]] },
      {
        id: 'acc_2',
        versions: [
          [0, {}],
          [60_000, { status: 'merged', mergedInto: 'acc_1' }],
        ],
      },
    );
    const [live, merged] = ledger.accounts;
    const odoo = withPartners({ partners: [partner(1, live!), partner(2, merged!, { active: false })], postedInvoices: [] });
    expect(judge(crmOnePartnerPerCustomer, runInput({ ledgers: { crm: ledger }, odoo })).verdict).toBe('pass');
  });

  it('fails for two active partners of one customer, one found by email, with their creates as evidence', () => {
    const ledger = crmLedger({ id: 'acc_1', versions: [[0, {}]] });
    const live = ledger.accounts[0]!;
    const history = new HistoryBuilder();
    const create = history.odoo({ model: 'res.partner', method: 'create', ids: [2] });
    const odoo = withPartners({ partners: [partner(1, live), partner(2, live, { ref: null })], postedInvoices: [] });
    const verdict = judge(crmOnePartnerPerCustomer, runInput({ history: history.events, ledgers: { crm: ledger }, odoo }));
    expect(verdict).toMatchObject({
      verdict: 'fail',
      violations: 1,
      examples: [
        {
          orderRef: 'acc_1',
          events: [create],
          records: [
            { model: 'res.partner', id: 1 },
            { model: 'res.partner', id: 2 },
          ],
        },
      ],
    });
  });

  it('fails for a merged account whose partner is still active', () => {
    const ledger = crmLedger({
      id: 'acc_2',
      versions: [
        [0, {}],
        [60_000, { status: 'merged', mergedInto: 'acc_1' }],
      ],
    });
    const odoo = withPartners({ partners: [partner(2, ledger.accounts[0]!)], postedInvoices: [] });
    const verdict = judge(crmOnePartnerPerCustomer, runInput({ ledgers: { crm: ledger }, odoo }));
    expect(verdict.examples[0]!.message).toMatch(/merged into acc_1 in the CRM, yet still active/);
  });

  it('is unknown without the CRM ledger', () => {
    expect(judge(crmOnePartnerPerCustomer, runInput()).verdict).toBe('unknown');
  });
});

describe('crm-customer-converges', () => {
  it('passes when the partner holds the last version and fails on a field behind it', () => {
    const ledger = crmLedger({
      id: 'acc_1',
      versions: [
        [0, {}],
        [60_000, { city: 'Shelbyville' }],
      ],
    });
    const last = ledger.accounts[0]!;
    const ok = withPartners({ partners: [partner(1, last)], postedInvoices: [] });
    expect(judge(crmCustomerConverges, runInput({ ledgers: { crm: ledger }, odoo: ok })).verdict).toBe('pass');
    const stale = withPartners({ partners: [partner(1, last, { city: 'Springfield' })], postedInvoices: [] });
    const verdict = judge(crmCustomerConverges, runInput({ ledgers: { crm: ledger }, odoo: stale }));
    expect(verdict.examples[0]!.message).toMatch(/city "Springfield" ≠ "Shelbyville"/);
  });

  it('fails for a live customer with no partner at all', () => {
    const ledger = crmLedger({ id: 'acc_1', versions: [[0, {}]] });
    const verdict = judge(crmCustomerConverges, runInput({ ledgers: { crm: ledger }, odoo: withPartners({ partners: [], postedInvoices: [] }) }));
    expect(verdict).toMatchObject({ verdict: 'fail', examples: [{ orderRef: 'acc_1' }] });
  });
});

describe('posted-invoices-keep-fiscal-data', () => {
  const ledger = crmLedger({
    id: 'acc_1',
    versions: [
      [0, { vat: 'US111' }],
      [3_600_000, { vat: 'US222' }],
    ],
  });
  const posted = (history: HistoryBuilder) => history.at(60_000).odoo({ model: 'account.move', method: 'action_post', ids: [10] });

  it("fails when the invoice's partner carries a VAT the CRM gave only after posting, with the post and the rewrite as evidence", () => {
    const history = new HistoryBuilder();
    const post = posted(history);
    const rewrite = history.at(3_700_000).odoo({ model: 'res.partner', method: 'write', ids: [1] });
    const odoo = withPartners({
      partners: [partner(1, ledger.accounts[0]!, { vat: 'US222' })],
      postedInvoices: [{ id: 10, name: 'INV/1', partnerId: 1, commercialPartnerId: 1 }],
    });
    const verdict = judge(postedInvoicesKeepFiscalData, runInput({ history: history.events, ledgers: { crm: ledger }, odoo }));
    expect(verdict).toMatchObject({ verdict: 'fail', examples: [{ orderRef: 'acc_1', events: [post, rewrite] }] });
  });

  it('passes when the new VAT went to a new partner version and the invoice keeps the old one', () => {
    const history = new HistoryBuilder();
    posted(history);
    const odoo = withPartners({
      partners: [partner(1, ledger.accounts[0]!, { vat: 'US111', active: false }), partner(2, ledger.accounts[0]!, { vat: 'US222' })],
      postedInvoices: [{ id: 10, name: 'INV/1', partnerId: 1, commercialPartnerId: 1 }],
    });
    expect(judge(postedInvoicesKeepFiscalData, runInput({ history: history.events, ledgers: { crm: ledger }, odoo })).verdict).toBe('pass');
  });
});

describe('analytics-agrees-with-odoo', () => {
  const booked: BookedInvoiceRow[] = [
    { id: 1, name: 'INV/1', moveType: 'out_invoice', amountTotal: 100.1, invoiceDate: '2026-01-05', currency: 'USD' },
    { id: 2, name: 'INV/2', moveType: 'out_invoice', amountTotal: 50, invoiceDate: '2026-01-05', currency: 'USD' },
    { id: 3, name: 'RINV/1', moveType: 'out_refund', amountTotal: 20, invoiceDate: '2026-01-05', currency: 'USD' },
  ];
  const row = (ref: string, amount: number, type = 'invoice'): AnalyticsRowRecord => ({
    eventId: ref,
    type,
    ref,
    day: '2026-01-05',
    currency: 'USD',
    amount,
    receivedAt: iso(0),
    via: 'stream',
  });
  const sink = (rows: AnalyticsRowRecord[], late: AnalyticsRowRecord[] = []): AnalyticsLedger => ({
    rows,
    late,
    duplicatesDropped: 0,
    batches: [],
    dailyTotals: [],
    allowedLatenessMs: 3_600_000,
  });

  it('passes when the day nets out to what Odoo booked', () => {
    const input = runInput({ ledgers: { analytics: sink([row('INV/1', 100.1), row('INV/2', 50), row('RINV/1', 20, 'refund')]) }, odoo: snapshot({ booked }) });
    expect(judge(analyticsAgreesWithOdoo, input).verdict).toBe('pass');
  });

  it('fails naming the documents missing, counted twice and late', () => {
    const input = runInput({
      ledgers: { analytics: sink([row('INV/1', 100.1), row('INV/1', 100.1), row('RINV/1', 20, 'refund')], [row('INV/2', 50)]) },
      odoo: snapshot({ booked }),
    });
    const verdict = judge(analyticsAgreesWithOdoo, input);
    expect(verdict.verdict).toBe('fail');
    expect(verdict.examples[0]!.message).toMatch(
      /analytics says 180\.20, Odoo booked 130\.10: missing INV\/2; counted twice INV\/1; 1 row came after the watermark/,
    );
  });

  it("judges orders and payments per day as well, once Odoo's were read, naming the payment the sink never got", () => {
    const bookedSales: BookedSaleRow[] = [
      { kind: 'order', id: 7, name: 'S00007', amount: 130.1, day: '2026-01-05', currency: 'USD' },
      { kind: 'payment', id: 9, name: 'PBNK1/2026/00001', amount: 130.1, day: '2026-01-05', currency: 'USD' },
    ];
    const rows = [row('INV/1', 100.1), row('INV/2', 50), row('RINV/1', 20, 'refund'), row('S00007', 130.1, 'order')];
    const verdict = judge(analyticsAgreesWithOdoo, runInput({ ledgers: { analytics: sink(rows) }, odoo: snapshot({ booked, bookedSales }) }));
    expect(verdict).toMatchObject({
      verdict: 'fail',
      examples: [{ orderRef: '2026-01-05 USD', message: 'payments: analytics says 0.00, Odoo booked 130.10: missing PBNK1/2026/00001' }],
    });
    const complete = [...rows, row('PBNK1/2026/00001', 130.1, 'payment')];
    expect(judge(analyticsAgreesWithOdoo, runInput({ ledgers: { analytics: sink(complete) }, odoo: snapshot({ booked, bookedSales }) })).verdict).toBe('pass');
  });
});

describe('ecosystemInvariantsFor', () => {
  it('judges a stored run by the invariants of the opt-in systems whose ledgers it holds', () => {
    expect(ecosystemInvariantsFor({}).map((i) => i.name)).toEqual([]);
    expect(ecosystemInvariantsFor({ crm: crmLedger() }).map((i) => i.name)).toEqual([
      'crm-one-partner-per-customer',
      'posted-invoices-keep-fiscal-data',
      'crm-customer-converges',
    ]);
    expect(
      ecosystemInvariantsFor({ analytics: { rows: [], late: [], duplicatesDropped: 0, batches: [], dailyTotals: [], allowedLatenessMs: 0 } }).map(
        (i) => i.name,
      ),
    ).toEqual(['analytics-agrees-with-odoo']);
  });
});
