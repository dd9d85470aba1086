/**
 * The one vocabulary for how a sender misbehaves with messages, shared by the
 * payment gateway's and the 3PL's webhook senders (and by scenarios, which set
 * these per stream): duplicate, reorder, delay, drop — plus error, which is
 * how a simulator's own API misbehaves towards its callers.
 */
import type { Rng } from '../../harness/core/rng.ts';
import { KnobError, enumKnob, groupKnob, isPlainObject, numberKnob, optionalCountKnob, probabilityKnob } from './knobs.ts';

export const MESSAGE_FAULT_KINDS = ['duplicate', 'reorder', 'delay', 'drop', 'error'] as const;
export type MessageFaultKind = (typeof MESSAGE_FAULT_KINDS)[number];

/** A distribution of durations in milliseconds (a plain number in config means `fixed`). */
export type Delay =
  | { kind: 'fixed'; ms: number }
  | { kind: 'uniform'; minMs: number; maxMs: number }
  | { kind: 'exponential'; meanMs: number }
  | { kind: 'normal'; meanMs: number; stdDevMs: number };

export interface MessageBehaviour {
  /** Lag between the business event and the first delivery attempt. */
  delay: Delay;
  /** Each message (and each copy) is held a further uniform 0..windowMs, so messages close in time swap. */
  reorder: { windowMs: number };
  /**
   * With `probability`, a message is sent `copies` extra times, each copy delivered on its own,
   * copy k held a further k × `gapMs` (the same shape as the engine's `duplicate` link fault).
   */
  duplicate: { probability: number; copies: number; gapMs: number };
  /**
   * `probability`: the message is lost before its first attempt.
   * `afterFailures`: give up after that many failed attempts (`null`: only the retry horizon ends it).
   */
  drop: { probability: number; afterFailures: number | null };
}

/** How a sender retries a message that got a non-2xx answer or none. */
export interface RetrySchedule {
  timeoutMs: number;
  initialBackoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
  /** Fraction of each back-off that is random: delay × (1 − jitter × u), u uniform in [0, 1). */
  jitter: number;
  /** No attempt starts later than this after the first one. */
  horizonMs: number;
}

