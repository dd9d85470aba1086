import { describe, expect, it } from 'vitest';
import { onePartnerPerCustomer } from './one-partner-per-customer.ts';
import type { PartnerRow } from './partner-snapshot.ts';
import { captureOrder, HistoryBuilder, judge, namedOrders, runInput, snapshot } from './test-fixtures.ts';

function customerPartner(id: number, email: string, overrides: Partial<PartnerRow> = {}): PartnerRow {
  return {
    id,
    name: 'Ada Lovelace',
    email,
    ref: null,
    vat: null,
    street: null,
    city: null,
    zip: null,
    creditLimit: null,
    paymentTerms: null,
    active: true,
    parentId: null,
    ...overrides,
  };
}

function orderBy(ref: string, email: string) {
  return captureOrder(ref, { customer: { name: 'Ada Lovelace', email } });
}

describe('one-partner-per-customer', () => {
  it('passes when each customer has one active partner, archived copies, contacts and other customers aside', () => {
    const verdict = judge(
      onePartnerPerCustomer,
      runInput({
        ledgers: { capture: { orders: [orderBy('CAP-000001', 'ada@example.org'), orderBy('CAP-000002', 'ADA@example.org ')] } },
        odoo: snapshot({
          partners: {
            partners: [
              customerPartner(1, 'ada@example.org'),
              customerPartner(2, 'ada@example.org', { active: false }),
              customerPartner(3, 'ada@example.org', { parentId: 1 }),
              customerPartner(4, 'grace@example.org'),
              customerPartner(5, 'grace@example.org'),
            ],
          },
        }),
      }),
    );
    expect(verdict.verdict).toBe('pass');
    expect(verdict.summary).toBe('1 customer checked, each one partner at most');
  });

  it('fails naming the customer, its first order, the partners and their creates, whatever the case of the email', () => {
    const history = new HistoryBuilder();
    const first = history.odoo({ model: 'res.partner', method: 'create', ids: [7], corr: 'CAP-000003' });
    const late = history.odoo({ model: 'res.partner', method: 'create', ids: [9], corr: 'CAP-000003', outcome: 'unknown' });
    const verdict = judge(
      onePartnerPerCustomer,
      runInput({
        history: history.events,
        ledgers: { capture: { orders: [orderBy('CAP-000003', 'Ada@Example.org'), orderBy('CAP-000004', 'ada@example.org')] } },
        odoo: snapshot({ partners: { partners: [customerPartner(7, 'ada@example.org'), customerPartner(9, 'ada@EXAMPLE.org')] } }),
      }),
    );
    expect(verdict.verdict).toBe('fail');
    expect(namedOrders(verdict)).toEqual(['CAP-000003']);
    expect(verdict.examples[0]!.message).toContain('2 active partners for customer ada@example.org');
    expect(verdict.examples[0]!.records).toEqual([
      { model: 'res.partner', id: 7 },
      { model: 'res.partner', id: 9 },
    ]);
    expect(verdict.examples[0]!.events).toEqual([first, late]);
  });

  it('is unknown when the partners were not read, as in a run stored before they were', () => {
    const verdict = judge(onePartnerPerCustomer, runInput({ ledgers: { capture: { orders: [orderBy('CAP-000001', 'ada@example.org')] } } }));
    expect(verdict.verdict).toBe('unknown');
    expect(verdict.summary).toContain("Odoo's partners were not read");
  });
});
