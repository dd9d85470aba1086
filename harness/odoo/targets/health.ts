import type { SystemFetch } from '../../core/system.ts';

/**
 * Odoo's load-balancer probe, `GET /web/health` (since 15.0): `{"status":
 * "pass"}` while the HTTP server runs. It does not touch the database, so a
 * healthy answer says only that Odoo is up.
 */
export async function odooIsHealthy(url: string, fetch: SystemFetch, timeoutMs = 5_000): Promise<{ healthy: boolean; reason: string }> {
  try {
    const response = await fetch(`${url}/web/health`, { timeoutMs });
    if (response.status !== 200) return { healthy: false, reason: `GET ${url}/web/health answered HTTP ${response.status}` };
    const body = (await response.json().catch(() => undefined)) as { status?: string } | undefined;
    if (body?.status !== 'pass') return { healthy: false, reason: `GET ${url}/web/health did not answer {"status": "pass"}` };
    return { healthy: true, reason: 'pass' };
  } catch (error) {
    return { healthy: false, reason: error instanceof Error ? error.message : String(error) };
  }
}

/** Polls until healthy or `waitMs` has passed; real time, for setup outside any run. */
export async function waitForOdooHealth(url: string, fetch: SystemFetch, waitMs: number, pollMs = 2_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const { healthy, reason } = await odooIsHealthy(url, fetch);
    if (healthy) return;
    if (Date.now() >= deadline) throw new Error(`Odoo at ${url} was not healthy within ${Math.round(waitMs / 1000)} s (last answer: ${reason})`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