/** How a simulator's own API misbehaves: extra latency before answering, and errors instead of work. */
export interface ApiBehaviour {
  latency: Delay;
  error: { probability: number; status: number };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Whole milliseconds, so virtual timestamps in the history, ledgers and signatures agree. */
export function sampleDelay(rng: Rng, delay: Delay): number {
  switch (delay.kind) {
    case 'fixed':
      return delay.ms;
    case 'uniform':
      return Math.round(delay.minMs + rng.next() * (delay.maxMs - delay.minMs));
    case 'exponential':
      return Math.round(rng.exponential(delay.meanMs));
    case 'normal':
      return Math.max(0, Math.round(rng.normal(delay.meanMs, delay.stdDevMs)));
  }
}

/** Always zero: lets hot paths skip the rng and the timer. */
export function isZeroDelay(delay: Delay): boolean {
  return delay.kind === 'fixed' && delay.ms === 0;
}

/** Back-off before retry number `failures` (1 = after the first failure). */
export function backoffMs(schedule: RetrySchedule, failures: number, rng: Rng): number {
  const base = Math.min(schedule.maxBackoffMs, schedule.initialBackoffMs * schedule.backoffFactor ** (failures - 1));
  return Math.round(schedule.jitter > 0 ? base * (1 - schedule.jitter * rng.next()) : base);
}

const DELAY_KINDS = ['fixed', 'uniform', 'exponential', 'normal'] as const;
const MAX_MS = 30 * DAY;

export function parseDelay(where: string, value: unknown, fallback: Delay): Delay {
  if (value === undefined) return fallback;
  if (typeof value === 'number') return { kind: 'fixed', ms: numberKnob(where, value, 0, { min: 0, max: MAX_MS }) };
  if (!isPlainObject(value)) {
    throw new KnobError(`${where} must be a number of milliseconds or an object {kind: ${DELAY_KINDS.join('|')}, ...}; got ${JSON.stringify(value)}`);
  }
  const kind = enumKnob(`${where}.kind`, value.kind, 'fixed', DELAY_KINDS);
  const ms = (field: string): number => {
    const v = value[field];
    if (v === undefined) throw new KnobError(`${where}.${field} is required for a ${kind} delay`);
    return numberKnob(`${where}.${field}`, v, 0, { min: 0, max: MAX_MS });
  };
  switch (kind) {
    case 'fixed':
      groupKnob(where, value, ['kind', 'ms']);
      return { kind, ms: ms('ms') };
    case 'uniform': {
      groupKnob(where, value, ['kind', 'minMs', 'maxMs']);
      const minMs = ms('minMs');
      const maxMs = ms('maxMs');
      if (maxMs < minMs) throw new KnobError(`${where}.maxMs (${maxMs}) must not be below ${where}.minMs (${minMs})`);
      return { kind, minMs, maxMs };
    }
    case 'exponential':
      groupKnob(where, value, ['kind', 'meanMs']);
      return { kind, meanMs: ms('meanMs') };
    case 'normal':
      groupKnob(where, value, ['kind', 'meanMs', 'stdDevMs']);
      return { kind, meanMs: ms('meanMs'), stdDevMs: ms('stdDevMs') };
  }
}

export function parseMessageBehaviour(where: string, value: unknown, defaults: MessageBehaviour): MessageBehaviour {
  const group = groupKnob(where, value, ['delay', 'reorder', 'duplicate', 'drop']);
  const reorder = groupKnob(`${where}.reorder`, group.reorder, ['windowMs']);
  const duplicate = groupKnob(`${where}.duplicate`, group.duplicate, ['probability', 'copies', 'gapMs']);
  const drop = groupKnob(`${where}.drop`, group.drop, ['probability', 'afterFailures']);
  return {
    delay: parseDelay(`${where}.delay`, group.delay, defaults.delay),
    reorder: { windowMs: numberKnob(`${where}.reorder.windowMs`, reorder.windowMs, defaults.reorder.windowMs, { min: 0, max: MAX_MS }) },
    duplicate: {
      probability: probabilityKnob(`${where}.duplicate.probability`, duplicate.probability, defaults.duplicate.probability),
      copies: numberKnob(`${where}.duplicate.copies`, duplicate.copies, defaults.duplicate.copies, { min: 1, max: 100, integer: true }),
      gapMs: numberKnob(`${where}.duplicate.gapMs`, duplicate.gapMs, defaults.duplicate.gapMs, { min: 0, max: MAX_MS }),
    },
    drop: {
      probability: probabilityKnob(`${where}.drop.probability`, drop.probability, defaults.drop.probability),
      afterFailures: optionalCountKnob(`${where}.drop.afterFailures`, drop.afterFailures, defaults.drop.afterFailures, 10_000),
    },
  };
}

export function parseRetrySchedule(where: string, value: unknown, defaults: RetrySchedule): RetrySchedule {
  const group = groupKnob(where, value, ['timeoutMs', 'initialBackoffMs', 'backoffFactor', 'maxBackoffMs', 'jitter', 'horizonMs']);
  const schedule: RetrySchedule = {
    timeoutMs: numberKnob(`${where}.timeoutMs`, group.timeoutMs, defaults.timeoutMs, { min: 1, max: 10 * 60_000 }),
    initialBackoffMs: numberKnob(`${where}.initialBackoffMs`, group.initialBackoffMs, defaults.initialBackoffMs, { min: 0, max: MAX_MS }),
    backoffFactor: numberKnob(`${where}.backoffFactor`, group.backoffFactor, defaults.backoffFactor, { min: 1, max: 100 }),
    maxBackoffMs: numberKnob(`${where}.maxBackoffMs`, group.maxBackoffMs, defaults.maxBackoffMs, { min: 0, max: MAX_MS }),
    jitter: numberKnob(`${where}.jitter`, group.jitter, defaults.jitter, { min: 0, max: 1 }),
    horizonMs: numberKnob(`${where}.horizonMs`, group.horizonMs, defaults.horizonMs, { min: 0, max: 365 * DAY }),
  };
  if (schedule.maxBackoffMs < schedule.initialBackoffMs) {
    throw new KnobError(`${where}.maxBackoffMs (${schedule.maxBackoffMs}) must not be below ${where}.initialBackoffMs (${schedule.initialBackoffMs})`);
  }
  return schedule;
}

export function parseApiBehaviour(where: string, value: unknown, defaults: ApiBehaviour): ApiBehaviour {
  const group = groupKnob(where, value, ['latency', 'error']);
  const error = groupKnob(`${where}.error`, group.error, ['probability', 'status']);
  return {
    latency: parseDelay(`${where}.latency`, group.latency, defaults.latency),
    error: {
      probability: probabilityKnob(`${where}.error.probability`, error.probability, defaults.error.probability),
      status: numberKnob(`${where}.error.status`, error.status, defaults.error.status, { min: 400, max: 599, integer: true }),
    },
  };
}

/** The calm defaults for a message stream: prompt, once, in order, never lost. Each simulator overrides `delay`. */
export const CALM_MESSAGES: MessageBehaviour = {
  delay: { kind: 'fixed', ms: 0 },
  reorder: { windowMs: 0 },
  duplicate: { probability: 0, copies: 1, gapMs: 0 },
  drop: { probability: 0, afterFailures: null },
};

export const CALM_API: ApiBehaviour = {
  latency: { kind: 'fixed', ms: 0 },
  error: { probability: 0, status: 503 },
};

export const TIME = { HOUR, DAY } as const;
