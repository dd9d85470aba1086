import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';

const FILE = join(import.meta.dirname, 'results.json');

/** Merges one benchmark's figures into bench/results.json under its own section. */
export function recordResults(section: string, figures: Record<string, unknown>): void {
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(readFileSync(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    all = {};
  }
  all[section] = { ...figures, node: process.version, cpu: cpus()[0]?.model ?? 'unknown', measuredAt: new Date().toISOString() };
  writeFileSync(FILE, JSON.stringify(all, null, 2) + '\n');
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
