import type { Scenario } from '../harness/scenario/scenario.ts';
import captureRetryStorm from './capture-retry-storm.ts';
import concurrentUpdates from './concurrent-updates.ts';
import happyPath from './happy-path.ts';
import invoiceBeforeDelivery from './invoice-before-delivery.ts';
import lostWebhooksReconciliation from './lost-webhooks-reconciliation.ts';
import middlewareCrashRestart from './middleware-crash-restart.ts';
import odooOutageRecovery from './odoo-outage-recovery.ts';
import paymentWebhookDuplicates from './payment-webhook-duplicates.ts';
import roundingDrift from './rounding-drift.ts';
import shipmentOutOfOrder from './shipment-out-of-order.ts';
import slow3plCascade from './slow-3pl-cascade.ts';
import crmEditStorm from './crm-edit-storm-during-invoicing.ts';
import customerMerge from './customer-merge-while-orders-in-flight.ts';
import analyticsReplay from './analytics-replays-a-day-after-an-outage.ts';

/** The built-in suite, one scenario per failure the README names, in the order `demo` shows them. */
export const builtInScenarios: readonly Scenario[] = [
  happyPath,
  captureRetryStorm,
  shipmentOutOfOrder,
  invoiceBeforeDelivery,
  slow3plCascade,
  paymentWebhookDuplicates,
  odooOutageRecovery,
  roundingDrift,
  lostWebhooksReconciliation,
  concurrentUpdates,
  middlewareCrashRestart,
  crmEditStorm,
  customerMerge,
  analyticsReplay,
];
