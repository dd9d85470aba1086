import { isLinkFault } from '../core/faults.ts';
import type { FaultSchedule, FaultSpec, LinkSelector } from '../core/faults.ts';
import type { HistoryEvents, SendEvent } from '../core/history.ts';
import type { RunResult } from '../run/result.ts';
import type { Scenario } from '../scenario/scenario.ts';

/** Words for the traffic on each link of the integration: one message, and many. */
const LINK_WORDS: Record<string, { one: string; many: string }> = {
  'capture->middleware/orders': { one: 'order submission', many: 'order submissions (capture → middleware)' },
  'payment->middleware/webhooks/payment': { one: 'payment webhook', many: 'payment webhooks' },
  'logistics->middleware/webhooks/logistics': { one: '3PL webhook', many: '3PL webhooks' },
  'middleware->odoo': { one: 'Odoo call', many: "the middleware's Odoo calls" },
  'middleware->logistics': { one: '3PL API call', many: "the middleware's 3PL API calls" },
  'middleware->payment': { one: 'payment-gateway call', many: "the middleware's payment-gateway calls" },
};

/** A duration as people say it: 300 ms, 12 s, 4.5 min, 2 h. */
export function spokenDuration(ms: number): string {
  const round = (n: number): string => String(Math.round(n * 10) / 10);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${round(ms / 1000)} s`;
  if (ms < 2 * 3_600_000) return `${round(ms / 60_000)} min`;
  return `${round(ms / 3_600_000)} h`;
}

function linkWords(selector: LinkSelector): { one: string; many: string } {
  const { httpMethod, ...anyMethod } = selector;
  if (httpMethod !== undefined) {
    const words = linkWords(anyMethod);
    return { one: `${words.one} (${httpMethod})`, many: `${words.many} (${httpMethod})` };
  }
  const { odoo, ...anyCall } = selector;
  if (odoo !== undefined) {
    // One Odoo call, not every call on the link: say which.
    const call = `${odoo.model ?? 'any model'}.${odoo.method ?? 'any method'}`;
    const words = linkWords(anyCall);
    return { one: `${words.one} to ${call}`, many: `${words.many} to ${call}` };
  }
  const key = `${selector.from ?? '*'}->${selector.to ?? '*'}${selector.path ?? ''}`;
  const known = LINK_WORDS[key];
  if (known !== undefined) return known;
  // A narrower path on a known link: the link's words, then the path.
  const link = LINK_WORDS[`${selector.from ?? '*'}->${selector.to ?? '*'}`];
  if (link !== undefined && selector.path !== undefined) return { one: `${link.one} to ${selector.path}`, many: `${link.many} to ${selector.path}` };
  const text = `${selector.from ?? 'anyone'} → ${selector.to ?? 'anyone'}${selector.path !== undefined ? ` ${selector.path}` : ''}`;
  return { one: `request ${text}`, many: `requests ${text}` };
}

function share(probability: number | undefined): string {
  return probability === undefined || probability >= 1 ? 'every one of' : `${Math.round(probability * 100)}% of`;
}

function scheduleWords(schedule: FaultSchedule | undefined): string {
  if (schedule === undefined || schedule.kind === 'always') return '';
  if (schedule.kind === 'window') return ` from ${spokenDuration(schedule.fromMs)} to ${spokenDuration(schedule.toMs)}`;
  return ` for ${spokenDuration(schedule.forMs)} every ${spokenDuration(schedule.everyMs)}`;
}

/** One fault in the words of the field: what goes wrong, where, how often, when. */
export function describeFault(fault: FaultSpec): string {
  const when = scheduleWords(fault.schedule);
  if (!isLinkFault(fault)) {
    switch (fault.kind) {
      case 'crash':
        return `${fault.system} crashes at ${spokenDuration(fault.schedule?.kind === 'window' ? fault.schedule.fromMs : 0)} and restarts ${spokenDuration(fault.restartAfterMs)} later`;
      case 'outage':
        return `${fault.system} answers ${fault.status ?? 503} to everything${when}`;
      case 'clock-skew':
        return `${fault.system}'s clock runs ${spokenDuration(Math.abs(fault.offsetMs))} ${fault.offsetMs >= 0 ? 'ahead' : 'behind'}${when}`;
      case 'serialization-failure':
        return `${share(fault.probability)} ${fault.system} writes fail with a serialization error${when}`;
    }
  }
  const { one, many } = linkWords(fault.link);
  switch (fault.kind) {
    case 'duplicate': {
      const times = (fault.copies ?? 1) + 1;
      return `${share(fault.probability)} ${many} delivered ${times === 2 ? 'twice' : `${times} times`}${(fault.gapMs ?? 0) > 0 ? ` ${spokenDuration(fault.gapMs!)} apart` : ' at once'}${when}`;
    }
    case 'response-lost':
      return `the answer to ${share(fault.probability)} ${many} lost after the receiver processed it${when}`;
    case 'forge':
      return `${share(fault.probability)} ${many} preceded by a forged copy claiming ${JSON.stringify(fault.set)}${when}`;
    case 'drop':
      return `${share(fault.probability)} ${many} lost on the way${when}`;
    case 'timeout':
      return `${share(fault.probability)} ${many} hang until the sender times out${when}`;
    case 'reset':
      return `${share(fault.probability)} ${many} reset before arriving${when}`;
    case 'http-error':
      return `${share(fault.probability)} ${many} answered ${fault.status} by a proxy${when}`;
    case 'latency':
      return `${many} slowed by ${spokenDuration(fault.meanMs)}${(fault.jitterMs ?? 0) > 0 ? ` ± ${spokenDuration(fault.jitterMs!)}` : ''}${when}`;
    case 'delay':
      return `${fault.probability === undefined ? many : `${share(fault.probability)} ${many}`} delayed ${spokenDuration(fault.ms)}${when}`;
    case 'reorder':
      return `${many} held back up to ${spokenDuration(fault.windowMs)}, so later ones overtake them${when}`;
    case 'link-down':
      return `${many} refused, the link down${when}`;
    case 'bandwidth':
      return `${many} limited to ${fault.bytesPerSecond} B/s${when}`;
  }
  return `${one}: ${String((fault as { kind: string }).kind)}`;
}

