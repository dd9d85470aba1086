/** Small request helpers shared by the reference middlewares (answers: harness/core/json-response.ts). */
import type { Parsed } from '../../harness/contracts/parsed.ts';

export function parseJson(text: string): Parsed<unknown> {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: `body is not valid JSON (${(error as Error).message}); send application/json` };
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
