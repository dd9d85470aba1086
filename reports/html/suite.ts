import { html } from './escape.ts';
import { MARK, page } from './page.ts';
import type { SuiteEntry } from './summary-md.ts';

/**
 * report.html for a suite, a comparison or the demo: scenarios down, designs
 * across, each cell its verdict and the invariants it broke, linking to that
 * run's own report. `comparison` is the text table of `compare` with its
 * expectation marks, shown as it was printed.
 */
export function renderSuiteReport(entries: readonly SuiteEntry[], designs: readonly string[], comparison?: string): string {
  const scenarios = [...new Set(entries.map((e) => e.scenario))];
  const failed = entries.filter((e) => e.summary.verdict !== 'pass');
  const verdict = failed.length === 0 ? 'pass' : 'fail';
  const rows = scenarios.map((scenario) => {
    const cells = designs.map((design) => {
      const entry = entries.find((e) => e.scenario === scenario && e.design === design);
      if (entry === undefined) return '<td class="muted">-</td>';
      const broken = entry.summary.invariants.filter((v) => v.verdict !== 'pass');
      const link = `${entry.dir.split('/').map(encodeURIComponent).join('/')}/report.html`;
      const text = broken.length === 0 ? 'pass' : broken.map((v) => html(v.name)).join(', ');
      return `<td class="${entry.summary.verdict}"><a href="${html(link)}">${MARK[entry.summary.verdict]} ${text}</a></td>`;
    });
    return `<tr><td>${html(scenario)}</td>${cells.join('')}</tr>`;
  });
  const replays = failed.map((e) => html(e.summary.replay)).join('\n');
  const body = `<section id="verdicts"><h1>${MARK[verdict]} Faultline: ${entries.length} runs <span class="badge ${verdict}">${failed.length} failing</span></h1>
<table class="comparison"><thead><tr><th>scenario</th>${designs.map((d) => `<th>${html(d)}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>
${comparison !== undefined ? `<details open><summary>As printed, with what each scenario expects</summary><pre>${html(comparison)}</pre></details>` : ''}
${failed.length > 0 ? `<p>Replay any failure:</p><code class="replay">${replays}</code>` : ''}</section>
<footer><p class="muted">Each cell links to its run's report.html. <a href="summary.md">summary.md</a> is this page for a CI job summary.</p></footer>`;
  return page(`Faultline: ${entries.length} runs, ${failed.length} failing`, body);
}
