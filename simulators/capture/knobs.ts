import { CATALOGUE, SALE_TAX_RATE } from '../../harness/world/catalogue.ts';
import { type Delay, TIME, parseDelay } from '../shared/behaviour.ts';
import { type ScriptedOrder, readOrderScript } from './script.ts';
import type { KnobInput } from '../shared/knobs.ts';
import { KnobError, booleanKnob, enumKnob, groupKnob, numberKnob, probabilityKnob, stringKnob } from '../shared/knobs.ts';

export const ARRIVAL_MODELS = ['fixed', 'poisson', 'ramp', 'burst'] as const;
export type ArrivalModel = (typeof ARRIVAL_MODELS)[number];

export const KEY_ON_RETRY = ['reuse', 'new', 'none'] as const;
/** What the platform does with `idempotency-key` when it retries: the seed incident's duplicates come from `new` and `none`. */
export type KeyOnRetry = (typeof KEY_ON_RETRY)[number];

export interface CaptureRetryPolicy {
  timeoutMs: number;
  /** Total tries per order, the first included. */
  attempts: number;
  initialBackoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
  /** Fraction of each back-off that is random. */
  jitter: number;
  idempotencyKey: KeyOnRetry;
}

/** The capture platform's knobs, read from `context.config` (see README.md for where each default comes from). */
export interface CaptureKnobs {
  /** How many orders to place. */
  orders: number;
  arrival: ArrivalModel;
  /** Mean orders per second of virtual time (for `ramp`, the rate it ramps up to). */
  ratePerSecond: number;
  /** `ramp`: the rate of the first order. */
  rampFromPerSecond: number;
  /** `burst`: orders arriving at the same instant; bursts are spaced so the mean rate is `ratePerSecond`. */
  burstSize: number;
  maxLines: number;
  maxQuantity: number;
  skus: readonly string[];
  currency: string;
  /** Decimals the storefront charges unit prices at before multiplying (Odoo's "Product Price" precision). */
  priceDigits: number;
  taxRate: number;
  countryCode: string;
  retry: CaptureRetryPolicy;
  /** Pay each order at the payment gateway before submitting it. */
  payAtCheckout: boolean;
  /** What a declined or unreachable payment does to the order. */
  onPaymentFailure: 'abandon' | 'submit';
  /** Share of acknowledged orders cancelled later, and how much later. */
  cancellations: { probability: number; after: Delay };
  /**
   * Customers come from a book shared with the CRM (same seed, same people)
   * instead of a new one per order; null: a new one each time. `retyped` is
   * the share of a book's orders whose customer types her email in another
   * case than the book has it (0, the default: never). With a CRM in the
   * scenario the book is the CRM's accounts, and what is set here lays over
   * its seed and count.
   */
  customerBook: { seed: number; count: number; retyped: number } | null;
  /** The recorded orders, placed exactly as listed at their times instead of generated ones (in arrival order); null: generated load. */
  script: readonly ScriptedOrder[] | null;
}

/** What a scenario may set under `systems.capture`: any of these knobs, at any depth. */
export type CaptureOptions = KnobInput<CaptureKnobs>;

export const CAPTURE_DEFAULTS: CaptureKnobs = {
  orders: 10,
  arrival: 'poisson',
  ratePerSecond: 20,
  rampFromPerSecond: 1,
  burstSize: 10,
  maxLines: 3,
  maxQuantity: 5,
  skus: CATALOGUE.map((p) => p.sku),
  currency: 'USD',
  priceDigits: 2,
  taxRate: SALE_TAX_RATE,
  countryCode: 'US',
  retry: {
    timeoutMs: 10_000,
    attempts: 4,
    initialBackoffMs: 1_000,
    backoffFactor: 2,
    maxBackoffMs: 30_000,
    jitter: 0.5,
    idempotencyKey: 'reuse',
  },
  payAtCheckout: true,
  onPaymentFailure: 'abandon',
  cancellations: { probability: 0, after: { kind: 'uniform', minMs: 60_000, maxMs: TIME.HOUR } },
  customerBook: null,
  script: null,
};

const W = 'capture: config';

