import type { HistoryEvents } from '../../harness/core/history.ts';
import type { CheckFile } from '../../harness/check/check-file.ts';
import { formatDuration, plural } from '../../harness/cli/format.ts';
import type { RunResult } from '../../harness/run/result.ts';
import { anchor, html, text } from './escape.ts';
import { latencySeries, renderLiveCharts } from './live-charts.ts';
import { orderStories, violatingOrders } from './order-story.ts';
import type { OrderStory } from './order-story.ts';
import type { ShrinkStep } from './shrink-steps.ts';
import { SWIMLANE_DEFS, renderSwimlane } from './swimlane.ts';

/** A run as `summary.json` keeps it: what the report needs besides the history. */
export type RunSummary = Pick<RunResult, 'scenario' | 'seed' | 'mode' | 'middleware' | 'odoo' | 'verdict' | 'invariants' | 'stats'> & { replay: string };

export interface RunReportInput {
  summary: RunSummary;
  history: HistoryEvents;
  /** Present in a folder `check` wrote: the search and the shrinking that led to this run. */
  check?: CheckFile | undefined;
  /** Each smaller failing case check went through on its way to the minimal one. */
  steps?: readonly ShrinkStep[] | undefined;
}

/** Violating orders drawn in full; the rest of them are listed with their findings. */
export const MAX_DRAWN_VIOLATING = 40;
/** Passing orders drawn beside the failing ones, for contrast. */
export const SAMPLED_PASSING = 3;
/** Characters of timelines a page draws at most (about 3 MB): with the order list and uPlot, far under 5 MB. */
export const TIMELINE_BUDGET = 3_000_000;

/** How a verdict reads at a glance, as the CLI prints it. */
export const MARK = { pass: '✓', fail: '✗', unknown: '?' } as const;

export const STYLE = `
:root{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2330;background:#fafbfc}
body{margin:0 auto;max-width:1280px;padding:16px 24px 48px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #dde}h3{font-size:15px;margin:20px 0 6px}
code,pre,.mono{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.badge{display:inline-block;padding:1px 9px;border-radius:10px;font-weight:600;color:#fff}
.badge.pass{background:#1f8a4c}.badge.fail{background:#c62828}.badge.unknown{background:#a66d00}
table{border-collapse:collapse;margin:6px 0}td,th{padding:4px 10px;border-bottom:1px solid #e3e6ea;text-align:left;vertical-align:top}
tr.fail td:first-child,td.fail{color:#c62828;font-weight:600}tr.pass td:first-child,td.pass{color:#1f8a4c}tr.unknown td:first-child{color:#a66d00}
.muted{color:#667}.replay{background:#eef1f5;padding:6px 10px;border-radius:4px;display:block;overflow-x:auto;white-space:pre}
.order{background:#fff;border:1px solid #dde;border-radius:6px;padding:8px 14px;margin:14px 0}
.scroll{overflow:auto}.history{max-height:320px;overflow:auto;border:1px solid #e3e6ea;border-radius:4px}
.history td{padding:1px 8px;border:0;white-space:pre}.history tr.evidence{background:#fff3bf}.history tr:target{outline:2px solid #e67700}
svg.swimlane{font:11px system-ui,sans-serif}
svg .lane{stroke:#b8bfc9;stroke-dasharray:3 3}svg .lane-name{font-weight:600;font-size:12px}
svg .arrow{stroke:#445;stroke-width:1.3}svg .repeated .arrow{stroke:#e67700;stroke-dasharray:5 3}
svg .marked .arrow{stroke:#c62828}svg .mark{fill:#c62828;font-weight:700;font-size:10px}
svg .status{fill:#667;font-size:10px}svg .clock,svg .seq{fill:#667}svg .dot{fill:#36c}svg .odoo .dot{fill:#8e44ad}
svg .evidence-band{fill:#fff3bf;stroke:#e67700}svg .evidence .label{font-weight:700}
svg .fault{fill:#c62828;opacity:.07}svg .fault-bar{fill:#c62828;opacity:.45}svg .fault-tag{fill:#c62828;font-size:9px}
svg a:hover .label{text-decoration:underline}
.fault-key{display:inline-block;background:#c62828;color:#fff;border-radius:3px;padding:0 4px;font-size:11px}
ul.faults{margin:4px 0;padding-left:18px;font-size:12px}.chart{margin:10px 0}
.refs{columns:8 110px;font:12px ui-monospace,monospace;padding:0;list-style:none}
`;

