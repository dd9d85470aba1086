import type { LinkFault, SystemFault } from '../core/faults.ts';

/**
 * What a scenario may say, as data: the validator rejects every key not listed
 * here and docs/scenarios.md is rendered from it, so the reference and the
 * checks cannot disagree.
 */

export interface FieldDoc {
  /** Dotted path inside the scenario; `[]` marks a list item. */
  path: string;
  type: string;
  default?: string;
  unit?: string;
  description: string;
  required?: boolean;
}

export const SCENARIO_FIELDS: readonly FieldDoc[] = [
  { path: 'name', type: 'string (kebab-case)', required: true, description: 'Names the scenario in headers, JUnit, the output folder and the replay line.' },
  { path: 'description', type: 'string', required: true, description: 'One line: what the scenario shows.' },
  { path: 'incident', type: 'string', description: "The incident it reproduces, in the field's words." },
  { path: 'seed', type: 'integer', default: '1', description: 'Seed when the command line gives none; the same seed gives a byte-identical history.' },
  { path: 'orders', type: 'object', required: true, description: 'The load the capture platform places.' },
  { path: 'orders.count', type: 'integer 0–10,000,000', required: true, unit: 'orders', description: 'How many orders are placed.' },
  { path: 'orders.ratePerSecond', type: 'number > 0', default: '20', unit: 'orders per second of virtual time', description: 'Mean arrival rate.' },
  { path: 'orders.arrival', type: '"fixed" | "poisson" | "ramp" | "burst"', default: '"poisson"', description: 'How arrivals are spaced.' },
  { path: 'orders.maxLines', type: 'integer ≥ 1', default: '3', unit: 'lines', description: 'Most lines an order may have.' },
  { path: 'orders.skus', type: 'list of catalogue skus', default: 'the whole catalogue', description: 'Restricts orders to these products.' },
  { path: 'script', type: 'object', description: 'What production recorded, replayed exactly (see "Script" below); sim mode only.' },
  {
    path: 'script.orders',
    type: 'list of { ref, atMs, lines, currency?, customer?, total?, answersLost? }',
    default: 'generated load',
    description: 'The orders, each placed at its time, replacing generated load; `orders.count` must equal its length.',
  },
  {
    path: 'script.payments',
    type: 'list of { orderRef, type, atMs, deliveredAtMs, retriedAtMs? }',
    default: 'drawn by `systems.payment.webhooks`',
    description: 'Payment webhooks delivered at their recorded times, copies included.',
  },
  {
    path: 'script.shipments',
    type: 'list of { orderRef, backorder?, events }',
    default: 'drawn by `systems.logistics`',
    description: 'Parcels moving through their recorded statuses, each webhook delivered at its recorded times.',
  },
  { path: 'systems', type: 'object', description: 'Per-system knobs, checked when the scenario loads (see "System knobs" below).' },
  { path: 'systems.capture', type: 'object', description: "The order-capture platform's knobs." },
  { path: 'systems.payment', type: 'object', description: "The payment gateway's knobs." },
  { path: 'systems.logistics', type: 'object', description: "The 3PL's knobs." },
  { path: 'systems.odoo', type: 'object', description: "The Odoo emulator's options (ignored by a real Odoo)." },
  {
    path: 'systems.middleware',
    type: 'object',
    description: "Passed as-is to the middleware under test, whose own code checks it (the resilient one's knobs: middleware/README.md).",
  },
  {
    path: 'middleware',
    type: '"naive" | "resilient" | module path | { name, factory }',
    default: '"resilient"',
    description: 'The design under test when the command line names none.',
  },
  { path: 'faults', type: 'list of faults', default: 'none', description: 'What goes wrong, when (see "Faults" below).' },
  { path: 'invariants', type: 'list of invariant names or { name, description, check }', default: 'every built-in invariant', description: 'What is judged.' },
  { path: 'budget', type: 'object', description: 'How long the world runs.' },
  {
    path: 'budget.maxVirtualMs',
    type: 'number ≥ 0',
    default: '604800000 (7 days)',
    unit: 'ms of virtual time',
    description: 'Hard stop, from the start of the run.',
  },
  {
    path: 'budget.settleMs',
    type: 'number ≥ 0',
    default: '3600000 (1 hour)',
    unit: 'ms',
    description: 'How long the world keeps running after the load ends, for retries and reconciliation.',
  },
  { path: 'budget.convergenceBoundMs', type: 'number ≥ 0', default: '900000 (15 minutes)', unit: 'ms', description: 'Bound for the `converges` invariant.' },
  {
    path: 'expect',
    type: 'object',
    description: 'What a design is expected to break here; `run` prints whether it did ("as expected") and `compare` marks every difference.',
  },
  {
    path: 'expect.naive',
    type: '{ fails: invariant names }',
    description: 'Invariants the naive middleware is expected to break (knock-on failures may join them).',
  },
  {
    path: 'expect.resilient',
    type: '{ fails: invariant names }',
    description: 'Invariants the resilient middleware is expected to break; `[]` means it passes.',
  },
];

