/**
 * The analytics sink's ledger as served on `GET /_faultline/ledger` (simulators/analytics), as
 * its readers may rely on it: like the other ledgers (ledgers.ts), looser than what the sink writes.
 */
export interface AnalyticsRowRecord {
  eventId: string;
  type: 'order' | 'invoice' | 'refund' | 'payment' | (string & {});
  ref: string;
  day: string;
  currency: string;
  amount: number;
  receivedAt: string;
  via: 'stream' | 'batch' | (string & {});
}

export interface AnalyticsLedger {
  rows: AnalyticsRowRecord[];
  late: AnalyticsRowRecord[];
  duplicatesDropped: number;
  batches: { batchId: string; day: string; currency: string; rows: number; receivedAt: string }[];
  dailyTotals: { day: string; currency: string; totals: Record<string, number>; rows: number }[];
  allowedLatenessMs: number;
}
