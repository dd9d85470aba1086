/**
 * Arrival-rate profiles for open-model load: the rate changes linearly within
 * each segment (constant when both ends are equal), and the i-th arrival is
 * due when the integral of the rate reaches i. Arrival times therefore depend
 * only on the profile, never on how fast the system answers.
 */

export interface RateSegment {
  durationMs: number;
  /** Arrivals per second at the segment's start and end. */
  fromPerSec: number;
  toPerSec: number;
}

export interface ArrivalProfile {
  /** A label for reports, e.g. "constant 200/s for 60 s". */
  readonly name: string;
  readonly segments: readonly RateSegment[];
  readonly durationMs: number;
  /** Arrivals the profile plans in total. */
  readonly arrivals: number;
  /** When arrival `index` (0-based) is due, in ms after the start. */
  timeOf(index: number): number;
}

/** k6's constant-arrival-rate: `ratePerSec` arrivals per second for `durationMs`. */
export function constantRate(ratePerSec: number, durationMs: number): ArrivalProfile {
  return profile(`constant ${ratePerSec}/s for ${seconds(durationMs)}`, [{ durationMs, fromPerSec: ratePerSec, toPerSec: ratePerSec }]);
}

export interface RampStage {
  /** The rate reached at the end of the stage. */
  targetPerSec: number;
  durationMs: number;
}

/** k6's ramping-arrival-rate: from `startPerSec`, linearly to each stage's target. */
export function rampRate(startPerSec: number, stages: readonly RampStage[]): ArrivalProfile {
  if (!Array.isArray(stages) || stages.length === 0) throw new RangeError('rampRate needs at least one stage ({ targetPerSec, durationMs })');
  const segments: RateSegment[] = [];
  let from = startPerSec;
  for (const stage of stages) {
    segments.push({ durationMs: stage.durationMs, fromPerSec: from, toPerSec: stage.targetPerSec });
    from = stage.targetPerSec;
  }
  return profile(
    `ramp from ${startPerSec}/s through ${stages.map((s) => `${s.targetPerSec}/s`).join(', ')} over ${seconds(segments.reduce((t, s) => t + s.durationMs, 0))}`,
    segments,
  );
}

export interface SpikeOptions {
  basePerSec: number;
  spikePerSec: number;
  /** Base rate before the spike. */
  beforeMs: number;
  spikeMs: number;
  /** Base rate after the spike (recovery). */
  afterMs: number;
}

/** A sudden jump from the base rate to the spike rate and back. */
export function spikeRate(options: SpikeOptions): ArrivalProfile {
  const { basePerSec, spikePerSec, beforeMs, spikeMs, afterMs } = options;
  const segments = [
    { durationMs: beforeMs, fromPerSec: basePerSec, toPerSec: basePerSec },
    { durationMs: spikeMs, fromPerSec: spikePerSec, toPerSec: spikePerSec },
    { durationMs: afterMs, fromPerSec: basePerSec, toPerSec: basePerSec },
  ].filter((segment) => segment.durationMs > 0);
  if (spikeMs <= 0) throw new RangeError(`spikeRate: spikeMs must be positive, got ${String(spikeMs)}`);
  return profile(`spike ${basePerSec}/s -> ${spikePerSec}/s for ${seconds(spikeMs)}`, segments);
}

/** Any piecewise-linear profile. */
export function profile(name: string, segments: readonly RateSegment[]): ArrivalProfile {
  if (segments.length === 0) throw new RangeError(`arrival profile ${name}: needs at least one segment`);
  for (const [i, s] of segments.entries()) {
    if (!(Number.isFinite(s.durationMs) && s.durationMs > 0))
      throw new RangeError(`arrival profile ${name}: segment ${i + 1} needs a positive durationMs, got ${String(s.durationMs)}`);
    for (const [field, rate] of [
      ['fromPerSec', s.fromPerSec],
      ['toPerSec', s.toPerSec],
    ] as const) {
      if (!(Number.isFinite(rate) && rate >= 0))
        throw new RangeError(`arrival profile ${name}: segment ${i + 1} ${field} must be a non-negative rate per second, got ${String(rate)}`);
    }
  }
  // Cumulative arrivals (as a real number) at the start of each segment.
  const starts: number[] = [];
  const startTimes: number[] = [];
  let total = 0;
  let time = 0;
  for (const s of segments) {
    starts.push(total);
    startTimes.push(time);
    total += ((s.fromPerSec + s.toPerSec) / 2) * (s.durationMs / 1000);
    time += s.durationMs;
  }
  // Rounding guards against 99.99999 planned arrivals becoming 99.
  const arrivals = Math.floor(total + 1e-9);
  const frozen = segments.map((s) => ({ ...s }));

  let cursor = 0;
  return {
    name,
    segments: frozen,
    durationMs: time,
    arrivals,
    timeOf(index: number): number {
      if (!(Number.isInteger(index) && index >= 0 && index < arrivals)) throw new RangeError(`arrival ${index} is outside 0..${arrivals - 1}`);
      // Callers walk arrivals in order; start the segment search where the last one ended.
      if (cursor >= segments.length || starts[cursor]! > index) cursor = 0;
      while (cursor + 1 < segments.length && starts[cursor + 1]! <= index) cursor++;
      const s = frozen[cursor]!;
      const n = index - starts[cursor]!;
      const a = s.fromPerSec / 1000;
      const k = (s.toPerSec - s.fromPerSec) / 1000 / (2 * s.durationMs);
      // Solve a·t + k·t² = n for t; this form stays exact when a or k is 0.
      const t = n === 0 ? 0 : (2 * n) / (a + Math.sqrt(Math.max(0, a * a + 4 * k * n)));
      return startTimes[cursor]! + Math.min(t, s.durationMs);
    },
  };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