export interface FaultParam {
  name: string;
  type: string;
  required?: boolean;
  default?: string;
  unit?: string;
}

const probability: FaultParam = { name: 'probability', type: 'number 0–1', default: '1', unit: 'share of requests' };

export const LINK_FAULTS = {
  latency: {
    what: 'Each request waits before delivery.',
    params: [
      { name: 'meanMs', type: 'number ≥ 0', required: true, unit: 'ms' },
      { name: 'jitterMs', type: 'number ≥ 0', default: '0', unit: 'ms' },
      { name: 'distribution', type: '"uniform" | "normal" | "exponential"', default: '"uniform"' },
    ],
  },
  bandwidth: { what: 'Bodies cross at this many bytes per second.', params: [{ name: 'bytesPerSecond', type: 'number ≥ 0', required: true, unit: 'bytes/s' }] },
  timeout: { what: 'The request hangs and is never delivered: the caller times out knowing nothing was done.', params: [probability] },
  reset: { what: 'The connection is reset before the request arrives.', params: [probability] },
  'link-down': { what: 'Nothing listens on the other side: connection refused.', params: [] },
  'http-error': {
    what: 'A proxy answers with an error status; the server never sees the request.',
    params: [{ name: 'status', type: 'integer 400–599', required: true }, probability],
  },
  'response-lost': { what: 'The server processes the request, then the answer is lost: the caller sees a timeout.', params: [probability] },
  duplicate: {
    what: 'The request is delivered again `copies` more times, `gapMs` apart.',
    params: [probability, { name: 'copies', type: 'integer ≥ 1', default: '1' }, { name: 'gapMs', type: 'number ≥ 0', default: '0', unit: 'ms' }],
  },
  reorder: {
    what: 'Each request is held back a random time in [0, windowMs], so later ones overtake it.',
    params: [{ name: 'windowMs', type: 'number ≥ 0', required: true, unit: 'ms' }],
  },
  delay: {
    what:
      "Each request (or the `probability` share of them) is held back exactly `ms`; the others overtake it. In sim the caller's timeout " +
      'runs during the hold: held past it, the caller gives up and the request still lands later. A live run holds it in the sender before ' +
      'sending, so the timeout starts after the hold and that late landing never happens: judge such a scenario in sim mode.',
    params: [{ name: 'ms', type: 'number ≥ 0', required: true, unit: 'ms' }, probability],
  },
  drop: { what: 'The request is lost on the way: never delivered, the caller times out.', params: [probability] },
  forge: {
    what: "Someone else posts a tampered copy just before the request: its JSON body with `set` merged in, under the sender's signature, which no longer matches; in live mode the sender sends it, and waits for its answer, before the real one.",
    params: [{ name: 'set', type: 'object', required: true, unit: 'fields merged into the body' }, probability],
  },
} as const satisfies Record<LinkFault['kind'], { what: string; params: readonly FaultParam[] }>;

export const SYSTEM_FAULTS = {
  crash: {
    what: 'The process dies when the schedule starts and comes back after `restartAfterMs`.',
    params: [{ name: 'restartAfterMs', type: 'number ≥ 0', required: true, unit: 'ms' }],
  },
  outage: { what: 'The system answers every request with `status` while active.', params: [{ name: 'status', type: 'integer 400–599', default: '503' }] },
  'clock-skew': {
    what: "The system's clock runs `offsetMs` off (emulated Odoo only).",
    params: [{ name: 'offsetMs', type: 'number', required: true, unit: 'ms' }],
  },
  'serialization-failure': {
    what: 'Odoo only: writes fail with a serialization error, as under concurrent load.',
    params: [{ name: 'probability', type: 'number 0–1', required: true, unit: 'share of writes' }],
  },
} as const satisfies Record<SystemFault['kind'], { what: string; params: readonly FaultParam[] }>;

