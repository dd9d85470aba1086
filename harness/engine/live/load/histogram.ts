/**
 * A log-linear histogram in the spirit of HdrHistogram: exact for values
 * below 2,048, then 1,024 buckets per power of two, so every recorded value
 * is reported within 0.1 % of itself (3 significant digits) at any scale, in
 * fixed memory (about 300 KB) and O(1) per record. Values are non-negative
 * integers in the caller's unit (microseconds for latencies); fractions are
 * rounded.
 */

const SUB_BITS = 10;
const SUB_COUNT = 1 << SUB_BITS;
/** Values up to 2^42 (about 51 days in microseconds); bigger ones are clamped and counted. */
const MAX_BITS = 42;
export const HISTOGRAM_MAX_VALUE = 2 ** MAX_BITS - 1;
const BUCKETS = (MAX_BITS - SUB_BITS + 1) * SUB_COUNT;

export interface HistogramSummary {
  count: number;
  min: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class Histogram {
  #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #min = Number.POSITIVE_INFINITY;
  #max = 0;
  #clamped = 0;

  get count(): number {
    return this.#count;
  }

  /** Values above HISTOGRAM_MAX_VALUE, recorded as that maximum. */
  get clamped(): number {
    return this.#clamped;
  }

  get min(): number {
    return this.#count === 0 ? 0 : this.#min;
  }

  get max(): number {
    return this.#max;
  }

  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  record(value: number, times = 1): void {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new RangeError(`Histogram.record: values must be finite and non-negative, got ${String(value)}`);
    }
    let v = Math.round(value);
    if (v > HISTOGRAM_MAX_VALUE) {
      v = HISTOGRAM_MAX_VALUE;
      this.#clamped += times;
    }
    this.#counts[bucketOf(v)]! += times;
    this.#count += times;
    this.#sum += v * times;
    if (v < this.#min) this.#min = v;
    if (v > this.#max) this.#max = v;
  }

  /**
   * The value at or below which `percentile` % of recorded values fall, as
   * the highest value of its bucket (never under-reports), capped at max.
   */
  percentile(percentile: number): number {
    if (!(percentile >= 0 && percentile <= 100)) throw new RangeError(`percentile must be in 0..100, got ${String(percentile)}`);
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((percentile / 100) * this.#count));
    let seen = 0;
    const counts = this.#counts;
    for (let i = 0; i < counts.length; i++) {
      seen += counts[i]!;
      if (seen >= rank) return Math.min(highestInBucket(i), this.#max);
    }
    return this.#max;
  }

  summary(): HistogramSummary {
    return { count: this.#count, min: this.min, mean: this.mean, p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.#max };
  }

  /** Adds another histogram's values (e.g. per-worker histograms into one). */
  merge(other: Histogram): void {
    const counts = other.#counts;
    for (let i = 0; i < counts.length; i++) if (counts[i] !== 0) this.#counts[i]! += counts[i]!;
    this.#count += other.#count;
    this.#sum += other.#sum;
    this.#clamped += other.#clamped;
    if (other.#count > 0) {
      this.#min = Math.min(this.#min, other.#min);
      this.#max = Math.max(this.#max, other.#max);
    }
  }
}

function bucketOf(v: number): number {
  if (v < 2 * SUB_COUNT) return v;
  let msb = Math.floor(Math.log2(v));
  // log2 can round up just below a power of two.
  if (2 ** msb > v) msb--;
  const shift = msb - SUB_BITS;
  return shift * SUB_COUNT + Math.floor(v / 2 ** shift);
}

function highestInBucket(index: number): number {
  if (index < 2 * SUB_COUNT) return index;
  const shift = Math.floor(index / SUB_COUNT) - 1;
  const sub = index - shift * SUB_COUNT;
  return (sub + 1) * 2 ** shift - 1;
}
