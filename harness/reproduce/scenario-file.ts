/**
 * The inferred scenario as a module a person reads and keeps: every fault and
 * knob sits under a comment that says why it is there and which evidence lines
 * show it, so the file can be argued with and edited.
 */
import type { Scenario } from '../scenario/scenario.ts';
import type { Citation } from './evidence.ts';
import type { Inference, Inferred } from './infer.ts';
import type { ReaderResult } from './evidence.ts';

/** JSON as a TypeScript object literal with bare identifier keys, indented to sit at `indent`. */
function literal(value: unknown, indent: string): string {
  return JSON.stringify(value, null, 2)
    .replace(/^(\s*)"([A-Za-z_$][\w$]*)":/gm, '$1$2:')
    .split('\n')
    .join(`\n${indent}`);
}

const CITED = 6;

function cites(evidence: readonly Citation[]): string {
  const unique = [...new Map(evidence.map((c) => [`${c.file}:${c.line}`, c])).keys()];
  return unique.length <= CITED ? unique.join(', ') : `${unique.slice(0, CITED).join(', ')} and ${unique.length - CITED} more`;
}

/** A value on one line, keys bare where they can be: one script entry per line reads like a log. */
function inline(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{ ${fields.map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${inline(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value);
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The script, each entry under the evidence lines it replays, with the real time beside the offset. */
function scriptBlock(script: NonNullable<Inference['script']>, startAt: number): string[] {
  const out = ['  script: {', `    // Times are ms after ${iso(startAt)}, when the evidence's first order was placed.`];
  for (const shown of script.shows)
    out.push(
      `    // ${shown.why.replaceAll('\n', ' ')}: replayed one by one below, not as a ${shown.fault.kind} fault`,
      `    //   evidence: ${cites(shown.evidence)}`,
    );
  out.push('    orders: [');
  for (const { entry, evidence } of script.orders) {
    const lost =
      entry.answersLost === undefined
        ? ''
        : `; the middleware took it, but ${entry.answersLost === 1 ? 'its answer was' : `${entry.answersLost} answers were`} lost and the storefront retried`;
    out.push(`      // ${cites(evidence)}, placed ${iso(startAt + entry.atMs)}${lost}`, `      ${inline(entry)},`);
  }
  out.push('    ],');
  if (script.payments.length > 0) {
    out.push('    payments: [');
    for (const { entry, evidence } of script.payments) {
      const copies = entry.deliveredAtMs.length === 1 ? 'delivered once' : `delivered ${entry.deliveredAtMs.length} times`;
      const retried =
        entry.retriedAtMs === undefined
          ? ''
          : `, redelivered ${entry.retriedAtMs.length === 1 ? 'once' : `${entry.retriedAtMs.length} times`} after a failed delivery`;
      out.push(`      // ${cites(evidence)}: ${entry.type} at ${iso(startAt + entry.atMs)}, ${copies}${retried}`, `      ${inline(entry)},`);
    }
    out.push('    ],');
  }
  if (script.shipments.length > 0) {
    out.push('    shipments: [');
    for (const shipment of script.shipments) {
      const { events, ...rest } = shipment.entry;
      out.push(
        `      // ${shipment.shipmentId}${rest.backorder === true ? ', the rest of the order split off the parcel before it' : ''}`,
        `      { ${inline(rest).slice(2, -2)}, events: [`,
      );
      for (const [i, event] of events.entries()) out.push(`        ${inline(event)}, // ${cites(shipment.events[i] ?? [])}`);
      out.push('      ] },');
    }
    out.push('    ],');
  }
  out.push('  },');
  return out;
}

function comment(item: Inferred, indent: string): string {
  // A "*/" or a newline in the evidence's words would break the comment.
  return `${indent}// ${item.why.replaceAll('\n', ' ')}\n${indent}//   evidence: ${cites(item.evidence)}\n`;
}

function block(text: string): string {
  return text
    .replaceAll('*/', '* /')
    .split('\n')
    .map((line) => ` * ${line}`.trimEnd())
    .join('\n');
}

export interface ScenarioFileOrigin {
  readers: readonly ReaderResult[];
  /** The file's path as the run line shows it. */
  path: string;
  importFrom: string;
  proof: { middleware: string; seed: number; reproduced: boolean; failed: readonly string[]; seedsTried: number } | undefined;
}

export function renderScenarioFile(scenario: Scenario, inference: Inference, origin: ScenarioFileOrigin): string {
  const header: string[] = ['Reproduction of an incident, inferred by `faultline reproduce` from:'];
  for (const r of origin.readers) {
    const file = r.events[0]?.file ?? r.ignored[0]?.file ?? '(empty)';
    header.push(`  ${file} (${r.format}: ${r.events.length} records${r.ignored.length > 0 ? `, ${r.ignored.length} lines not used` : ''})`);
  }
  if (inference.violations.length > 0) {
    header.push('The evidence shows:');
    for (const v of inference.violations)
      header.push(
        `  ${v.invariant} broken for ${v.orders.length} orders (${v.orders.slice(0, 5).join(', ')}${v.orders.length > 5 ? ', …' : ''}): ${cites(v.evidence)}`,
      );
  }
  if (inference.insufficient.length > 0) {
    header.push('Not in the evidence (assumed instead):');
    for (const line of inference.insufficient) header.push(`  - ${line}`);
  }
  if (origin.proof !== undefined) {
    const p = origin.proof;
    header.push(
      p.reproduced
        ? `It fails ${scenario.expect?.naive?.fails.join(', ') ?? 'as the evidence shows'} with the ${p.middleware} middleware at seed ${p.seed} (of ${p.seedsTried} seeds tried, the one whose run breaks as many orders as the evidence shows, or comes closest):`
        : `No seed of the ${p.seedsTried} tried made the ${p.middleware} middleware fail as the evidence shows (it failed: ${p.failed.join(', ') || 'nothing'}); search around it with faultline check:`,
    );
    header.push(`  npx faultline run ${origin.path} --middleware ${p.middleware}`);
  }
  const { name, description, incident, seed, orders, script, systems, faults, expect, ...rest } = scenario;
  const body: string[] = [`  name: ${JSON.stringify(name)},`, `  description: ${JSON.stringify(description)},`];
  if (incident !== undefined) body.push(`  incident: ${JSON.stringify(incident)},`);
  if (seed !== undefined) body.push(`  seed: ${seed},`);
  body.push(comment(inference.load, '  ').trimEnd(), `  orders: ${literal(orders, '  ')},`);
  if (script !== undefined && inference.script !== undefined) body.push(...scriptBlock(inference.script, inference.startAt));
  else if (script !== undefined) body.push(`  script: ${literal(script, '  ')},`);
  if (systems !== undefined) {
    body.push('  systems: {');
    for (const [system, knobs] of Object.entries(systems)) {
      for (const knob of inference.knobs.filter((k) => k.system === system))
        body.push(comment({ ...knob, why: `${knob.path}: ${knob.why}` }, '    ').trimEnd());
      body.push(`    ${system}: ${literal(knobs, '    ')},`);
    }
    body.push('  },');
  }
  if (faults !== undefined && faults.length > 0) {
    body.push('  faults: [');
    faults.forEach((fault, i) => {
      const why = inference.faults[i];
      if (why !== undefined) body.push(comment(why, '    ').trimEnd());
      body.push(`    ${literal(fault, '    ')},`);
    });
    body.push('  ],');
  }
  for (const [key, value] of Object.entries(rest)) body.push(`  ${key}: ${literal(value, '  ')},`);
  if (expect !== undefined) body.push(`  expect: ${literal(expect, '  ')},`);
  return `/**
${block(header.join('\n'))}
 */
import { defineScenario } from '${origin.importFrom}';

export default defineScenario({
${body.join('\n')}
});
`;
}
