import type { Mutant } from './mutant.ts';

/**
 * The naive middleware has few defences, by design; these are the ones it has.
 * It fails generated chaos on its own, so a naive mutant counts as killed only
 * on a case the unmutated naive middleware passes (see mutation.bench.ts).
 */
export const NAIVE_MUTANTS: readonly Mutant[] = [
  {
    id: 'naive-no-wait-for-order',
    middleware: 'naive',
    defence: 'a delivery for an order Odoo does not hold yet is refused (404), so the 3PL sends it again later',
    edits: [
      {
        file: 'naive/index.ts',
        find: '      if (order === undefined) return problem(404, `no sale order with client_order_ref ${update.orderRef} in Odoo yet`);',
        replace: "      if (order === undefined) return json(200, { status: 'ignored' });",
      },
    ],
    equivalent:
      'The refusal is unreachable: the naive middleware books a shipment at the 3PL only after Odoo answered the create and the ' +
      'confirmation of the sale order (placeOrder is one synchronous chain), and nothing in the simulators or the fault vocabulary ' +
      'deletes a sale order, so every delivery webhook names an order that findSaleOrdersByRef finds (a failed look-up throws and ' +
      'answers 502 on another path). Both versions therefore answer every webhook the same way.',
  },
  {
    id: 'naive-no-sequence-of-payment',
    middleware: 'naive',
    defence: 'a payment for an invoice with nothing left to pay is booked as a customer payment instead of failing the webhook',
    edits: [
      {
        file: 'naive/index.ts',
        find: '      } catch (error) {\n        if (!isNothingLeftToPay(error)) throw error;\n      }',
        replace: '      } catch (error) {\n        throw error;\n      }',
      },
    ],
    equivalent:
      'No run can kill it: the removed branch is reached only on runs where the original already breaks money-reconciles, and there the mutant ' +
      'books what the original books, or less. The wizard refuses "nothing left to pay" only for an invoice onPayment had just read as posted ' +
      'with money left (or had just created and posted): it was paid in between, and only onPayment registers payments (onShipment invoices, ' +
      'never pays), so by another handler of the same order. The storefront pays each order once (one idempotency key per order, honoured by ' +
      'the gateway) and forgeries only copy a real webhook, so the other handler holds the same capture: a repeated, retried or forged copy. ' +
      'The original then books that capture a second time as a customer payment, which breaks money-reconciles (the no-idempotency defect ' +
      'the naive design carries on purpose). The mutant answers 500 instead: the answer to a copy goes nowhere, so the capture stays booked ' +
      'once; a retried delivery comes back, finds no open invoice and books the same customer payment as the original, later. Probed as ' +
      'well: duplicated (gap 0 and 3 ms), forged and 14 s-slowed payment webhooks, seeds 1-3 — the mutant broke nothing the original kept.',
  },
];
