import { CAPTURE_DEFAULTS } from '../../simulators/capture/knobs.ts';
import { LOGISTICS_DEFAULTS } from '../../simulators/logistics/knobs.ts';
import { PAYMENT_DEFAULTS } from '../../simulators/payment/knobs.ts';
import { CRM_DEFAULTS } from '../../simulators/crm/knobs.ts';
import { ANALYTICS_DEFAULTS } from '../../simulators/analytics/knobs.ts';
import { LINK_FAULTS, LINKS, ODOO_KNOBS, SCENARIO_FIELDS, SCHEDULES, SYSTEM_FAULTS } from './reference.ts';
import { HTTP_METHODS } from '../core/faults.ts';
import type { FaultParam } from './reference.ts';

/** A knob's unit, read from its name the way the simulators name them. */
function unitOf(name: string): string {
  if (/Ms$/.test(name)) return 'ms';
  if (/PerSecond$/.test(name)) return 'per second';
  if (/[Pp]robability$/.test(name) || name === 'jitter') return '0–1';
  if (/Cents$/.test(name)) return 'cents';
  if (/Bytes$/.test(name)) return 'bytes';
  return '';
}

function show(value: unknown): string {
  if (Array.isArray(value) && value.length > 4)
    return `${value.length} values: ${value
      .slice(0, 3)
      .map((v) => JSON.stringify(v))
      .join(', ')}, …`;
  return JSON.stringify(value);
}

/** Flattens a defaults object to `path → default`; a delay (`{ kind, … }`) stays one knob. */
function knobRows(prefix: string, value: Record<string, unknown>): string[] {
  return Object.entries(value).flatMap(([key, inner]) => {
    const path = `${prefix}.${key}`;
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner) && !('kind' in inner)) return knobRows(path, inner as Record<string, unknown>);
    return [`| \`${path}\` | \`${show(inner)}\` | ${unitOf(key)} |`];
  });
}

function cell(text: string | undefined): string {
  return (text ?? '').replace(/\|/g, '\\|');
}

function paramText(p: FaultParam): string {
  const details = [p.type, p.required === true ? 'required' : `default ${p.default ?? '—'}`, p.unit].filter((d) => d !== undefined);
  return `\`${p.name}\` (${details.join(', ')})`;
}

/** A simulator's defaults without `script`, which the run fills from the scenario's own `script` (its own section). */
function withoutScript(defaults: object): Record<string, unknown> {
  const { script: _, ...knobs } = defaults as Record<string, unknown>;
  return knobs;
}