/** `CAP-000002` → `B`: minimal cases have few orders, and letters read better than refs. */
export function orderLetter(ref: string): string {
  const n = Number(/(\d+)$/.exec(ref)?.[1]);
  return Number.isInteger(n) && n >= 1 && n <= 26 ? String.fromCharCode(64 + n) : ref;
}

/** `{ webhooks: { drop: { probability: 0.3 } } }` → `webhooks.drop.probability=0.3`. */
function knobWords(knobs: unknown, prefix = ''): string[] {
  if (typeof knobs !== 'object' || knobs === null || Array.isArray(knobs)) return [`${prefix}=${JSON.stringify(knobs)}`];
  return Object.entries(knobs).flatMap(([key, value]) => knobWords(value, prefix === '' ? key : `${prefix}.${key}`));
}

/**
 * The case in one line: its orders, each fault, then the systems' own
 * settings — a simulator told to drop webhooks is a fault too, even if the
 * fault list is empty.
 */
export function describeCase(scenario: Scenario): string {
  const count = scenario.orders.count;
  const parts = [`${count} order${count === 1 ? '' : 's'}`];
  for (const fault of scenario.faults ?? []) parts.push(describeFault(fault));
  if ((scenario.faults ?? []).length === 0) parts.push('no injected faults');
  const settings = Object.entries(scenario.systems ?? {}).flatMap(([system, knobs]) => knobWords(knobs).map((k) => `${system} ${k}`));
  if (settings.length > 0) parts.push(`system settings: ${settings.join(', ')}`);
  return parts.join('; ');
}

/** What the faults did to one order's messages, read back from the history. */
function faultEffects(history: HistoryEvents, ref: string, limit: number): string[] {
  const sends = new Map<number, SendEvent>();
  const delivered = new Map<number, number>();
  const copies = new Map<number, number[]>();
  const held = new Map<number, { fault: string; ms: number }>();
  const effects: string[] = [];
  const letter = orderLetter(ref);
  const subject = (send: SendEvent): string => {
    // Inbound links are named by path; outbound ones by their two ends.
    const inbound = send.to === 'middleware';
    const words = linkWords(inbound ? { from: send.from, to: send.to, path: send.path } : { from: send.from, to: send.to });
    return `${words.one} for order ${letter}${send.attempt !== undefined ? ` (attempt ${send.attempt})` : ''}`;
  };
  for (const event of history) {
    if (event.kind === 'send') {
      if (event.corr === ref) sends.set(event.req, event);
      continue;
    }
    if (!('req' in event) || event.req === undefined) continue;
    const send = sends.get(event.req);
    if (send === undefined) continue;
    if (event.kind === 'deliver') {
      if (!delivered.has(event.req)) delivered.set(event.req, event.t);
    } else if (event.kind === 'delay') {
      held.set(event.req, { fault: event.fault, ms: event.ms ?? 0 });
    } else if (event.kind === 'duplicate') {
      copies.set(event.req, [...(copies.get(event.req) ?? []), event.t]);
    } else if (event.kind === 'drop') {
      effects.push(
        delivered.has(event.req) ? `the answer to the ${subject(send)} was lost after it was processed` : `the ${subject(send)} was lost on the way`,
      );
    } else if (event.kind === 'error') {
      effects.push(`the ${subject(send)} failed: ${event.reason}`);
    }
  }
  for (const [req, { fault, ms }] of held) effects.push(`the ${subject(sends.get(req)!)} was held back ${spokenDuration(ms)} (${fault})`);
  for (const [req, times] of copies) {
    const send = sends.get(req)!;
    const first = delivered.get(req) ?? send.t;
    const gaps = times.map((t) => spokenDuration(t - first));
    effects.push(`the ${subject(send)} was delivered ${times.length === 1 ? 'twice' : `${times.length + 1} times`}, copies ${gaps.join(', ')} after the first`);
  }
  return effects.slice(0, limit);
}

/** Each failing invariant, its evidence, and what the faults did to the orders it names. */
export function describeFailure(result: RunResult): string[] {
  const lines: string[] = [];
  // An order's fault effects are told once, under the first invariant that names it.
  const seen = new Set<string>();
  for (const verdict of result.invariants) {
    if (verdict.verdict !== 'fail') continue;
    lines.push(`${verdict.name} failed: ${verdict.summary}`);
    for (const example of verdict.examples) {
      const ref = example.orderRef;
      lines.push(`  ${ref !== undefined ? `order ${orderLetter(ref)} (${ref}): ` : ''}${example.message}`);
      if (ref === undefined || seen.has(ref)) continue;
      seen.add(ref);
      for (const effect of faultEffects(result.history, ref, 4)) lines.push(`    - ${effect}`);
    }
  }
  return lines;
}
