/** Small Request/Response helpers shared by the reference middlewares. */

export function json(status: number, body: unknown, headers?: Record<string, string>): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A 4xx or 5xx whose body says what was wrong and what to do, per CONTRACTS.md. */
export function problem(status: number, error: string): Response {
  return json(status, { error });
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

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
