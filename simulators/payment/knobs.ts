import {
  type ApiBehaviour,
  CALM_API,
  CALM_MESSAGES,
  type MessageBehaviour,
  type RetrySchedule,
  TIME,
  parseApiBehaviour,
  parseMessageBehaviour,
  parseRetrySchedule,
} from '../shared/behaviour.ts';
import type { KnobInput } from '../shared/knobs.ts';
import { booleanKnob, numberKnob, probabilityKnob, stringKnob } from '../shared/knobs.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../../harness/contracts/webhook-signature.ts';
import { type ScriptedPaymentEvent, readPaymentScript } from './script.ts';

/** The payment gateway's knobs, read from `context.config` (see README.md for where each default comes from). */
export interface PaymentKnobs {
  webhookSecret: string;
  /** Probability that a payment attempt is declined (201 with status "failed", and a payment.failed webhook). */
  failureProbability: number;
  api: ApiBehaviour;
  webhooks: MessageBehaviour;
  retry: RetrySchedule;
  /** Multiplies webhook holds, back-offs and the horizon; below 1 compresses a live run. */
  timeScale: number;
  /** Require `x-faultline-signature` on API POSTs (off: the contract does not sign API calls). */
  requireSignedRequests: boolean;
  /** Recorded webhook deliveries replayed at their times for the orders they name; null: every webhook follows `webhooks`. */
  script: readonly ScriptedPaymentEvent[] | null;
}

/** What a scenario may set under `systems.payment`: any of these knobs, at any depth. */
export type PaymentOptions = KnobInput<PaymentKnobs>;

export const PAYMENT_DEFAULTS: PaymentKnobs = {
  webhookSecret: DEFAULT_WEBHOOK_SECRET,
  failureProbability: 0,
  api: CALM_API,
  webhooks: { ...CALM_MESSAGES, delay: { kind: 'exponential', meanMs: 1_000 } },
  retry: {
    timeoutMs: 10_000,
    initialBackoffMs: 60_000,
    backoffFactor: 2,
    maxBackoffMs: TIME.HOUR,
    jitter: 0.2,
    horizonMs: 3 * TIME.DAY,
  },
  timeScale: 1,
  requireSignedRequests: false,
  script: null,
};

export function readPaymentKnobs(config: Readonly<Record<string, unknown>>): PaymentKnobs {
  const d = PAYMENT_DEFAULTS;
  return {
    webhookSecret: stringKnob('payment: config.webhookSecret', config.webhookSecret, d.webhookSecret),
    failureProbability: probabilityKnob('payment: config.failureProbability', config.failureProbability, d.failureProbability),
    api: parseApiBehaviour('payment: config.api', config.api, d.api),
    webhooks: parseMessageBehaviour('payment: config.webhooks', config.webhooks, d.webhooks),
    retry: parseRetrySchedule('payment: config.retry', config.retry, d.retry),
    timeScale: numberKnob('payment: config.timeScale', config.timeScale, d.timeScale, { min: 0, max: 1_000 }),
    requireSignedRequests: booleanKnob('payment: config.requireSignedRequests', config.requireSignedRequests, d.requireSignedRequests),
    script: config.script === undefined || config.script === null ? null : readPaymentScript('payment: config.script', config.script),
  };
}
