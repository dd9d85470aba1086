import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePythonJson } from '../transport/python-json.ts';

/** One step of a flow, plus what a real Odoo 17 answered (transcripts/README.md §1–2). */
export interface TranscriptStep {
  readonly id: string;
  readonly note?: string;
  readonly transport: 'xmlrpc' | 'jsonrpc';
  readonly service: 'common' | 'object' | 'db';
  readonly method: string;
  readonly args: unknown[];
  readonly kwargs?: Record<string, unknown>;
  readonly bind?: string | Record<string, string>;
  readonly outcome: Outcome;
  readonly traceback_head?: string;
}

export type Outcome =
  | { ok: unknown }
  | { fault: { code: unknown; string: unknown } }
  | { error: { code: unknown; message: unknown; data: Record<string, unknown> } }
  | { no_result: true };

export interface Transcript {
  readonly format: string;
  readonly name: string;
  readonly description?: string;
  readonly recorded: { server_version: string; date: string; uid: number };
  readonly steps: TranscriptStep[];
}

export const TRANSCRIPTS_DIR = join(import.meta.dirname, 'transcripts', 'recorded');

/** Reads a transcript keeping 100.0 apart from 100 (strict mode compares int vs double). */
export function loadTranscript(path: string): Transcript {
  const transcript = parsePythonJson(readFileSync(path, 'utf8')) as Transcript;
  if (transcript.format !== 'odoo17-transcript/1') {
    throw new Error(`${path} is not an odoo17-transcript/1 file (format ${JSON.stringify(transcript.format)})`);
  }
  return transcript;
}

export function transcriptFiles(dir = TRANSCRIPTS_DIR): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();
}
