/**
 * How the storefront POSTs to another system: one try after another per its
 * retry policy, with the attempt number and the idempotency key the policy
 * says, until an acknowledgement, a non-retryable answer or the last attempt.
 */
import type { CaptureAttempt } from '../../harness/contracts/ledgers.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { HEADERS, type SystemFetch } from '../../harness/core/system.ts';
import { type RetrySchedule, backoffMs } from '../shared/behaviour.ts';
import type { CaptureRetryPolicy } from './knobs.ts';

export interface SubmitResult {
  ok: boolean;
  /** The last answer's status, null for no answer. */
  status: number | null;
  /** The acknowledging answer's JSON body, when asked for. */
  json?: Record<string, unknown>;
}

export interface SubmitRequest {
  url: string;
  body: string;
  corr: string;
  keyFor: (attempt: number) => string | null;
  onAttempt?: (attempt: CaptureAttempt) => void;
  /** Parse the acknowledging answer's body (the payment id); order answers are not read. */
  wantBody?: boolean;
  /** The first this-many answers never reach the storefront (a recorded lost answer): it waits out its timeout instead. */
  loseAnswers?: number;
  /** Told when an answer is lost that way, with the attempt it answered. */
  onAnswerLost?: (attempt: number) => void;
}

export interface SubmitterOptions {
  fetch: SystemFetch;
  now: () => number;
  wait: (ms: number) => Promise<void>;
  rng: Rng;
  policy: CaptureRetryPolicy;
  /** Cancel unread answer bodies so live sockets are freed at once. */
  releaseBodies: boolean;
  /** Checked after every await: a stopped platform stops retrying. */
  stopped: () => boolean;
}

/** 2xx and 409 (duplicate already accepted) acknowledge, per CONTRACTS.md. */
export function acknowledges(status: number): boolean {
  return (status >= 200 && status < 300) || status === 409;
}

/** Retrying a 4xx other than 408/429 cannot help: the request itself is wrong. */
export function retryable(status: number | null): boolean {
  return status === null || status >= 500 || status === 408 || status === 429;
}

export function createSubmitter(options: SubmitterOptions): (request: SubmitRequest) => Promise<SubmitResult> {
  const { fetch, now, wait, rng, policy, releaseBodies, stopped } = options;
  const schedule: RetrySchedule = { ...policy, horizonMs: Number.POSITIVE_INFINITY };
  return async ({ url, body, corr, keyFor, onAttempt, wantBody = false, loseAnswers = 0, onAnswerLost }) => {
    for (let n = 1; ; n++) {
      const startedAt = now();
      const at = new Date(startedAt).toISOString();
      const key = keyFor(n);
      const headers: Record<string, string> = { 'content-type': 'application/json', [HEADERS.correlationId]: corr, [HEADERS.attempt]: String(n) };
      if (key !== null) headers[HEADERS.idempotencyKey] = key;
      let status: number | null = null;
      let answer: Record<string, unknown> | undefined;
      try {
        const response = await fetch(url, { method: 'POST', headers, body, timeoutMs: policy.timeoutMs });
        status = response.status;
        if (wantBody) answer = await response.json().catch(() => undefined);
        else if (releaseBodies && response.body !== null) response.body.cancel().catch(() => {});
      } catch {
        status = null;
      }
      if (n <= loseAnswers && status !== null) {
        // The middleware answered; the answer is lost on its way back, and the storefront only learns so at its timeout.
        onAnswerLost?.(n);
        status = null;
        answer = undefined;
        await wait(Math.max(0, startedAt + policy.timeoutMs - now()));
      }
      if (stopped()) return { ok: false, status };
      const ok = status !== null && acknowledges(status);
      onAttempt?.({ attempt: n, at, idempotencyKey: key, outcome: ok ? 'ok' : status === null ? 'no_answer' : 'error', status });
      if (ok) return { ok, status, ...(answer !== undefined ? { json: answer } : {}) };
      if (n >= policy.attempts || !retryable(status)) return { ok: false, status };
      await wait(backoffMs(schedule, n, rng));
      if (stopped()) return { ok: false, status };
    }
  };
}