const SCRIPT_SECTION = [
  '## Script',
  '',
  "What production recorded, replayed one by one instead of generated: `faultline reproduce` writes it from an incident's evidence",
  '([docs/reproduce.md](reproduce.md)), and a person can write or edit it. Every time is in ms after the run starts. A scenario without',
  '`script` runs exactly as before (the same seed gives the same history, byte for byte). A script runs in sim mode only: `--mode live`',
  'refuses it (exit 2), since live mode paces and compresses time and the recorded times would not hold.',
  '',
  '```ts',
  'script: {',
  '  orders: [',
  "    { ref: 'SHOP-1001', atMs: 0, lines: [{ sku: 'FL-STOCK-01', quantity: 2, unitPrice: 24.99 }], customer: { name: 'Customer 1', email: 'customer1@example.invalid' } },",
  "    { ref: 'SHOP-1002', atMs: 1250, lines: [{ sku: 'FL-CONSU-01', quantity: 1 }], currency: 'USD', total: 1.16 },",
  '  ],',
  "  payments: [{ orderRef: 'SHOP-1001', type: 'payment.captured', atMs: 40, deliveredAtMs: [1100, 1900] }],   // delivered twice",
  "  shipments: [{ orderRef: 'SHOP-1001', events: [",
  "    { status: 'picked', atMs: 300000, deliveredAtMs: [301200] },",
  "    { status: 'packed', atMs: 420000, deliveredAtMs: [1500000] },                                           // arrives after shipped",
  "    { status: 'shipped', atMs: 900000, deliveredAtMs: [901000] },",
  '  ] }],',
  '},',
  '```',
  '',
  '| entry | field | what |',
  '| --- | --- | --- |',
  "| `script.orders[]` | `ref` | the order's reference, sent as is (`client_order_ref` in Odoo, the correlation id); each once |",
  '| | `atMs` | when the storefront places it; the list may be in any order, orders are placed in time order |',
  '| | `lines[]` | `{ sku, quantity, unitPrice? }`: a catalogue sku (map others to one of the same kind), a quantity above 0, the price charged (default the list price) |',
  '| | `answersLost` | how many of its first submissions the middleware took but whose answer never reached the storefront (default 0): the storefront waits out its `retry.timeoutMs` and retries, as recorded, for this order only (history: `order.answer-lost`) |',
  '| | `currency`, `customer`, `total` | default `systems.capture.currency`; a fake customer from the seeded faker (a given customer needs `name` and `email`, its missing address parts are faked); the total Odoo computes for the lines |',
  "| `script.payments[]` | `orderRef`, `type` | which event: `payment.captured`, `payment.failed` or `payment.refunded` of that order. The gateway still emits an event only when it happens in the run (a payment at checkout, a refund the middleware asks for); the order's first scripted event decides whether its payment is captured or declined |",
  '| | `atMs`, `deliveredAtMs[]`, `retriedAtMs[]?` | when the event happened; when each copy reached the middleware, sent whatever the middleware answers (two entries are a duplicate; `[]` is a webhook never delivered); and when the gateway redelivered the first copy after a failed delivery: each redelivery is sent at its time only if the replayed attempt before it failed too (the middleware answered non-2xx or not at all), and past the last one the `retry` knobs take over |',
  '| `script.shipments[]` | `orderRef`, `backorder?` | one parcel. The k-th time the middleware books a shipment for the order, the 3PL ships the k-th non-backorder parcel listed for it; a parcel with `backorder: true` is split off the one listed before it (the booking is split in two) |',
  "| | `events[]` | `{ status, atMs, deliveredAtMs[], retriedAtMs[]? }` in the order they happened: the parcel goes through exactly these statuses at these times, and each status's webhook reaches the middleware at its `deliveredAtMs` (late, twice, before an earlier status: as recorded), redelivered at `retriedAtMs` as payments are |",
  '',
  'When the run reaches an event later than recorded (the middleware booked the shipment, or the payment happened, after the recorded',
  "time), all of that parcel's or event's times move by the same lateness, so their gaps and order stay as recorded. A delivery the",
  "middleware does not acknowledge is redelivered at its recorded `retriedAtMs`, then by the sender's `retry` knobs, as the real sender would. Orders, payments and parcels",
  'the script does not name follow the knobs. With `script.orders`, `orders.count` must equal its length and `orders.ratePerSecond`,',
  '`arrival`, `maxLines` and `skus` must be left out; payments and parcels must name orders it places. Link faults still apply on top.',
  '',
];

