import { LEDGER_PATH } from '../core/system.ts';
import type { SystemContext } from '../core/system.ts';

/**
 * Reads a simulator's ledger the way invariants must, in both modes: over its
 * HTTP API. Undefined when it cannot be read; the invariants that need it then
 * answer `unknown` rather than pass.
 */
export async function readLedger<T>(reader: SystemContext, baseUrl: string): Promise<T | undefined> {
  try {
    const response = await reader.fetch(`${baseUrl}${LEDGER_PATH}`, { timeoutMs: 60_000 });
    if (!response.ok) return undefined;
    return (await response.json()) as T;
  } catch {
    return undefined;
  }
}
