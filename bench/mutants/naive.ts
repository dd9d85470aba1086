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
        find: "      if (order === undefined) return problem(404, `no sale order with client_order_ref ${update.orderRef} in Odoo yet`);",
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
    edits: [{ file: 'naive/index.ts', find: '      } catch (error) {\n        if (!isNothingLeftToPay(error)) throw error;\n      }', replace: '      } catch (error) {\n        throw error;\n      }' }],
  },
];