function stats(summary: RunSummary): string {
  const s = summary.stats;
  return `${plural(s.orders, 'order')}, ${plural(s.messages, 'message')}, ${plural(s.faultsInjected, 'fault')}, ${formatDuration(s.virtualMs)} ${summary.mode === 'sim' ? 'virtual' : 'run'}, ${formatDuration(s.wallMs)} wall${s.quiescent ? '' : ', budget reached before quiet'}`;
}

function evidenceLinks(events: readonly number[], linked: ReadonlySet<number>): string {
  if (events.length === 0) return '';
  const links = events.map((seq) => (linked.has(seq) ? `<a href="#${anchor('h', String(seq))}">#${seq}</a>` : `#${seq}`));
  return ` <span class="muted">[history ${links.join(', ')}]</span>`;
}

function verdictsSection(summary: RunSummary): string {
  const rows = summary.invariants.map(
    (v) =>
      `<tr class="${v.verdict}"><td>${MARK[v.verdict]}</td><td>${v.verdict === 'pass' ? html(v.name) : `<a href="#${anchor('inv', v.name)}">${html(v.name)}</a>`}</td><td>${v.verdict === 'pass' ? '' : html(v.summary)}</td></tr>`,
  );
  return `<section id="verdicts"><h1>${MARK[summary.verdict]} ${html(summary.scenario)} <span class="badge ${summary.verdict}">${summary.verdict.toUpperCase()}</span></h1>
<p class="muted">${html(summary.middleware)} · seed ${summary.seed} · ${summary.mode} · Odoo ${html(summary.odoo)} · ${html(stats(summary))}</p>
<table class="verdicts"><tbody>${rows.join('')}</tbody></table>
${summary.verdict === 'pass' ? '' : `<p>Replay it exactly:</p><code class="replay">${html(summary.replay)}</code>`}</section>`;
}

function violationsSection(summary: RunSummary, drawn: ReadonlySet<string>, linked: ReadonlySet<number>): string {
  const failing = summary.invariants.filter((v) => v.verdict !== 'pass');
  if (failing.length === 0) return '';
  const parts = failing.map((v) => {
    const items = v.examples.map((e) => {
      const ref =
        e.orderRef === undefined ? '' : drawn.has(e.orderRef) ? `<a href="#${anchor('order', e.orderRef)}">${html(e.orderRef)}</a>: ` : `${html(e.orderRef)}: `;
      return `<li>${ref}${html(e.message)}${evidenceLinks(e.events ?? [], linked)}</li>`;
    });
    const more =
      v.violations > v.examples.length
        ? `<li class="muted">… and ${v.violations - v.examples.length} more (the invariant keeps its first findings in summary.json; those are drawn)</li>`
        : '';
    return `<h3 id="${anchor('inv', v.name)}">${MARK[v.verdict]} ${html(v.name)}: ${html(v.summary)}</h3><ul>${items.join('')}${more}</ul>`;
  });
  return `<section id="violations"><h2>Violations</h2>${parts.join('')}</section>`;
}

