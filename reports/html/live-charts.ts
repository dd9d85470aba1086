import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { HistoryEvents } from '../../harness/core/history.ts';
import { Histogram } from '../../harness/engine/live/load/histogram.ts';
import { orderMilestones } from '../../harness/engine/live/load/live-stats.ts';
import type { LiveStats } from '../../harness/run/result.ts';
import { scriptJson } from './escape.ts';

/** Per interval since the first order: placed-to-Odoo latency percentiles (ms) and the counts behind them. */
export interface LatencySeries {
  intervalMs: number;
  startMs: number[];
  p50: Array<number | null>;
  p95: Array<number | null>;
  p99: Array<number | null>;
  placed: number[];
  inOdoo: number[];
}

/**
 * Latency over time from the history, as `liveStatsOf` measures it for the whole run (order
 * placed to its first sale order in Odoo), bucketed by the time the order was placed so a
 * fault window shows as the stretch where the percentiles climb.
 */
export function latencySeries(history: HistoryEvents, live: LiveStats | undefined): LatencySeries {
  const { placedAt, inOdooAt } = orderMilestones(history);
  const first = placedAt.size > 0 ? Math.min(...placedAt.values()) : 0;
  const span = placedAt.size > 0 ? Math.max(...placedAt.values(), ...inOdooAt.values()) - first : 0;
  // About sixty points whatever the run's length, never finer than the live stats' own interval.
  const intervalMs = Math.max(live?.intervalMs ?? 1_000, Math.ceil(span / 60 / 1_000) * 1_000);
  const count = Math.floor(span / intervalMs) + 1;
  const histograms = Array.from({ length: count }, () => new Histogram());
  const placed = new Array<number>(count).fill(0);
  const inOdoo = new Array<number>(count).fill(0);
  for (const [ref, t] of placedAt) {
    const i = Math.floor((t - first) / intervalMs);
    placed[i]!++;
    const odoo = inOdooAt.get(ref);
    if (odoo !== undefined) {
      histograms[i]!.record(Math.max(0, odoo - t) * 1000);
      inOdoo[Math.floor((odoo - first) / intervalMs)]!++;
    }
  }
  const at = (h: Histogram, p: number): number | null => (h.count === 0 ? null : h.percentile(p) / 1000);
  return {
    intervalMs,
    startMs: histograms.map((_, i) => i * intervalMs),
    p50: histograms.map((h) => at(h, 50)),
    p95: histograms.map((h) => at(h, 95)),
    p99: histograms.map((h) => at(h, 99)),
    placed,
    inOdoo,
  };
}

/** uPlot's minified build and stylesheet, read from the installed package so the report never loads anything. */
function uplotSource(): { script: string; style: string } {
  const require = createRequire(import.meta.url);
  return {
    script: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    style: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
  };
}

/** The live section: two uPlot charts (latency percentiles, throughput) over the data, with uPlot inlined. */
export function renderLiveCharts(series: LatencySeries): string {
  const { script, style } = uplotSource();
  const seconds = series.intervalMs / 1000;
  const data = {
    x: series.startMs.map((ms) => ms / 1000),
    latency: [series.p50, series.p95, series.p99],
    throughput: [series.placed.map((n) => n / seconds), series.inOdoo.map((n) => n / seconds)],
  };
  // The library's text could hold "</script>" in a string literal; splitting the closing tag keeps it inert.
  const inert = script.replace(/<\/(script)/gi, '<\\/$1');
  return `<style>${style}</style>
<div id="latency-chart" class="chart"></div>
<div id="throughput-chart" class="chart"></div>
<script type="application/json" id="live-data">${scriptJson(data)}</script>
<script>${inert}</script>
<script>
(function () {
  var d = JSON.parse(document.getElementById('live-data').textContent);
  var width = Math.min(960, document.body.clientWidth - 40);
  var axes = function (unit) { return [{ label: 'seconds since the first order' }, { label: unit }]; };
  new uPlot({ title: 'placed → in Odoo latency, by the time the order was placed (ms)', width: width, height: 260, axes: axes('ms'),
    series: [{}, { label: 'p50', stroke: '#2a7' }, { label: 'p95', stroke: '#e90' }, { label: 'p99', stroke: '#d33' }] },
    [d.x].concat(d.latency), document.getElementById('latency-chart'));
  new uPlot({ title: 'throughput (orders/s)', width: width, height: 220, axes: axes('orders/s'),
    series: [{}, { label: 'placed', stroke: '#36c' }, { label: 'first in Odoo', stroke: '#2a7' }] },
    [d.x].concat(d.throughput), document.getElementById('throughput-chart'));
})();
</script>`;
}
