/**
 * Replaying a scenario's recorded script inside a simulator: which recorded
 * entry answers the next thing the simulator does, and when, from now, each
 * recorded moment falls.
 */
import { KnobError } from './knobs.ts';

/**
 * Hands out an order's scripted events of one type in script order, one per event the simulator emits,
 * each once; `undefined` once they run out (what follows is the simulator's own behaviour).
 */
export function scriptQueue<T>(entries: readonly T[], keyOf: (entry: T) => string): (key: string) => T | undefined {
  const queues = new Map<string, T[]>();
  for (const entry of entries) {
    const list = queues.get(keyOf(entry));
    if (list === undefined) queues.set(keyOf(entry), [entry]);
    else list.push(entry);
  }
  return (key) => queues.get(key)?.shift();
}

/**
 * How long from now each recorded time is, for a script whose times count from `startedAt`: when the
 * simulation reaches the event later than the record (the middleware was slower), every time is shifted
 * by that lateness, so the gaps and the order between them stay as recorded.
 */
export function holdsFrom(now: number, startedAt: number, eventAtMs: number, timesMs: readonly number[]): number[] {
  const lateness = Math.max(0, now - (startedAt + eventAtMs));
  return timesMs.map((t) => Math.max(0, startedAt + t + lateness - now));
}

/** A recorded event's deliveries: the copies sent whatever happened, and the redeliveries sent only after a failure. */
export interface RecordedDeliveries {
  /** When each copy reached the receiver, in ms after the run starts: two entries are a duplicate; [] for never delivered. */
  deliveredAtMs: readonly number[];
  /** When the sender redelivered the first copy after it was not acknowledged (attempts 2, 3, …), in ms after the run starts. */
  retriedAtMs?: readonly number[];
}

/** A script time: ms after the run's start, 0 or more. */
export const isScriptTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Reads `deliveredAtMs` and `retriedAtMs` of a recorded event that happened at `atMs`; throws with where and what to do. */
export function readDeliveries(where: string, entry: Readonly<Record<string, unknown>>, atMs: number): RecordedDeliveries {
  const copies = entry.deliveredAtMs;
  if (!Array.isArray(copies) || !copies.every(isScriptTime))
    throw new KnobError(
      `${where}.deliveredAtMs must be a list of times (ms after the run's start), one per delivery; [] for an event never delivered; got ${JSON.stringify(copies)}`,
    );
  const early = (copies as number[]).findIndex((d) => d < atMs);
  if (early >= 0)
    throw new KnobError(
      `${where}.deliveredAtMs[${early}] (${copies[early]}) is before the event happened (atMs ${atMs}): a delivery cannot precede its event; check the two sources' clocks`,
    );
  const retries = entry.retriedAtMs;
  if (retries === undefined) return { deliveredAtMs: [...(copies as number[])] };
  if (!Array.isArray(retries) || !retries.every(isScriptTime))
    throw new KnobError(`${where}.retriedAtMs must be a list of times (ms after the run's start), one per redelivery; got ${JSON.stringify(retries)}`);
  if (copies.length === 0)
    throw new KnobError(`${where}.retriedAtMs redelivers a first delivery that deliveredAtMs does not have: give the first delivery's time`);
  const first = Math.min(...(copies as number[]));
  const bad = (retries as number[]).findIndex((r, i) => r < first || (i > 0 && r < (retries as number[])[i - 1]!));
  if (bad >= 0)
    throw new KnobError(
      `${where}.retriedAtMs[${bad}] (${retries[bad]}) must come after the first delivery (${first}) and the redelivery before it: list redeliveries in time order`,
    );
  return { deliveredAtMs: [...(copies as number[])], retriedAtMs: [...(retries as number[])] };
}

/** When, from now, each copy goes and at what clock times the first copy is redelivered if not acknowledged. */
export function deliveryPlan(now: number, startedAt: number, eventAtMs: number, recorded: RecordedDeliveries): { holdsMs: number[]; retryAt: number[] } {
  return {
    holdsMs: holdsFrom(now, startedAt, eventAtMs, recorded.deliveredAtMs),
    retryAt: holdsFrom(now, startedAt, eventAtMs, recorded.retriedAtMs ?? []).map((hold) => now + hold),
  };
}
