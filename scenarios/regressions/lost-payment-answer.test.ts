import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { materialize } from '../../bench/mutants/mutant.ts';
import type { Materialized } from '../../bench/mutants/mutant.ts';
import { resolveMiddleware } from '../../harness/engine/resolve-middleware.ts';
import type { ResolvedMiddleware } from '../../harness/run/run-options.ts';
import { runScenario } from '../../harness/engine/run-scenario.ts';
import type { RunResult } from '../../harness/run/result.ts';
import type { Scenario } from '../../harness/scenario/scenario.ts';
import lostPaymentAnswer from './happy-path-a15d52eb.ts';

/**
 * The livelock of issue #12: the answer to `account.payment.register` is lost
 * after Odoo registered the payment, the job registers again, Odoo refuses
 * ("nothing left to pay"), and a design that only knows to retry goes round
 * for as long as the run lasts while every other invariant holds.
 *
 * The looping design is the resilient one as it was before it looked at the
 * invoice first (4fc89f5), retrying without a dead-letter queue to stop at:
 * the case was found against it (with the queue), so its calls meet the same
 * faults at the same moments as the resilient design's do.
 */
const registerUntilAccepted = {
  id: 'register-until-accepted',
  middleware: 'resilient' as const,
  defence: 'look at the invoice before registering a payment again, and give up on a refused job',
  edits: [
    {
      file: 'resilient/sync-order.ts',
      find: '    if (mayBeRegistered && (await invoiceIsPaid(client, invoiceId))) {\n      recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, true);\n      continue;\n    }\n',
      replace: '',
    },
    { file: 'resilient/sync-order.ts', find: '      if (!isNothingLeftToPay(error)) throw error;\n', replace: '      throw error;\n' },
    // Retries without end: no dead-letter queue to stop at.
    { file: 'resilient/index.ts', find: "maxAttempts: positive(config, 'maxAttempts', 20),", replace: 'maxAttempts: Number.POSITIVE_INFINITY,' },
  ],
};

async function run(scenario: Scenario, middleware: ResolvedMiddleware, arg: string): Promise<RunResult> {
  return runScenario(scenario, { mode: 'sim', odoo: 'emulated', middleware, middlewareArg: arg });
}

const odooCalls = (result: RunResult, model: string, method: string) =>
  [...result.history].filter((e) => e.kind === 'odoo' && e.model === model && e.method === method && e.corr === 'CAP-000001');

describe('a payment registration whose answer is lost', () => {
  it('is recorded once by the resilient design, which looks at the invoice instead of registering again, and the run settles', async () => {
    const result = await run(lostPaymentAnswer, await resolveMiddleware('resilient', process.cwd()), 'resilient');
    expect(odooCalls(result, 'account.payment.register', 'action_create_payments').map((e) => e.kind === 'odoo' && e.outcome)).toEqual(['ok']);
    const recorded = [...result.history].filter((e) => e.kind === 'event' && e.name === 'payment.recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ corr: 'CAP-000001', data: { recovered: true } });
    expect(result.invariants.find((v) => v.name === 'settles')).toMatchObject({ verdict: 'pass' });
  });

  describe('with a design that registers again until Odoo accepts', () => {
    let looping: Materialized;
    beforeAll(async () => {
      looping = await materialize(registerUntilAccepted);
    });
    afterAll(() => looping.remove());

    it('never settles, and settles names the order and the refused call it keeps repeating', async () => {
      // Six hours are enough to see the loop; the case's own seven-day budget would only make it longer.
      const scenario: Scenario = { ...lostPaymentAnswer, budget: { maxVirtualMs: 6 * 3600_000 } };
      const result = await run(scenario, await resolveMiddleware(looping.entry, process.cwd()), looping.entry);
      expect(result.stats.quiescent).toBe(false);
      const settles = result.invariants.find((v) => v.name === 'settles')!;
      expect(settles.verdict).toBe('fail');
      expect(settles.summary).toContain('still busy when the budget of 6h 0m ran out');
      const loop = settles.examples.find((e) => e.message.includes('the job retries a call Odoo will keep refusing'));
      expect(loop?.orderRef).toBe('CAP-000001');
      expect(loop?.message).toMatch(/^account\.payment\.register\.create failed \d+ times over .*nothing left to pay/);
      // Every other invariant is blind to it: the money was recorded once, by the first registration.
      expect(result.invariants.filter((v) => v.verdict !== 'pass').map((v) => v.name)).toEqual(['settles']);
    });
  });
}, 120_000);
