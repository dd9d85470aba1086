import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ensureWritable, writeRunArtefacts } from '../../../reports/artefacts.ts';
import { caseHash } from '../../check/regression.ts';
import { createTimedFetch } from '../../odoo/targets/timed-fetch.ts';
import { EXIT, UsageError } from '../../run/errors.ts';
import { reproduce } from '../../reproduce/reproduce.ts';
import type { Reproduction } from '../../reproduce/reproduce.ts';
import { renderScenarioFile } from '../../reproduce/scenario-file.ts';
import { describeScript } from '../../reproduce/script-from-evidence.ts';
import { citeText, renderTimeline } from '../../reproduce/timeline.ts';
import { parseCommandArgs, parsePositiveInt } from '../args.ts';
import { plural } from '../format.ts';
import { createProgress } from '../progress.ts';
import { replaySource } from '../scenario-source.ts';

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** What was read, what was not used and why: nothing in the evidence is dropped without a word. */
function evidenceReport(r: Reproduction): string {
  const out: string[] = [];
  for (const reader of r.readers) {
    const file = reader.events[0]?.file ?? reader.ignored[0]?.file ?? '?';
    out.push(
      `${file}: ${reader.format}, ${plural(reader.events.length, 'record')} used${reader.ignored.length > 0 ? `, ${plural(reader.ignored.length, 'line')} not used` : ''}`,
    );
    for (const note of reader.notes) out.push(`  note: ${note}`);
    for (const i of reader.ignored) out.push(`  not used: line ${i.line}: ${i.reason}`);
  }
  for (const s of r.timeline.skew) out.push(`clock: ${s}`);
  const noRef = r.timeline.events.filter((e) => e.orderRef === undefined).length;
  if (noRef > 0) out.push(`${plural(noRef, 'record')} name no order (no reference or correlation id): on the timeline, joined to no order`);
  return out.join('\n') + '\n';
}

function inferenceReport(r: Reproduction): string {
  const out: string[] = [];
  for (const v of r.inference.violations)
    out.push(
      `  evidence shows ${v.invariant} broken for ${plural(v.orders.length, 'order')} (${v.why}): ${citeText(v.evidence.slice(0, 4))}${v.evidence.length > 4 ? ', …' : ''}`,
    );
  out.push(`  load: ${r.inference.load.why}`);
  if (r.inference.script !== undefined) for (const line of describeScript(r.inference.script)) out.push(`  ${line}`);
  for (const k of r.inference.knobs) out.push(`  ${k.system}.${k.path} = ${JSON.stringify(k.value)}: ${k.why}`);
  for (const f of r.inference.faults) out.push(`  fault ${f.fault.kind}: ${f.why}`);
  for (const line of r.inference.insufficient) out.push(`  not in the evidence: ${line}`);
  return out.join('\n');
}

/**
 * Turns what production recorded into a scenario that fails the same way:
 * reads the evidence, prints and saves the merged timeline, infers the
 * scenario with its evidence cited, proves it against a middleware and
 * optionally keeps it as a regression.
 */
