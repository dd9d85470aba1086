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
import { groupKnob, numberKnob, probabilityKnob, stringKnob } from '../shared/knobs.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../../harness/contracts/webhook-signature.ts';

/** What a sales rep does to an account in one action. */
export const REP_ACTIONS = ['address', 'vat', 'paymentTerms', 'creditLimit', 'name', 'duplicate'] as const;
export type RepAction = (typeof REP_ACTIONS)[number];

/** Odoo 17's own payment term names (account module data), so the middleware can map them by name. */
export const PAYMENT_TERMS = ['Immediate Payment', '15 Days', '30 Days', '45 Days'] as const;

/** The CRM's knobs, read from `context.config` (README.md says where each default comes from). */
export interface CrmKnobs {
  webhookSecret: string;
  /** The accounts that exist when the run starts: the customer book shared with the storefront. */
  customers: { seed: number; count: number };
  countryCode: string;
  /** Rep actions over the run: how many, the pause before each, and how often each kind is picked (weights). */
  edits: { count: number; every: Delay; mix: Record<RepAction, number> };
  /**
   * A duplicate account is resolved after `resolveAfter`: merged with `mergeProbability`, deleted otherwise.
   * A merge keeps the newer record (the duplicate) with `keepNewerProbability`, so the account the storefront's
   * orders name is the one merged away; otherwise the original survives.
   */
  duplicates: { resolveAfter: Delay; mergeProbability: number; keepNewerProbability: number };
  api: ApiBehaviour;
  /** At most `requests` API calls per `windowMs`; beyond, 429 with `Retry-After`. */
  rateLimit: { requests: number; windowMs: number };
  /** Page size of `GET /accounts` when the caller names none, and the most it may ask for. */
  pageSize: { default: number; max: number };
  webhooks: MessageBehaviour;
  retry: RetrySchedule;
  /** Multiplies rep pauses, webhook holds, back-offs and the horizon; below 1 compresses a live run. */
  timeScale: number;
}

const MIN = 60_000;

/** What a scenario may set under `systems.crm`: any of these knobs, at any depth. */
export type CrmOptions = KnobInput<CrmKnobs>;

export const CRM_DEFAULTS: CrmKnobs = {
  webhookSecret: DEFAULT_WEBHOOK_SECRET,
  customers: { seed: 1, count: 12 },
  countryCode: 'US',
  edits: {
    count: 40,
    every: { kind: 'uniform', minMs: 15_000, maxMs: 2 * MIN },
    mix: { address: 3, vat: 2, paymentTerms: 2, creditLimit: 2, name: 1, duplicate: 1 },
  },
  duplicates: { resolveAfter: { kind: 'uniform', minMs: 2 * MIN, maxMs: 20 * MIN }, mergeProbability: 0.7, keepNewerProbability: 0.5 },
  api: CALM_API,
  rateLimit: { requests: 10, windowMs: 1_000 },
  pageSize: { default: 50, max: 200 },
  webhooks: { ...CALM_MESSAGES, delay: { kind: 'exponential', meanMs: 1_000 } },
  retry: {
    timeoutMs: 10_000,
    initialBackoffMs: 10_000,
    backoffFactor: 2,
    maxBackoffMs: TIME.HOUR,
    jitter: 0.2,
    horizonMs: TIME.DAY,
  },
  timeScale: 1,
};

const W = 'crm: config';

export function readCrmKnobs(config: Readonly<Record<string, unknown>>): CrmKnobs {
  const d = CRM_DEFAULTS;
  const customers = groupKnob(`${W}.customers`, config.customers, ['seed', 'count']);
  const edits = groupKnob(`${W}.edits`, config.edits, ['count', 'every', 'mix']);
  const mix = groupKnob(`${W}.edits.mix`, edits.mix, REP_ACTIONS);
  const duplicates = groupKnob(`${W}.duplicates`, config.duplicates, ['resolveAfter', 'mergeProbability', 'keepNewerProbability']);
  const rateLimit = groupKnob(`${W}.rateLimit`, config.rateLimit, ['requests', 'windowMs']);
  const pageSize = groupKnob(`${W}.pageSize`, config.pageSize, ['default', 'max']);
  const weights = {} as Record<RepAction, number>;
  for (const action of REP_ACTIONS) weights[action] = numberKnob(`${W}.edits.mix.${action}`, mix[action], d.edits.mix[action], { min: 0, max: 1_000 });
  const max = numberKnob(`${W}.pageSize.max`, pageSize.max, d.pageSize.max, { min: 1, max: 10_000, integer: true });
  return {
    webhookSecret: stringKnob(`${W}.webhookSecret`, config.webhookSecret, d.webhookSecret),
    customers: {
      seed: numberKnob(`${W}.customers.seed`, customers.seed, d.customers.seed, { min: 0, max: 0x7fffffff, integer: true }),
      count: numberKnob(`${W}.customers.count`, customers.count, d.customers.count, { min: 1, max: 100_000, integer: true }),
    },
    countryCode: stringKnob(`${W}.countryCode`, config.countryCode, d.countryCode, { test: /^[A-Z]{2}$/, describe: 'an ISO 3166 alpha-2 code such as "US"' }),
    edits: {
      count: numberKnob(`${W}.edits.count`, edits.count, d.edits.count, { min: 0, max: 10_000_000, integer: true }),
      every: parseDelay(`${W}.edits.every`, edits.every, d.edits.every),
      mix: weights,
    },
    duplicates: {
      resolveAfter: parseDelay(`${W}.duplicates.resolveAfter`, duplicates.resolveAfter, d.duplicates.resolveAfter),
      mergeProbability: probabilityKnob(`${W}.duplicates.mergeProbability`, duplicates.mergeProbability, d.duplicates.mergeProbability),
      keepNewerProbability: probabilityKnob(`${W}.duplicates.keepNewerProbability`, duplicates.keepNewerProbability, d.duplicates.keepNewerProbability),
    },
    api: parseApiBehaviour(`${W}.api`, config.api, d.api),
    rateLimit: {
      requests: numberKnob(`${W}.rateLimit.requests`, rateLimit.requests, d.rateLimit.requests, { min: 1, max: 1_000_000, integer: true }),
      windowMs: numberKnob(`${W}.rateLimit.windowMs`, rateLimit.windowMs, d.rateLimit.windowMs, { min: 1, max: TIME.DAY }),
    },
    pageSize: { default: numberKnob(`${W}.pageSize.default`, pageSize.default, Math.min(d.pageSize.default, max), { min: 1, max, integer: true }), max },
    webhooks: parseMessageBehaviour(`${W}.webhooks`, config.webhooks, d.webhooks),
    retry: parseRetrySchedule(`${W}.retry`, config.retry, d.retry),
    timeScale: numberKnob(`${W}.timeScale`, config.timeScale, d.timeScale, { min: 0, max: 1_000 }),
  };
}
