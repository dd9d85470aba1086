import { describe, expect, it } from 'vitest';
import { createdByBootstrap } from './ownership.ts';

describe('createdByBootstrap', () => {
  it('claims the sale tax and payment term the bootstrap created', () => {
    const result = { saleTaxId: 11, paymentTermId: 12, changes: ['account.tax 15% (sale)', 'product FL-CONSU-01', 'account.payment.term Immediate Payment'] };
    expect(createdByBootstrap(result)).toEqual([
      { model: 'account.tax', id: 11, key: 'sale tax' },
      { model: 'account.payment.term', id: 12, key: 'payment term' },
    ]);
  });

  it('leaves alone the tax and term it found in the database', () => {
    expect(createdByBootstrap({ saleTaxId: 1, paymentTermId: 1, changes: ['product FL-CONSU-01: list_price'] })).toEqual([]);
  });

  it('claims nothing from a result it does not recognise', () => {
    expect(createdByBootstrap(undefined)).toEqual([]);
    expect(createdByBootstrap({ created: 7 })).toEqual([]);
  });
});
