/**
 * Personal data in the evidence (customer names, emails, phones, addresses)
 * replaced by fake values, the same fake for the same original everywhere, so
 * the timeline still joins. Numbered by first appearance in time order: the
 * same evidence always gives the same fakes.
 */
import type { EvidenceEvent } from './evidence.ts';

const PII_KEY = /^(name|customer(_name)?|email|e_mail|phone|mobile|street|street2|address|zip|city)$/i;

export function pseudonymise(events: readonly EvidenceEvent[]): EvidenceEvent[] {
  const fakes = new Map<string, string>();
  const fake = (key: string, value: unknown): unknown => {
    if (typeof value !== 'string' || value === '') return value;
    const kind = /mail/i.test(key) ? 'email' : /phone|mobile/i.test(key) ? 'phone' : /street|address/i.test(key) ? 'street' : /zip/i.test(key) ? 'zip' : /city/i.test(key) ? 'city' : 'name';
    const id = `${kind}:${value}`;
    let replacement = fakes.get(id);
    if (replacement === undefined) {
      const n = [...fakes.keys()].filter((k) => k.startsWith(`${kind}:`)).length + 1;
      replacement = { email: `customer${n}@example.invalid`, phone: `+1 555 01${String(n).padStart(2, '0')}`, street: `${n} Example Street`, zip: String(10000 + n), city: `City ${n}`, name: `Customer ${n}` }[kind]!;
      fakes.set(id, replacement);
    }
    return replacement;
  };
  const scrub = (record: Record<string, unknown>): Record<string, unknown> =>
    Object.fromEntries(Object.entries(record).map(([k, v]) => [k, PII_KEY.test(k) ? fake(k, v) : v !== null && typeof v === 'object' && !Array.isArray(v) ? scrub(v as Record<string, unknown>) : v]));
  return [...events].sort((a, b) => a.at - b.at || a.line - b.line).map((e) => {
    if (e.kind === 'order.placed' && e.customer !== undefined) return { ...e, customer: scrub(e.customer) };
    if (e.kind === 'middleware.log') return { ...e, fields: scrub(e.fields) };
    return e;
  });
}