/** docs/scenarios.md, rendered from the same tables the validator checks against. */
export function renderScenarioReference(): string {
  const lines = [
    '# Scenario reference',
    '',
    "<!-- Generated by `npm run docs` from harness/scenario/reference.ts and the simulators' knob defaults; a test fails when it is stale. -->",
    '',
    'A scenario is a module whose default export is `defineScenario({...})` (a plain object works too: it is checked the same way when it loads).',
    'Run it with `npx faultline run ./my-scenario.ts`. Every key below is checked when the scenario loads: an unknown key, a bad value',
    'or a knob a simulator does not have is an error (exit 2) that names the path and the nearest known key, and every problem is listed at once.',
    '',
    '```ts',
    "import { defineScenario } from 'faultline';",
    '',
    'export default defineScenario({',
    "  name: 'webhook-chaos',",
    "  description: 'Payment webhooks arrive twice and the middleware → Odoo link is slow',",
    '  orders: { count: 40, ratePerSecond: 5 },',
    '  faults: [',
    "    { link: { from: 'payment', to: 'middleware', path: '/webhooks/payment' }, kind: 'duplicate', probability: 0.5 },",
    "    { link: { from: 'middleware', to: 'odoo' }, kind: 'latency', meanMs: 800, jitterMs: 400 },",
    '  ],',
    "  expect: { naive: { fails: ['money-reconciles'] }, resilient: { fails: [] } },",
    '});',
    '```',
    '',
    '## Fields',
    '',
    '| field | type | default | unit | what |',
    '| --- | --- | --- | --- | --- |',
    ...SCENARIO_FIELDS.map(
      (f) => `| \`${f.path}\` | ${cell(f.type)} | ${f.required === true ? 'required' : cell(f.default)} | ${cell(f.unit)} | ${cell(f.description)} |`,
    ),
    '',
    '## Links and paths',
    '',
    'A link fault selects requests by `link: { from?, to?, path?, odoo?, httpMethod? }`; an omitted part matches every value, and `path` matches by prefix.',
    '',
    'Every Odoo model call travels to the same `/jsonrpc` or `/xmlrpc/2/object`, so `path` cannot single out one of them. ' +
      '`odoo: { model?, method? }` (with `to: "odoo"`) does, read from the request body: ' +
      '`{ link: { from: "middleware", to: "odoo", odoo: { model: "sale.order", method: "action_confirm" } }, kind: "response-lost" }` ' +
      'loses only the answers to confirmations; `odoo: { method: "create" }` strikes every create, whatever the model. ' +
      'Calls that name no model (login, version) never match. In live mode the sender applies `delay`, `reorder`, `drop`, `http-error`, ' +
      '`duplicate` and `forge` and can read the call, but Toxiproxy applies `latency`, `bandwidth`, `timeout`, `reset`, `link-down` and ' +
      '`response-lost` to whole connections and cannot: a live run refuses such a fault with `odoo` (use another kind, drop `odoo`, or run in sim mode).',
    '',
    'On one path a booking and a look-up are different operations (`POST /shipments` books a parcel, `GET /shipments?orderRef=` lists them): ' +
      '`httpMethod` (one of ' +
      HTTP_METHODS.map((m) => `\`${m}\``).join(', ') +
      ') selects one of them, `{ link: { from: "middleware", to: "logistics", path: "/shipments", httpMethod: "POST" }, kind: "response-lost" }` ' +
      "loses only the bookings' answers. Live mode honours it as it does `odoo`: the sender's kinds only.",
    '',
    '| from | to | path | what |',
    '| --- | --- | --- | --- |',
    ...LINKS.map((l) => `| ${l.from} | ${l.to} | \`${l.path}\` | ${cell(l.what)} |`),
    '',
    '## Faults',
    '',
    'Every fault may also carry `id` (its name in history and reports) and `schedule` (when it is active; default always).',
    '',
    '### On a link (`link: {...}`)',
    '',
    '| kind | parameters | what |',
    '| --- | --- | --- |',
    ...Object.entries(LINK_FAULTS).map(([kind, f]) => `| \`${kind}\` | ${cell(f.params.map(paramText).join('; ') || '—')} | ${cell(f.what)} |`),
    '',
    '### On a system (`system: "odoo" | "capture" | "payment" | "logistics" | "middleware"`)',
    '',
    '| kind | parameters | what |',
    '| --- | --- | --- |',
    ...Object.entries(SYSTEM_FAULTS).map(([kind, f]) => `| \`${kind}\` | ${cell(f.params.map(paramText).join('; ') || '—')} | ${cell(f.what)} |`),
    '',
    '### Schedules',
    '',
    '| kind | keys | what |',
    '| --- | --- | --- |',
    ...Object.entries(SCHEDULES).map(([kind, s]) => `| \`${kind}\` | ${s.keys.map((k) => `\`${k}\``).join(', ') || '—'} | ${cell(s.what)} |`),
    '',
    ...SCRIPT_SECTION,
    '## System knobs',
    '',
    'Under `systems.<name>`. Each simulator\'s README says where its defaults come from. A delay is `{ kind: "fixed", ms }`,',
    '`{ kind: "uniform", minMs, maxMs }`, `{ kind: "normal", meanMs, stdDevMs }`, `{ kind: "exponential", meanMs }`, or a number of ms.',
    "`orders.*` fills the capture platform's `orders`, `ratePerSecond`, `arrival`, `maxLines` and `skus`.",
    '',
    '| knob | default | unit |',
    '| --- | --- | --- |',
    ...knobRows('systems.capture', withoutScript(CAPTURE_DEFAULTS)),
    ...knobRows('systems.payment', withoutScript(PAYMENT_DEFAULTS)),
    ...knobRows('systems.logistics', withoutScript(LOGISTICS_DEFAULTS)),
    ...knobRows('systems.crm', CRM_DEFAULTS as unknown as Record<string, unknown>),
    ...knobRows('systems.analytics', ANALYTICS_DEFAULTS as unknown as Record<string, unknown>),
    ...Object.entries(ODOO_KNOBS).map(
      ([key, k]) =>
        `| \`systems.odoo.${key}\`${k.nested !== undefined ? ` (${k.nested.map((n) => `\`${n}\``).join(', ')})` : ''} | ${cell(k.default)} | ${unitOf(key)} |`,
    ),
    "| `systems.middleware.*` | the middleware's own | see [middleware/README.md](../middleware/README.md) |",
    '',
  ];
  return lines.join('\n');
}
