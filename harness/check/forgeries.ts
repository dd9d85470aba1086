/**
 * What a forger claims on each signed webhook link: each lie contradicts the
 * sender's ledger (a parcel delivered or returned that is still on its way, a
 * payment refunded or captured for a cent), so a receiver that believes it
 * breaks an invariant the ledgers judge, and one that checks signatures is
 * untouched. The huge seq makes the lie look newer than every true event.
 */
export const FORGERIES: Readonly<Record<string, readonly Record<string, unknown>[]>> = {
  '/webhooks/logistics': [
    { status: 'delivered', seq: 1_000_000 },
    { status: 'returned', seq: 1_000_000 },
  ],
  '/webhooks/payment': [{ type: 'payment.refunded' }, { type: 'payment.captured', data: { amount: 0.01 } }],
};

/** The webhook links a forger can imitate: the senders sign these. */
export const SIGNED_LINKS = [
  { from: 'payment', to: 'middleware', path: '/webhooks/payment' },
  { from: 'logistics', to: 'middleware', path: '/webhooks/logistics' },
] as const;