export function readCaptureKnobs(config: Readonly<Record<string, unknown>>): CaptureKnobs {
  const d = CAPTURE_DEFAULTS;
  const retry = groupKnob(`${W}.retry`, config.retry, [
    'timeoutMs',
    'attempts',
    'initialBackoffMs',
    'backoffFactor',
    'maxBackoffMs',
    'jitter',
    'idempotencyKey',
  ]);
  const cancellations = groupKnob(`${W}.cancellations`, config.cancellations, ['probability', 'after']);
  const script = config.script === undefined || config.script === null ? null : readOrderScript(`${W}.script`, config.script);
  if (script !== null && config.orders !== undefined && config.orders !== script.length) {
    throw new KnobError(
      `${W}.orders (${JSON.stringify(config.orders)}) must equal the script's ${script.length} orders, or be left out: the script says how many orders there are`,
    );
  }
  const book =
    config.customerBook === undefined || config.customerBook === null
      ? null
      : groupKnob(`${W}.customerBook`, config.customerBook, ['seed', 'count', 'retyped']);
  const knobs: CaptureKnobs = {
    orders: script !== null ? script.length : numberKnob(`${W}.orders`, config.orders, d.orders, { min: 0, max: 100_000_000, integer: true }),
    arrival: enumKnob(`${W}.arrival`, config.arrival, d.arrival, ARRIVAL_MODELS),
    ratePerSecond: numberKnob(`${W}.ratePerSecond`, config.ratePerSecond, d.ratePerSecond, { min: 0.000_001, max: 1_000_000 }),
    rampFromPerSecond: numberKnob(`${W}.rampFromPerSecond`, config.rampFromPerSecond, d.rampFromPerSecond, { min: 0.000_001, max: 1_000_000 }),
    burstSize: numberKnob(`${W}.burstSize`, config.burstSize, d.burstSize, { min: 1, max: 1_000_000, integer: true }),
    maxLines: numberKnob(`${W}.maxLines`, config.maxLines, d.maxLines, { min: 1, max: 100, integer: true }),
    maxQuantity: numberKnob(`${W}.maxQuantity`, config.maxQuantity, d.maxQuantity, { min: 1, max: 10_000, integer: true }),
    skus: readSkus(config.skus, d.skus),
    currency: stringKnob(`${W}.currency`, config.currency, d.currency, { test: /^[A-Z]{3}$/, describe: 'an ISO 4217 code such as "USD"' }),
    priceDigits: numberKnob(`${W}.priceDigits`, config.priceDigits, d.priceDigits, { min: 0, max: 6, integer: true }),
    taxRate: numberKnob(`${W}.taxRate`, config.taxRate, d.taxRate, { min: 0, max: 1 }),
    countryCode: stringKnob(`${W}.countryCode`, config.countryCode, d.countryCode, { test: /^[A-Z]{2}$/, describe: 'an ISO 3166 alpha-2 code such as "US"' }),
    retry: {
      timeoutMs: numberKnob(`${W}.retry.timeoutMs`, retry.timeoutMs, d.retry.timeoutMs, { min: 1, max: 600_000 }),
      attempts: numberKnob(`${W}.retry.attempts`, retry.attempts, d.retry.attempts, { min: 1, max: 1_000, integer: true }),
      initialBackoffMs: numberKnob(`${W}.retry.initialBackoffMs`, retry.initialBackoffMs, d.retry.initialBackoffMs, { min: 0, max: 30 * TIME.DAY }),
      backoffFactor: numberKnob(`${W}.retry.backoffFactor`, retry.backoffFactor, d.retry.backoffFactor, { min: 1, max: 100 }),
      maxBackoffMs: numberKnob(`${W}.retry.maxBackoffMs`, retry.maxBackoffMs, d.retry.maxBackoffMs, { min: 0, max: 30 * TIME.DAY }),
      jitter: numberKnob(`${W}.retry.jitter`, retry.jitter, d.retry.jitter, { min: 0, max: 1 }),
      idempotencyKey: enumKnob(`${W}.retry.idempotencyKey`, retry.idempotencyKey, d.retry.idempotencyKey, KEY_ON_RETRY),
    },
    payAtCheckout: booleanKnob(`${W}.payAtCheckout`, config.payAtCheckout, d.payAtCheckout),
    onPaymentFailure: enumKnob(`${W}.onPaymentFailure`, config.onPaymentFailure, d.onPaymentFailure, ['abandon', 'submit'] as const),
    cancellations: {
      probability: probabilityKnob(`${W}.cancellations.probability`, cancellations.probability, d.cancellations.probability),
      after: parseDelay(`${W}.cancellations.after`, cancellations.after, d.cancellations.after),
    },
    customerBook:
      book === null
        ? d.customerBook
        : {
            seed: numberKnob(`${W}.customerBook.seed`, book.seed, 1, { min: 0, max: 0x7fffffff, integer: true }),
            count: numberKnob(`${W}.customerBook.count`, book.count, 12, { min: 1, max: 100_000, integer: true }),
            retyped: probabilityKnob(`${W}.customerBook.retyped`, book.retyped, 0),
          },
    script,
  };
  if (knobs.retry.maxBackoffMs < knobs.retry.initialBackoffMs) {
    throw new KnobError(
      `${W}.retry.maxBackoffMs (${knobs.retry.maxBackoffMs}) must not be below ${W}.retry.initialBackoffMs (${knobs.retry.initialBackoffMs})`,
    );
  }
  return knobs;
}

function readSkus(value: unknown, fallback: readonly string[]): readonly string[] {
  if (value === undefined) return fallback;
  const known = CATALOGUE.map((p) => p.sku);
  if (!Array.isArray(value) || value.length === 0) {
    throw new KnobError(`${W}.skus must be a non-empty list of catalogue skus (${known.join(', ')}); got ${JSON.stringify(value)}`);
  }
  for (const sku of value) {
    if (typeof sku !== 'string' || !known.includes(sku)) {
      throw new KnobError(`${W}.skus has ${JSON.stringify(sku)}, which is not in the catalogue; allowed: ${known.join(', ')}`);
    }
  }
  return [...new Set(value as string[])];
}
