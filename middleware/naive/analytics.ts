/**
 * The naive design's analytics export: every few minutes, what Odoo changed
 * since the last pass is streamed to the sink. Its failures come from these
 * choices:
 *
 * - "changed since" by write date: a paid invoice changed again and is
 *   streamed again, under a new event id, so the sink counts it twice;
 * - fire and forget: a row the sink did not take (an outage) is not sent
 *   again, and the day stays short;
 * - no replay: a day whose rows came after the sink's watermark is never sent
 *   again as a batch, so its late rows never count.
 */
import { formatOdooDatetime } from '../../harness/core/clock.ts';
import type { Cancel } from '../../harness/core/clock.ts';
import type { SystemContext } from '../../harness/core/system.ts';
import type { OdooClient } from '../../harness/odoo/client.ts';
import { readBookedRows, sinkRow } from '../shared/analytics-rows.ts';
import { positive } from '../shared/settings.ts';

/** Every five minutes of business time; a live run squeezes it like the simulators' delays, never below a second. */
const PASS_EVERY_MS = 5 * 60_000;
const MIN_PASS_EVERY_MS = 1_000;

export function startNaiveAnalyticsExport(context: SystemContext, odoo: OdooClient, timeoutMs: number): { stop(): void } {
  const sink = context.urls.analytics;
  let timer: Cancel | undefined;
  if (sink === undefined) return { stop() {} };
  const client = odoo.withCorrelationId('analytics-export');
  let since: string | undefined;
  let sent = 0;
  const timeScale = positive(context.config, 'timeScale', 1);
  const everyMs = timeScale === 1 ? PASS_EVERY_MS : Math.max(MIN_PASS_EVERY_MS, PASS_EVERY_MS * timeScale);

  const pass = async (): Promise<void> => {
    const startedAt = formatOdooDatetime(context.clock.now());
    const rows = await readBookedRows(client, since === undefined ? [] : [['write_date', '>=', since]]);
    since = startedAt;
    for (const row of rows) {
      const body = JSON.stringify(sinkRow(row, `naive-${++sent}`));
      await context.fetch(`${sink}/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs }).then(
        (r) => r.body?.cancel(),
        () => undefined,
      );
    }
  };
  const arm = (): void => {
    // A daemon: the export must not keep a finished run alive on its own.
    timer = context.clock.setTimer(
      everyMs,
      () =>
        void pass()
          .catch(() => undefined)
          .finally(arm),
      { daemon: true },
    );
  };
  arm();
  return { stop: () => timer?.() };
}
