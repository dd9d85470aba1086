/**
 * Each simulator writes its ledger with its own, stricter types; the readers
 * (invariants, reproduction evidence) rely on harness/contracts. This keeps
 * what is written within what is read, so the two cannot drift apart unseen.
 */
import { describe, expectTypeOf, it } from 'vitest';
import type { AnalyticsLedger } from '../../../harness/contracts/analytics-ledger.ts';
import type { CrmLedger } from '../../../harness/contracts/crm-ledger.ts';
import type { CaptureLedger, LogisticsLedger, PaymentLedger } from '../../../harness/contracts/ledgers.ts';
import type { AnalyticsLedger as WrittenAnalyticsLedger } from '../../analytics/index.ts';
import type { CaptureLedger as WrittenCaptureLedger } from '../../capture/index.ts';
import type { CrmLedger as WrittenCrmLedger } from '../../crm/index.ts';
import type { LogisticsLedger as WrittenLogisticsLedger } from '../../logistics/index.ts';
import type { PaymentLedger as WrittenPaymentLedger } from '../../payment/index.ts';

describe('the ledgers the simulators write', () => {
  it('are what the ledger contract lets readers rely on', () => {
    expectTypeOf<WrittenCaptureLedger>().toExtend<CaptureLedger>();
    expectTypeOf<WrittenPaymentLedger>().toExtend<PaymentLedger>();
    expectTypeOf<WrittenLogisticsLedger>().toExtend<LogisticsLedger>();
    expectTypeOf<WrittenCrmLedger>().toExtend<CrmLedger>();
    expectTypeOf<WrittenAnalyticsLedger>().toExtend<AnalyticsLedger>();
  });
});