function stepsTable(steps: readonly ShrinkStep[]): string {
  if (steps.length === 0) return '';
  const rows = steps.map(
    (step, i) =>
      `<tr><td>${i + 1}</td><td>${step.phase === 'search' ? 'search' : `shrink, run ${step.shrinkRuns}`}</td><td>${step.orders}</td><td>${step.faults}</td><td>${html(step.invariants.join(', '))}</td><td>${html(step.words)}</td></tr>`,
  );
  return `<h3>Each smaller case that still failed</h3><div class="scroll"><table class="steps"><thead><tr><th>step</th><th>found by</th><th>orders</th><th>faults</th><th>breaks</th><th>the case</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function checkSection(check: CheckFile, steps: readonly ShrinkStep[]): string {
  const f = check.failure;
  const coverage =
    check.coverage.length > 0
      ? `<details><summary>What the generated cases covered</summary><table>${check.coverage.map(([what, n]) => `<tr><td>${html(what)}</td><td>${n}</td></tr>`).join('')}</table></details>`
      : '';
  if (f === null) {
    return `<section id="check"><h2>Search</h2><p>${check.casesRun} of ${check.runs} generated cases of ${html(check.scenario)} against ${html(check.middleware)} (seed ${check.seed}): ${html(check.verdict)}.</p>${coverage}<code class="replay">${html(check.rerun)}</code></section>`;
  }
  const story = [
    `<li>Searched ${plural(check.casesRun, 'generated case')} of ${check.runs} (seed ${check.seed}); case ${f.index} was the first to fail, with ${plural(f.firstOrders, 'order')}.</li>`,
    f.path === ''
      ? '<li>Stopped before shrinking finished: this is the smallest failure found so far.</li>'
      : `<li>Shrunk it ${plural(f.shrinks, 'time')} in ${plural(f.shrinkRuns, 'run')}, keeping each smaller case that still broke ${html(f.invariants.join(', '))}.</li>`,
    `<li>Minimal case: ${plural(f.orders, 'order')}, ${plural(f.faults, 'fault')}: ${html(f.words)}.</li>`,
  ];
  return `<section id="check"><h2>Search and shrinking</h2><ol>${story.join('')}</ol>
${stepsTable(steps)}
<details><summary>The minimal case's faults and orders</summary><pre>${text(JSON.stringify(f.case.overrides, null, 2))}</pre></details>${coverage}
<p>Reach the same minimal case again:</p><code class="replay">${html(check.rerun)}</code></section>`;
}

function historyTable(story: OrderStory, emitted: Set<number>): string {
  const evidence = new Set(story.findings.flatMap((f) => f.events));
  const rows = story.events.map((event) => {
    const id = emitted.has(event.seq) ? '' : ` id="${anchor('h', String(event.seq))}"`;
    emitted.add(event.seq);
    return `<tr${id}${evidence.has(event.seq) ? ' class="evidence"' : ''}><td>#${event.seq}</td><td>${text(JSON.stringify(event))}</td></tr>`;
  });
  return `<div class="history mono"><table><tbody>${rows.join('')}</tbody></table></div>`;
}

function orderSection(story: OrderStory, faults: Parameters<typeof renderSwimlane>[1], emitted: Set<number>, sampled: boolean): string {
  const findings = story.findings.map(
    (f) => `<li><b>${html(f.invariant)}</b>: ${html(f.message)}${evidenceLinks(f.events, new Set(story.events.map((e) => e.seq)))}</li>`,
  );
  const caption = sampled ? '<p class="muted">A passing order, drawn for contrast.</p>' : `<ul>${findings.join('')}</ul>`;
  return `<section class="order${sampled ? ' sampled' : ' violating'}" id="${anchor('order', story.ref)}"><h3>${html(story.ref)}</h3>${caption}
<div class="scroll">${renderSwimlane(story, faults)}</div>
<p class="muted">History lines of ${html(story.ref)} (highlighted: the evidence; <a href="history.jsonl">history.jsonl</a> has the whole run, one line per event, by seq):</p>${historyTable(story, emitted)}</section>`;
}

/** Picks passing orders spread over the run, the same ones every time. */
function samplePassing(all: readonly string[], violating: ReadonlySet<string>): string[] {
  const passing = all.filter((ref) => !violating.has(ref));
  if (passing.length <= SAMPLED_PASSING) return passing;
  return Array.from({ length: SAMPLED_PASSING }, (_, i) => passing[Math.floor(((i + 0.5) * passing.length) / SAMPLED_PASSING)]!);
}

function placedOrders(history: HistoryEvents): string[] {
  const refs = new Set<string>();
  for (const event of history) if (event.kind === 'event' && event.name === 'order.placed' && event.corr !== undefined) refs.add(event.corr);
  return [...refs];
}

