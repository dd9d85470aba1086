import { request } from 'node:http';
import { monotonicMs, wallClock } from '../../../core/wall-clock.ts';

export interface WaitForHttpOptions {
  /** Total time to wait for a 2xx. */
  timeoutMs: number;
  /** Pause between attempts. */
  intervalMs?: number;
  /** Stop waiting early when this returns a reason (e.g. the process exited). */
  giveUp?: () => string | undefined;
}

/**
 * Polls `url` with GET until it answers 2xx. Resolves with the body of that
 * answer; rejects with the last thing that went wrong when time is up.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions): Promise<string> {
  const deadline = monotonicMs() + options.timeoutMs;
  const interval = options.intervalMs ?? 50;
  let last = 'no attempt made';
  let answered = false;
  for (let attempt = 1; attempt <= 100_000; attempt++) {
    const reason = options.giveUp?.();
    if (reason !== undefined) throw new Error(`gave up waiting for ${url}: ${reason}`);
    const left = deadline - monotonicMs();
    if (left <= 0) break;
    try {
      const { status, body } = await getOnce(url, Math.max(50, Math.min(left, 2_000)));
      if (status >= 200 && status < 300) return body;
      last = `answered ${status}: ${body.slice(0, 200)}`;
      answered = true;
    } catch (error) {
      // An attempt cut short by the deadline says less than an earlier answer did.
      if (!answered) last = (error as Error).message;
    }
    await wallClock.sleep(Math.min(interval, Math.max(0, deadline - monotonicMs())));
  }
  throw new Error(`${url} was not ready within ${options.timeoutMs} ms (last attempt: ${last})`);
}

function getOnce(url: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (body.length < 10_000) body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(timeoutMs)} ms`)));
    req.on('error', reject);
    req.end();
  });
}