export async function reproduceCommand(argv: readonly string[], cwd: string = process.cwd()): Promise<number> {
  const { values, positionals } = parseCommandArgs('reproduce', argv, {
    out: { type: 'string' },
    name: { type: 'string' },
    incident: { type: 'string' },
    middleware: { type: 'string' },
    seeds: { type: 'string' },
    fixed: { type: 'string' },
    'keep-pii': { type: 'boolean' },
    'save-regression': { type: 'boolean' },
    timeline: { type: 'boolean' },
    'odoo-url': { type: 'string' },
    'odoo-db': { type: 'string' },
    'odoo-user': { type: 'string' },
    'odoo-password': { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
  });
  const odooUrl = values['odoo-url'] as string | undefined;
  if (positionals.length === 0 && odooUrl === undefined)
    throw new UsageError('reproduce needs evidence files, e.g. "faultline reproduce logs/*.jsonl exports/orders.csv --out reports/out/incident"');
  const when = (flag: 'since' | 'until'): number | undefined => {
    const text = values[flag] as string | undefined;
    if (text === undefined) return undefined;
    const at = Date.parse(text);
    if (Number.isNaN(at) || !/(Z|[+-]\d{2}:?\d{2})$/i.test(text))
      throw new UsageError(`--${flag} must be a time with its zone such as 2026-11-27T14:00:00Z, got "${text}"`);
    return at;
  };
  const odoo =
    odooUrl === undefined
      ? undefined
      : {
          url: odooUrl,
          db: (values['odoo-db'] as string | undefined) ?? process.env.ODOO_DB ?? 'faultline',
          login: (values['odoo-user'] as string | undefined) ?? process.env.ODOO_USER ?? 'admin',
          password: (values['odoo-password'] as string | undefined) ?? process.env.ODOO_PASSWORD ?? 'admin',
          fetch: createTimedFetch(30_000),
          ...(when('since') !== undefined && { since: when('since')! }),
          ...(when('until') !== undefined && { until: when('until')! }),
        };
  const name = values.name as string | undefined;
  if (name !== undefined && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
    throw new UsageError(`--name must be kebab-case such as black-friday-duplicates, got "${name}"`);
  const seeds = parsePositiveInt('--seeds', values.seeds as string | undefined) ?? 10;
  const middlewareArg = (values.middleware as string | undefined) ?? 'naive';
  const progress = createProgress();
  let result: Reproduction;
  try {
    result = await reproduce(
      positionals.map((p) => resolve(cwd, p)),
      {
        ...(name !== undefined && { name }),
        ...(typeof values.incident === 'string' && { incident: values.incident }),
        middleware: middlewareArg,
        seeds,
        cwd,
        ...(typeof values.fixed === 'string' && { fixed: values.fixed }),
        keepPii: values['keep-pii'] === true,
        shownAs: (path) => shown(path, cwd),
        onProgress: (text) => progress.update(text),
        ...(odoo !== undefined && { odoo }),
      },
    );
  } finally {
    progress.done();
  }
  const { scenario, proof } = result;
  const outDir = resolve(cwd, (values.out as string | undefined) ?? join('reports', 'out', 'reproduce', scenario.name));
  await ensureWritable(outDir);
  const importFrom = existsSync(join(cwd, 'harness', 'scenario', 'define.ts'))
    ? relative(outDir, join(cwd, 'harness', 'scenario', 'define.ts'))
        .split('\\')
        .join('/')
    : 'faultline';
  const scenarioFile = join(outDir, `${scenario.name}.ts`);
  const proofLine =
    proof !== undefined
      ? { middleware: proof.middleware, seed: proof.seed, reproduced: proof.reproduced, failed: proof.failed, seedsTried: proof.seedsTried }
      : undefined;
  await writeFile(
    scenarioFile,
    renderScenarioFile(scenario, result.inference, {
      readers: result.readers,
      path: shown(scenarioFile, cwd),
      importFrom: importFrom.startsWith('.') ? importFrom : `./${importFrom}`,
      proof: proofLine,
    }),
  );
  await writeFile(join(outDir, 'timeline.txt'), renderTimeline(result.timeline));
  await writeFile(
    join(outDir, 'timeline.json'),
    JSON.stringify({ events: result.timeline.events, gaps: result.timeline.gaps, skew: result.timeline.skew }, null, 1) + '\n',
  );
  const report = evidenceReport(result);
  await writeFile(join(outDir, 'evidence.txt'), report);

  const out = process.stdout;
  out.write(report);
  if (values.timeline === true) out.write(renderTimeline(result.timeline));
  out.write(
    `timeline: ${plural(result.timeline.orders.length, 'order')}, ${plural(result.timeline.events.length, 'record')}, ${plural(result.timeline.gaps.length, 'gap')} (${shown(join(outDir, 'timeline.txt'), cwd)})\n`,
  );
  out.write(`inferred ${shown(scenarioFile, cwd)}:\n${inferenceReport(result)}\n`);

  let regression: string | undefined;
  if (values['save-regression'] === true) {
    const fileName = `${scenario.name}-${caseHash(scenario, middlewareArg)}.ts`;
    const dir = join(cwd, 'scenarios', 'regressions');
    await mkdir(dir, { recursive: true });
    const file = join(dir, fileName);
    const from = existsSync(join(cwd, 'harness', 'scenario', 'define.ts')) ? '../../harness/scenario/define.ts' : 'faultline';
    await writeFile(
      file,
      renderScenarioFile({ ...scenario, name: fileName.slice(0, -3) }, result.inference, {
        readers: result.readers,
        path: shown(file, cwd),
        importFrom: from,
        proof: proofLine,
      }),
    );
    regression = shown(file, cwd);
  }

  if (proof === undefined) {
    out.write(`no proof run (--seeds 0, or no orders); run it: npx faultline run ${shown(scenarioFile, cwd)} --middleware ${middlewareArg}\n`);
    if (regression !== undefined) out.write(`regression: ${regression}\n`);
    return EXIT.pass;
  }
  const runDir = join(outDir, 'run');
  const command = `npx faultline run ${shown(scenarioFile, cwd)} --middleware ${middlewareArg}`;
  await writeRunArtefacts(
    { ...proof.result, replay: { ...proof.result.replay, command, scenario: shown(scenarioFile, cwd) } },
    runDir,
    replaySource(scenarioFile, cwd),
  );
  const counts = proof.orders
    .map(
      (o) =>
        `${o.invariant}: ${o.evidence} orders in the evidence, ${o.run} in the run${o.sameOrders === true ? ', the same orders' : o.sameOrders === false ? ', not the same orders' : ''}`,
    )
    .join('; ');
  if (proof.reproduced) {
    out.write(
      `✓ reproduced: with the ${proof.middleware} middleware at seed ${proof.seed}, the scenario fails ${proof.expected.join(', ')} as the evidence shows${proof.failed.length > proof.expected.length ? ` (also: ${proof.failed.filter((f) => !proof.expected.includes(f)).join(', ')})` : ''}\n  ${counts}\n`,
    );
  } else if (proof.expected.length === 0) {
    out.write(
      `? nothing to reproduce: the evidence shows no broken invariant; the ${proof.middleware} middleware failed ${proof.failed.join(', ') || 'nothing'} at seed ${proof.seed}\n`,
    );
  } else {
    out.write(
      `✗ not reproduced: no seed of ${proof.seedsTried} made the ${proof.middleware} middleware fail ${proof.expected.join(', ')} (at seed ${proof.seed} it failed ${proof.failed.join(', ') || 'nothing'})\n  search around the inferred faults: npx faultline check ${shown(scenarioFile, cwd)} --middleware ${middlewareArg} --invariant ${proof.expected.join(',')}\n`,
    );
  }
  if (proof.fixed !== undefined) {
    out.write(
      proof.fixed.failed.length === 0
        ? `✓ the ${proof.fixed.middleware} middleware holds every invariant on it at seed ${proof.seed}: the fix is kept honest\n`
        : `✗ the ${proof.fixed.middleware} middleware still fails ${proof.fixed.failed.join(', ')} on it at seed ${proof.seed}\n`,
    );
  }
  out.write(`  artefacts: ${shown(outDir, cwd)} (scenario, timeline, evidence report; the proof run in run/)\n  replay: ${command}\n`);
  if (regression !== undefined) out.write(`  regression: ${regression}\n`);
  const fixedHolds = proof.fixed === undefined || proof.fixed.failed.length === 0;
  return (proof.reproduced || proof.expected.length === 0) && fixedHolds ? EXIT.pass : EXIT.fail;
}