/** Wraps a body in the page every Faultline report shares: inline style, no external resource of any kind. */
export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${html(title)}</title><style>${STYLE}</style></head>
<body>${body}</body></html>
`;
}

/**
 * report.html for one run: verdicts first, then each violation with its
 * evidence, the search that found it (check), latency and throughput (live),
 * a timeline per violating order and a few passing ones, and the other orders
 * listed. Only drawn orders carry their events, which keeps a 10,000-order
 * run's page small.
 */
export function renderRunReport(input: RunReportInput): string {
  const { summary, history } = input;
  const all = placedOrders(history);
  const violating = violatingOrders(summary.invariants);
  const drawnViolating = violating.slice(0, MAX_DRAWN_VIOLATING);
  const sampled = samplePassing(all, new Set(violating));
  const { stories, faults } = orderStories(history, summary.invariants, [...drawnViolating, ...sampled]);
  const drawn = new Set(stories.map((s) => s.ref));
  const emitted = new Set<number>();
  // Timelines are drawn until the page reaches its budget; the orders past it are listed, so even a run of pathological orders stays small.
  let budget = TIMELINE_BUDGET;
  const render = (list: readonly OrderStory[], sampledOnes: boolean): string[] => {
    const out: string[] = [];
    for (const story of list) {
      if (budget <= 0) {
        drawn.delete(story.ref);
        continue;
      }
      const section = orderSection(story, faults, emitted, sampledOnes);
      budget -= section.length;
      out.push(section);
    }
    return out;
  };
  const violatingSections = render(
    stories.filter((s) => !sampled.includes(s.ref)),
    false,
  );
  const sampleSections = render(
    stories.filter((s) => sampled.includes(s.ref)),
    true,
  );
  const linked = new Set(stories.filter((s) => drawn.has(s.ref)).flatMap((s) => s.events.map((e) => e.seq)));
  const sections = [verdictsSection(summary), violationsSection(summary, drawn, linked)];
  if (input.check !== undefined) sections.push(checkSection(input.check, input.steps ?? []));
  if (summary.mode === 'live' || summary.stats.live !== undefined) {
    sections.push(`<section id="live"><h2>Latency and throughput</h2>${renderLiveCharts(latencySeries(history, summary.stats.live))}</section>`);
  }
  if (violatingSections.length > 0) {
    const skipped = violating.filter((ref) => !drawn.has(ref)).length;
    sections.push(
      `<section id="timelines"><h2>Timelines of the violating orders</h2><p class="muted">Lanes are systems, one row per message in time order; orange dashed arrows are repeats (retries, duplicates), ✗ marks a lost answer, a drop or a timeout, red bands are fault windows, yellow rows are the invariant's evidence (click a row for its history line).${skipped > 0 ? ` ${skipped} more violating orders are listed below without a timeline.` : ''}</p>` +
        violatingSections.join('') +
        '</section>',
    );
  }
  if (sampleSections.length > 0) sections.push(`<section id="sampled"><h2>Passing orders, for contrast</h2>${sampleSections.join('')}</section>`);
  const rest = all.filter((ref) => !drawn.has(ref));
  if (rest.length > 0) {
    const marked = new Set(violating);
    sections.push(
      `<section id="orders"><h2>Other orders (${rest.length})</h2><p class="muted">Not drawn, to keep this page small; their events are in <a href="history.jsonl">history.jsonl</a>. Violating ones are marked ✗.</p><ul class="refs">${rest.map((ref) => `<li>${marked.has(ref) ? '✗ ' : ''}${html(ref)}</li>`).join('')}</ul></section>`,
    );
  }
  sections.push(
    `<footer><h2>Artefacts</h2><p><a href="summary.json">summary.json</a> · <a href="junit.xml">junit.xml</a> · <a href="history.jsonl">history.jsonl</a> · <a href="observations.json">observations.json</a> · <a href="replay.json">replay.json</a>${input.check !== undefined ? ' · <a href="check.json">check.json</a>' : ''}${(input.steps ?? []).length > 0 ? ' · <a href="shrink-steps.json">shrink-steps.json</a>' : ''} · <a href="summary.md">summary.md</a></p></footer>`,
  );
  return page(
    `${MARK[summary.verdict]} ${summary.scenario} [${summary.middleware}, seed ${summary.seed}] ${summary.verdict.toUpperCase()}`,
    SWIMLANE_DEFS + sections.join('\n'),
  );
}
