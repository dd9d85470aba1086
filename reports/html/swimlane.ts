import { anchor, html } from './escape.ts';
import type { FaultWindow, OrderStory, StoryRow } from './order-story.ts';

const LANE_NAMES: Record<string, string> = { logistics: '3PL (logistics)', odoo: 'Odoo', capture: 'capture', middleware: 'middleware', payment: 'payment' };
const ROW = 24;
const HEAD = 34;
const LEFT = 165;
const LANE = 170;
const GUTTER = 12;

function clock(ms: number): string {
  if (ms < 60_000) return `+${(ms / 1000).toFixed(3)} s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = ((ms % 60_000) / 1000).toFixed(1).padStart(4, '0');
  return minutes < 60 ? `+${minutes}m ${seconds}s` : `+${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m ${seconds}s`;
}

/** The lanes a fault target touches: both ends of a link, or the one system it names. */
function laneSpan(target: string, lanes: readonly string[]): [number, number] {
  const link = /^([\w-]+)->([\w-]+)/.exec(target);
  const names = link !== null ? [link[1]!, link[2]!] : [/^[\w-]+/.exec(target)?.[0] ?? ''];
  const indexes = names.map((n) => lanes.indexOf(n)).filter((i) => i >= 0);
  if (indexes.length === 0) return [0, lanes.length - 1];
  return [Math.min(...indexes), Math.max(...indexes)];
}

function rowTitle(row: StoryRow, start: number): string {
  const parts = [`${clock(row.t - start)} · history #${row.seqs.join(', #')}`, `${row.from} → ${row.to}: ${row.label}`];
  if (row.odoo !== undefined) parts.push(`Odoo: ${row.odoo}`);
  if (row.status !== undefined) parts.push(`answer ${row.status}`);
  if (row.marks.length > 0) parts.push(row.marks.join(', '));
  return parts.join('\n');
}

/**
 * One order as a sequence diagram: systems as vertical lanes, time flowing
 * down one row per message (rows are ordinal, so a two-hour order stays
 * legible), fault windows shaded across the lanes they touch and named in
 * the gutter, and the invariant's evidence highlighted and linked to its
 * history lines. Drawn as static SVG so it shows with scripts off and in
 * any viewer, and so tests can read it.
 */
export function renderSwimlane(story: OrderStory, faults: readonly FaultWindow[]): string {
  const { rows, lanes } = story;
  if (rows.length === 0) return '<p class="muted">No history events carry this order\'s id.</p>';
  const start = rows[0]!.t;
  const end = rows[rows.length - 1]!.t;
  const active = faults.filter((f) => f.from <= end && f.to >= start);
  const x = (lane: string): number => LEFT + lanes.indexOf(lane) * LANE + LANE / 2;
  const y = (i: number): number => HEAD + i * ROW + ROW / 2;
  const width = LEFT + lanes.length * LANE + active.length * GUTTER + 16;
  const height = HEAD + rows.length * ROW + 8;
  const out: string[] = [];
  out.push(
    `<svg class="swimlane" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="timeline of order ${html(story.ref)}">`,
  );
  // Fault windows first, under everything: shaded over the rows that happened while they were on.
  active.forEach((fault, k) => {
    const first = rows.findIndex((r) => r.t >= fault.from);
    let last = -1;
    rows.forEach((r, i) => {
      if (r.t <= fault.to) last = i;
    });
    if (first < 0 || last < first) return;
    const [a, b] = laneSpan(fault.target, lanes);
    const top = HEAD + first * ROW;
    const tall = (last - first + 1) * ROW;
    const label = html(`F${k + 1} ${fault.name} on ${fault.target}`);
    out.push(`<rect class="fault" x="${LEFT + a * LANE + 4}" y="${top}" width="${(b - a + 1) * LANE - 8}" height="${tall}"><title>${label}</title></rect>`);
    const gx = LEFT + lanes.length * LANE + k * GUTTER + 4;
    out.push(`<rect class="fault-bar" x="${gx}" y="${top}" width="${GUTTER - 4}" height="${tall}"><title>${label}</title></rect>`);
    out.push(`<text class="fault-tag" x="${gx}" y="${HEAD - 4}">F${k + 1}</text>`);
  });
  lanes.forEach((lane) => {
    out.push(`<text class="lane-name" x="${x(lane)}" y="18" text-anchor="middle">${html(LANE_NAMES[lane] ?? lane)}</text>`);
    out.push(`<line class="lane" x1="${x(lane)}" y1="${HEAD - 6}" x2="${x(lane)}" y2="${height - 4}"/>`);
  });
  rows.forEach((row, i) => {
    const cy = y(i);
    const classes = ['row', row.kind, row.evidence ? 'evidence' : '', row.repeated ? 'repeated' : '', row.marks.length > 0 ? 'marked' : '']
      .filter((c) => c !== '')
      .join(' ');
    out.push(`<a href="#${anchor('h', String(row.anchorSeq))}" class="${classes}"><title>${html(rowTitle(row, start))}</title>`);
    if (row.evidence) out.push(`<rect class="evidence-band" x="2" y="${cy - ROW / 2 + 1}" width="${width - 4}" height="${ROW - 2}"/>`);
    out.push(
      `<text class="clock" x="6" y="${cy + 4}">${html(clock(row.t - start))}</text><text class="seq" x="${LEFT - 8}" y="${cy + 4}" text-anchor="end">#${row.anchorSeq}</text>`,
    );
    const x1 = x(row.from);
    const x2 = x(row.to);
    if (row.kind === 'message' && x1 !== x2) {
      out.push(`<line class="arrow" x1="${x1}" y1="${cy}" x2="${x2 + (x2 > x1 ? -6 : 6)}" y2="${cy}" marker-end="url(#head)"/>`);
      const text = row.odoo !== undefined ? `${row.label} · ${row.odoo}` : row.label;
      out.push(`<text class="label" x="${Math.min(x1, x2) + 6}" y="${cy - 4}">${html(text.length > 56 ? `${text.slice(0, 55)}…` : text)}</text>`);
      if (row.status !== undefined)
        out.push(`<text class="status" x="${x1 + (x2 > x1 ? -8 : 8)}" y="${cy + 10}" text-anchor="${x2 > x1 ? 'end' : 'start'}">${html(row.status)}</text>`);
      // A lost answer or a timeout happens where the caller waits; a drop happens on the way.
      row.marks.forEach((mark, m) => {
        const at = mark === 'dropped' || mark === 'duplicated' || mark === 'delayed' ? (x1 + x2) / 2 : x1;
        out.push(`<text class="mark" x="${at}" y="${cy + 10 + m * 9}" text-anchor="middle">✗ ${html(mark)}</text>`);
      });
    } else {
      // The last lanes' labels run leftwards, into the drawing rather than off its edge.
      const leftwards = lanes.indexOf(row.from) >= lanes.length - 2;
      const label = html(row.label.length > 60 ? `${row.label.slice(0, 59)}…` : row.label);
      out.push(
        `<circle class="dot" cx="${x1}" cy="${cy}" r="4"/><text class="label" x="${x1 + (leftwards ? -8 : 8)}" y="${cy + 4}"${leftwards ? ' text-anchor="end"' : ''}>${label}</text>`,
      );
    }
    out.push('</a>');
  });
  out.push('</svg>');
  const legend = active.map(
    (f, k) =>
      `<li><span class="fault-key">F${k + 1}</span> ${html(f.name)} on <code>${html(f.target)}</code>, ${html(clock(f.from - start))} to ${f.to >= end ? 'past the order' : html(clock(f.to - start))}</li>`,
  );
  const elided = story.elided > 0 ? `<p class="muted">${story.elided} quiet rows of this order are left out; its history lines below are complete.</p>` : '';
  return `${out.join('')}${elided}${legend.length > 0 ? `<ul class="faults">${legend.join('')}</ul>` : ''}`;
}

/** The arrowhead every timeline's arrows share; defined once per page. */
export const SWIMLANE_DEFS =
  '<svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs><marker id="head" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#445"/></marker></defs></svg>';
