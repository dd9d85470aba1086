import { NetworkError } from '../../core/system.ts';
import type { SystemFetch } from '../../core/system.ts';

/**
 * The platform's fetch with the timeout every call must have, failing with the
 * harness's NetworkError. For setup traffic (health checks, provisioning),
 * which is rare and goes outside any run's history; a run's own traffic uses
 * the run's fetch.
 */
export function createTimedFetch(defaultTimeoutMs: number): SystemFetch {
  if (!Number.isFinite(defaultTimeoutMs) || defaultTimeoutMs <= 0) {
    throw new RangeError(`timeout must be a positive number of milliseconds, got ${String(defaultTimeoutMs)}`);
  }
  return async (input, init) => {
    const timeoutMs = init?.timeoutMs ?? defaultTimeoutMs;
    const target = `${init?.method ?? 'GET'} ${input instanceof Request ? input.url : String(input)}`;
    const signals = [AbortSignal.timeout(timeoutMs)];
    if (init?.signal) signals.push(init.signal);
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals), redirect: 'manual' });
      // Read the body inside the timeout too: a server can stall after its headers.
      const body = await response.arrayBuffer();
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      throw toNetworkError(error, target, timeoutMs);
    }
  };
}

function toNetworkError(error: unknown, target: string, timeoutMs: number): unknown {
  if (error instanceof NetworkError) return error;
  const name = (error as { name?: string }).name;
  if (name === 'TimeoutError') return new NetworkError('timeout', `${target} got no answer within ${timeoutMs} ms`, true);
  if (name === 'AbortError') return new NetworkError('aborted', `${target} was aborted`, true);
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  if (['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code)) {
    return new NetworkError('refused', `${target} could not connect (${code})`, false);
  }
  if (error instanceof TypeError) {
    return new NetworkError('reset', `${target} failed (${code === '' ? (cause?.message ?? error.message) : code})`, true);
  }
  return error;
}
