import type { Verdict, Violation } from './types.ts';

/** Enough for a person to see the pattern; the count tells the scale. */
export const EXAMPLE_LIMIT = 5;

/** Counts every violation and keeps the first few as examples. */
export class ViolationLog {
  count = 0;
  readonly examples: Violation[] = [];

  add(violation: Violation): void {
    this.count++;
    if (this.examples.length < EXAMPLE_LIMIT) this.examples.push(violation);
  }

  /** Fails when anything was logged; otherwise passes, or stays unknown when some cases could not be judged. */
  verdict(name: string, summary: { pass: string; fail: string; unknown?: string | undefined }): Verdict {
    if (this.count > 0) return { name, verdict: 'fail', violations: this.count, examples: this.examples, summary: summary.fail };
    if (summary.unknown !== undefined) return { name, verdict: 'unknown', violations: 0, examples: [], summary: summary.unknown };
    return { name, verdict: 'pass', violations: 0, examples: [], summary: summary.pass };
  }
}

export function unknownVerdict(name: string, summary: string): Verdict {
  return { name, verdict: 'unknown', violations: 0, examples: [], summary };
}

/** A duration for people: `850 ms`, `12.4 s`, `20m 5s`, `9h 2m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'forever';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(Math.round(ms / 100) / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
  const minutes = Math.round(seconds / 60);
  return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
}

export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
