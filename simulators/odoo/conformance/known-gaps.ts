import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ReplayReport } from './replay.ts';

/**
 * The clock the emulator starts at when replaying a transcript: the morning of
 * its recording day, so dates, sequence years and read_group's period labels
 * come out as they did on the real server.
 */
export function recordedEpochMs(transcript: { recorded: { date: string } }): number {
  const [year, month, day] = transcript.recorded.date.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, day, 9, 0, 0);
}

/**
 * The emulator's known gaps: flow file → step id → one-line reason. It is a
 * ratchet, so it may only shrink: a listed step that now passes is an error as
 * much as an unlisted step that fails (see checkAgainstGaps).
 */
export type KnownGaps = Readonly<Record<string, Readonly<Record<string, string>>>>;

export const KNOWN_GAPS_FILE = join(import.meta.dirname, 'known-gaps.json');

export function loadKnownGaps(path = KNOWN_GAPS_FILE): KnownGaps {
  const gaps = JSON.parse(readFileSync(path, 'utf8')) as KnownGaps;
  for (const [flow, steps] of Object.entries(gaps)) {
    for (const [step, reason] of Object.entries(steps)) {
      // A gap without a reason is a gap nobody understood; refuse it.
      if (typeof reason !== 'string' || reason.trim() === '' || reason.includes('\n'))
        throw new Error(`known-gaps.json: ${flow} / ${step} needs a one-line reason`);
    }
  }
  return gaps;
}

export function countGaps(gaps: KnownGaps): number {
  return Object.values(gaps).reduce((sum, steps) => sum + Object.keys(steps).length, 0);
}

export interface GapCheck {
  /** Steps that fail but are not listed: regressions or new gaps. */
  readonly unexpectedFailures: readonly string[];
  /** Listed steps that pass now: remove them from the list. */
  readonly fixedButListed: readonly string[];
  /** Listed step ids the transcript does not have (a typo or a renamed step). */
  readonly unknownListed: readonly string[];
}

/** Compares one replay with the gaps listed for its flow. */
export function checkAgainstGaps(report: ReplayReport, listed: Readonly<Record<string, string>> = {}): GapCheck {
  const ids = new Set(report.steps.map((step) => step.id));
  const failing = new Set(report.steps.filter((step) => step.status !== 'pass').map((step) => step.id));
  return {
    unexpectedFailures: [...failing].filter((id) => !(id in listed)),
    fixedButListed: Object.keys(listed).filter((id) => ids.has(id) && !failing.has(id)),
    unknownListed: Object.keys(listed).filter((id) => !ids.has(id)),
  };
}

export function gapCheckPassed(check: GapCheck): boolean {
  return check.unexpectedFailures.length === 0 && check.fixedButListed.length === 0 && check.unknownListed.length === 0;
}

export function formatGapCheck(flow: string, check: GapCheck): string {
  const lines: string[] = [];
  if (check.unexpectedFailures.length > 0) lines.push(`${flow}: steps fail that known-gaps.json does not list: ${check.unexpectedFailures.join(', ')}`);
  if (check.fixedButListed.length > 0) lines.push(`${flow}: steps pass now, remove them from known-gaps.json: ${check.fixedButListed.join(', ')}`);
  if (check.unknownListed.length > 0) lines.push(`${flow}: known-gaps.json lists steps the transcript does not have: ${check.unknownListed.join(', ')}`);
  return lines.join('\n');
}
