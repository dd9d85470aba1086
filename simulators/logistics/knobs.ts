import { SHIPMENT_STATUSES, type ShipmentStatus } from '../../harness/contracts/logistics.ts';
import {
  type ApiBehaviour,
  CALM_API,
  CALM_MESSAGES,
  type Delay,
  type MessageBehaviour,
  type RetrySchedule,
  TIME,
  parseApiBehaviour,
  parseDelay,
  parseMessageBehaviour,
  parseRetrySchedule,
} from '../shared/behaviour.ts';
import type { KnobInput } from '../shared/knobs.ts';
import { booleanKnob, groupKnob, numberKnob, probabilityKnob, stringKnob } from '../shared/knobs.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../../harness/contracts/webhook-signature.ts';
import { type ScriptedShipment, readShipmentScript } from './script.ts';

/** Delay before each event, counted from the previous one (`picked`: from creation; `exception`: from `in_transit`). */
export type StepDelays = Record<ShipmentStatus, Delay>;

/** The 3PL's knobs, read from `context.config` (see README.md for where each default comes from). */
export interface LogisticsKnobs {
  webhookSecret: string;
  steps: StepDelays;
  /** Probability that a parcel hits an exception in transit and is returned to sender. */
  exceptionProbability: number;
  /** Probability that a shipment of 2+ units leaves in two parcels; the rest follows as a backorder shipment after `backorderAfter`. */
  partial: { probability: number; backorderAfter: Delay };
  api: ApiBehaviour;
  webhooks: MessageBehaviour;
  retry: RetrySchedule;
  /** Multiplies step delays, webhook holds, back-offs and the horizon; below 1 compresses a live run. */
  timeScale: number;
  requireSignedRequests: boolean;
  /** Recorded parcels replayed for the orders they name (statuses and webhook deliveries at their times); null: every parcel follows the knobs above. */
  script: readonly ScriptedShipment[] | null;
}

const MIN = 60_000;
const uniform = (minMs: number, maxMs: number): Delay => ({ kind: 'uniform', minMs, maxMs });

/** What a scenario may set under `systems.logistics`: any of these knobs, at any depth. */
export type LogisticsOptions = KnobInput<LogisticsKnobs>;

export const LOGISTICS_DEFAULTS: LogisticsKnobs = {
  webhookSecret: DEFAULT_WEBHOOK_SECRET,
  // An express same-day profile (about an hour from booking to delivery): the interleavings matter, not the
  // calendar, and every virtual hour costs the run the middleware's polling. Set steps for multi-day transit.
  steps: {
    picked: uniform(1 * MIN, 10 * MIN),
    packed: uniform(1 * MIN, 5 * MIN),
    shipped: uniform(5 * MIN, 20 * MIN),
    in_transit: uniform(2 * MIN, 10 * MIN),
    out_for_delivery: uniform(10 * MIN, 40 * MIN),
    delivered: uniform(5 * MIN, 20 * MIN),
    exception: uniform(10 * MIN, 60 * MIN),
    returned: uniform(1 * TIME.HOUR, 4 * TIME.HOUR),
  },
  exceptionProbability: 0,
  partial: { probability: 0, backorderAfter: uniform(30 * MIN, 2 * TIME.HOUR) },
  api: CALM_API,
  webhooks: { ...CALM_MESSAGES, delay: { kind: 'exponential', meanMs: 2_000 } },
  retry: {
    timeoutMs: 10_000,
    initialBackoffMs: 30_000,
    backoffFactor: 2,
    maxBackoffMs: TIME.HOUR,
    jitter: 0.2,
    horizonMs: TIME.DAY,
  },
  timeScale: 1,
  requireSignedRequests: false,
  script: null,
};

const W = 'logistics: config';

export function readLogisticsKnobs(config: Readonly<Record<string, unknown>>): LogisticsKnobs {
  const d = LOGISTICS_DEFAULTS;
  const steps = groupKnob(`${W}.steps`, config.steps, SHIPMENT_STATUSES);
  const partial = groupKnob(`${W}.partial`, config.partial, ['probability', 'backorderAfter']);
  const stepDelays = {} as StepDelays;
  for (const step of SHIPMENT_STATUSES) stepDelays[step] = parseDelay(`${W}.steps.${step}`, steps[step], d.steps[step]);
  return {
    webhookSecret: stringKnob(`${W}.webhookSecret`, config.webhookSecret, d.webhookSecret),
    steps: stepDelays,
    exceptionProbability: probabilityKnob(`${W}.exceptionProbability`, config.exceptionProbability, d.exceptionProbability),
    partial: {
      probability: probabilityKnob(`${W}.partial.probability`, partial.probability, d.partial.probability),
      backorderAfter: parseDelay(`${W}.partial.backorderAfter`, partial.backorderAfter, d.partial.backorderAfter),
    },
    api: parseApiBehaviour(`${W}.api`, config.api, d.api),
    webhooks: parseMessageBehaviour(`${W}.webhooks`, config.webhooks, d.webhooks),
    retry: parseRetrySchedule(`${W}.retry`, config.retry, d.retry),
    timeScale: numberKnob(`${W}.timeScale`, config.timeScale, d.timeScale, { min: 0, max: 1_000 }),
    requireSignedRequests: booleanKnob(`${W}.requireSignedRequests`, config.requireSignedRequests, d.requireSignedRequests),
    script: config.script === undefined || config.script === null ? null : readShipmentScript(`${W}.script`, config.script),
  };
}