/** Keys every fault may carry besides its kind's parameters. */
export const FAULT_COMMON_KEYS = ['id', 'kind', 'link', 'system', 'schedule'] as const;
export const LINK_SELECTOR_KEYS = ['from', 'to', 'path', 'odoo', 'httpMethod'] as const;
/** `link.odoo`: one Odoo model call, by model and/or method. */
export const ODOO_CALL_SELECTOR_KEYS = ['model', 'method'] as const;

export const SCHEDULES = {
  always: { keys: [], what: 'Active for the whole run (the default).' },
  window: { keys: ['fromMs', 'toMs'], what: 'Active from `fromMs` to `toMs` after the start (ms).' },
  periodic: { keys: ['everyMs', 'forMs', 'offsetMs'], what: 'Active for `forMs` every `everyMs`, starting at `offsetMs` (ms).' },
} as const;

export interface LinkDoc {
  from: string;
  to: string;
  path: string;
  what: string;
}

/** Every request path between the systems; a fault's `link` selects some of them (an omitted part matches all). */
export const LINKS: readonly LinkDoc[] = [
  { from: 'capture', to: 'middleware', path: '/orders', what: 'The storefront submits an order (202 acknowledges it; a retry follows a timeout).' },
  { from: 'capture', to: 'payment', path: '/payments', what: 'Payment at checkout.' },
  { from: 'middleware', to: 'capture', path: '/orders', what: 'Reconciliation reads the orders the storefront placed.' },
  { from: 'middleware', to: 'odoo', path: '/xmlrpc/2', what: "Odoo's XML-RPC (`/xmlrpc/2/common`, `/xmlrpc/2/object`)." },
  { from: 'middleware', to: 'odoo', path: '/jsonrpc', what: "Odoo's JSON-RPC." },
  { from: 'middleware', to: 'payment', path: '/payments', what: 'Payment lookups and refunds.' },
  { from: 'middleware', to: 'logistics', path: '/shipments', what: 'Shipments created, read and cancelled at the 3PL.' },
  { from: 'payment', to: 'middleware', path: '/webhooks/payment', what: 'Payment webhooks (captured, failed, refunded).' },
  { from: 'logistics', to: 'middleware', path: '/webhooks/logistics', what: 'Shipment status webhooks.' },
  { from: 'crm', to: 'middleware', path: '/webhooks/crm', what: 'Account webhooks from the CRM (created, updated, merged, deleted); only with `systems.crm`.' },
  { from: 'middleware', to: 'crm', path: '/accounts', what: "The CRM's paginated, rate-limited account API; only with `systems.crm`." },
  { from: 'middleware', to: 'analytics', path: '/events', what: 'Rows streamed to the analytics sink; only with `systems.analytics`.' },
  { from: 'middleware', to: 'analytics', path: '/days', what: 'A day replayed to the analytics sink as one batch; only with `systems.analytics`.' },
];

/** `crm` and `analytics` take part only in a scenario that sets `systems.crm` or `systems.analytics`. */
export const SYSTEM_NAMES = ['odoo', 'capture', 'payment', 'logistics', 'middleware', 'crm', 'analytics'] as const;

/** The Odoo emulator's options (simulators/odoo/index.ts `OdooEmulatorOptions`), with their nested groups. */
export const ODOO_KNOBS: Readonly<Record<string, { default: string; nested?: readonly string[] }>> = {
  db: { default: '"faultline"' },
  adminLogin: { default: '"admin"' },
  adminPassword: { default: '"admin"' },
  masterPassword: { default: '"admin"' },
  companyName: { default: '"My Company"' },
  listDb: { default: 'true' },
  serverVersion: { default: "Odoo 17.0's" },
  modules: { default: 'base and the business flows' },
  capacity: { default: 'false (true: the calibrated worker model)', nested: ['workers', 'serviceTimesMs', 'jitter', 'queueLimit'] },
  maxBodyBytes: { default: '16777216 (16 MiB)' },
  accessLogLimit: { default: '100000' },
  loginCooldown: { default: '{ failures: 10, durationMs: 60000 }', nested: ['failures', 'durationMs'] },
  proxyMode: { default: 'false' },
  rpcLoginCooldown: { default: 'false' },
};
