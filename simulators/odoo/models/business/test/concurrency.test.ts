import { describe, expect, it } from 'vitest';
import { MSG } from '../messages.ts';
import { OdooError, PythonError } from '../../../orm/errors.ts';
import { shop } from './fixtures.ts';
import { attempt } from './race.ts';

describe("the loser of a race, run on the winner's state at its commit point", () => {
  function lose(run: () => unknown): OdooError {
    try {
      run();
    } catch (error) {
      if (error instanceof OdooError) return error;
      throw error;
    }
    throw new Error('the concurrent attempt was expected to fault');
  }

  it('faults at once with the follower unique violation on a fresh order, and confirms only once', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    const t0 = s.clock.now();
    s.clock.advanceTo(t0 + 100);
    expect(attempt(s.db, t0, 'sale.order', 'action_confirm', [order])).toBe(true);
    s.clock.advanceTo(t0 + 120);
    const loser = lose(() => attempt(s.db, t0 + 5, 'sale.order', 'action_confirm', [order]));
    expect([loser.faultCode, loser.message]).toEqual([2, MSG.uniqueViolation(MSG.followTwice)]);
    expect(s.read('sale.order', order, ['picking_ids']).picking_ids).toHaveLength(1);
  });

  it('asks for a retry when the customer already followed, and the retry meets the confirmed order', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.call('sale.order', 'action_quotation_sent', [[order]]);
    const t0 = s.clock.now();
    s.clock.advanceTo(t0 + 100);
    attempt(s.db, t0, 'sale.order', 'action_confirm', [order]);
    s.clock.advanceTo(t0 + 120);
    const loser = lose(() => attempt(s.db, t0 + 5, 'sale.order', 'action_confirm', [order]));
    expect(loser).toBeInstanceOf(PythonError);
    expect((loser as PythonError).pythonType).toBe('psycopg2.errors.SerializationFailure');
    s.clock.advanceTo(t0 + 900);
    const retried = lose(() => attempt(s.db, t0 + 800, 'sale.order', 'action_confirm', [order]));
    expect(retried.message).toBe(MSG.notConfirmable('S00001'));
  });

  it('doubles the payment when the retried loser of two payment registrations re-runs its stale wizard', () => {
    const s = shop();
    // A first payment elsewhere, so the journal's first number is not the race.
    const warmup = s.order([[s.consumable, 1]]);
    s.confirm(warmup);
    const warmInvoice = s.invoice(warmup);
    s.post(warmInvoice);
    s.pay(s.payWizard(warmInvoice));
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const w1 = s.payWizard(invoice);
    const w2 = s.payWizard(invoice);
    const t0 = s.clock.now();
    s.clock.advanceTo(t0 + 130);
    attempt(s.db, t0, 'account.payment.register', 'action_create_payments', [w1]);
    s.clock.advanceTo(t0 + 140);
    expect(lose(() => attempt(s.db, t0 + 3, 'account.payment.register', 'action_create_payments', [w2]))).toBeInstanceOf(PythonError);
    s.clock.advanceTo(t0 + 1500);
    attempt(s.db, t0 + 1400, 'account.payment.register', 'action_create_payments', [w2]);
    expect(s.call('account.payment', 'search_count', [[['partner_id', '=', s.customer]]])).toBe(3);
    expect(s.read('account.move', invoice, ['payment_state'])).toMatchObject({ payment_state: 'paid' });
  });

  it('refuses the loser of the first payment number of a journal without a duplicate', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    s.confirm(order);
    const invoice = s.invoice(order);
    s.post(invoice);
    const w1 = s.payWizard(invoice);
    const w2 = s.payWizard(invoice);
    const t0 = s.clock.now();
    s.clock.advanceTo(t0 + 130);
    attempt(s.db, t0, 'account.payment.register', 'action_create_payments', [w1]);
    s.clock.advanceTo(t0 + 131);
    const loser = lose(() => attempt(s.db, t0 + 2, 'account.payment.register', 'action_create_payments', [w2]));
    expect([loser.faultCode, loser.message]).toEqual([2, MSG.uniqueViolation(MSG.sameEntryName)]);
    expect(s.call('account.payment', 'search_count', [[['partner_id', '=', s.customer]]])).toBe(1);
  });

  it('lets calls that started after the winner committed run as sequential calls', () => {
    const s = shop();
    const order = s.order([[s.consumable, 1]]);
    const t0 = s.clock.now();
    s.clock.advanceTo(t0 + 100);
    attempt(s.db, t0, 'sale.order', 'action_confirm', [order]);
    s.clock.advanceTo(t0 + 300);
    expect(lose(() => attempt(s.db, t0 + 200, 'sale.order', 'action_confirm', [order])).message).toBe(MSG.notConfirmable('S00001'));
  });
});
