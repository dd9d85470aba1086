import { valueError } from './errors.ts';

/** An ir.sequence: `prefix` may hold `%(year)s`, `%(month)s`, `%(day)s`, filled from the emulator clock. */
export interface SequenceSpec {
  readonly code: string;
  readonly prefix: string;
  readonly padding: number;
  readonly suffix?: string;
  /** The first number drawn; default 1. */
  readonly start?: number;
}

/**
 * Numbering outside any transaction, like Odoo's `standard` sequences backed by
 * PostgreSQL sequences: a number drawn by a call that later fails stays used.
 */
export class Sequences {
  #specs = new Map<string, SequenceSpec>();
  #next = new Map<string, number>();

  declare(spec: SequenceSpec): void {
    this.#specs.set(spec.code, spec);
    if (!this.#next.has(spec.code)) this.#next.set(spec.code, spec.start ?? 1);
  }

  has(code: string): boolean {
    return this.#specs.has(code);
  }

  next(code: string, nowMs: number): string {
    const spec = this.#specs.get(code);
    if (spec === undefined) throw valueError(`No ir.sequence has the code '${code}'; declare it in the module's sequences.`);
    const n = this.#next.get(code)!;
    this.#next.set(code, n + 1);
    return interpolate(spec.prefix, nowMs) + String(n).padStart(spec.padding, '0') + interpolate(spec.suffix ?? '', nowMs);
  }

  /** The number the next draw would give (for inspection in tests). */
  peek(code: string): number | undefined {
    return this.#next.get(code);
  }
}

function interpolate(template: string, nowMs: number): string {
  if (!template.includes('%(')) return template;
  const iso = new Date(nowMs).toISOString();
  return template
    .replaceAll('%(year)s', iso.slice(0, 4))
    .replaceAll('%(y)s', iso.slice(2, 4))
    .replaceAll('%(month)s', iso.slice(5, 7))
    .replaceAll('%(day)s', iso.slice(8, 10));
}
