/**
 * Personal data in the evidence (customer names, emails, phones, addresses,
 * client IPs) replaced by fakes from a seeded faker: the same real value gets
 * the same fake wherever it appears in the bundle (in a field of its own or
 * inside a log message), so the timeline still joins, and two real values
 * never share a fake. Fakes are handed out in time order from the seed, never
 * derived from the real value, so a fake says nothing about what it replaced.
 */
import type { Faker } from '@faker-js/faker';
import { createRng } from '../core/rng.ts';
import { createSeededFaker } from '../../simulators/shared/seeded-data.ts';
import type { EvidenceEvent } from './evidence.ts';

type Kind = 'name' | 'email' | 'phone' | 'street' | 'city' | 'zip' | 'ip';

/** Field names that hold personal data, by what they hold. */
const KINDS: ReadonlyArray<[RegExp, Kind]> = [
  [/^(e_?mail|email_address|customer_email)$/i, 'email'],
  [/^(phone|mobile|tel|telephone|phone_number)$/i, 'phone'],
  [/^(street2?|address(_?line_?\d)?|street_address)$/i, 'street'],
  [/^(city|town)$/i, 'city'],
  [/^(zip|zip_?code|post_?code|postal_?code)$/i, 'zip'],
  [/^(client|client_ip|remote_addr|ip)$/i, 'ip'],
  [/^(name|full_?name|first_?name|last_?name|customer(_name)?|contact(_name)?|billing_name|shipping_name)$/i, 'name'],
];

const EMAIL_IN_TEXT = /[\w.+-]+@[\w-]+(\.[\w-]+)+/g;
// RFC 2606 and RFC 5737: fakes that reach nobody if a replay ever mails or calls them.
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'];

function draw(kind: Kind, faker: Faker): string {
  switch (kind) {
    case 'name':
      return `${faker.person.firstName()} ${faker.person.lastName()}`;
    case 'email':
      return `${faker.person.firstName()}.${faker.person.lastName()}${faker.number.int({ min: 1, max: 999 })}@${faker.helpers.arrayElement(EMAIL_DOMAINS)}`
        .toLowerCase()
        .replace(/[^a-z0-9.@]/g, '');
    case 'phone':
      return `+1 555 01${faker.string.numeric(2)} ${faker.string.numeric(3)}`;
    case 'street':
      return `${faker.number.int({ min: 1, max: 9999 })} ${faker.location.street()}`;
    case 'city':
      return faker.location.city();
    case 'zip':
      return faker.location.zipCode('#####');
    case 'ip':
      return `${faker.helpers.arrayElement(['192.0.2', '198.51.100', '203.0.113'])}.${faker.number.int({ min: 1, max: 254 })}`;
  }
}

export interface PseudonymiseOptions {
  /** Seeds the faker: the same evidence and seed give the same fakes (default 1). */
  seed?: number;
}

export function pseudonymise(events: readonly EvidenceEvent[], options: PseudonymiseOptions = {}): EvidenceEvent[] {
  const faker = createSeededFaker(createRng(options.seed ?? 1).fork('pii'));
  const fakes = new Map<string, string>();
  const used = new Set<string>();
  const fake = (kind: Kind, real: string): string => {
    const id = `${kind}:${kind === 'email' ? real.toLowerCase() : real}`;
    let replacement = fakes.get(id);
    if (replacement === undefined) {
      replacement = draw(kind, faker);
      // A fake two real values would share would join what the evidence keeps apart: draw again, then number it.
      for (let tries = 0; used.has(replacement) && tries < 20; tries++) replacement = draw(kind, faker);
      if (used.has(replacement)) replacement = `${replacement} ${used.size}`;
      used.add(replacement);
      fakes.set(id, replacement);
    }
    return replacement;
  };
  const kindOf = (key: string): Kind | undefined => KINDS.find(([pattern]) => pattern.test(key))?.[1];
  // Any other text keeps its words, but not an email address or a value already known to be personal.
  let known: RegExp | undefined;
  const scrubText = (text: string): string => {
    const out = text.replace(EMAIL_IN_TEXT, (email) => fake('email', email));
    return known === undefined ? out : out.replace(known, (real) => fakes.get(realIds.get(real)!)!);
  };
  const realIds = new Map<string, string>();
  const scrub = (value: unknown, key: string | undefined): unknown => {
    if (Array.isArray(value)) return value.map((v) => scrub(v, key));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v, k)]));
    if (typeof value !== 'string' || value === '') return value;
    const kind = key === undefined ? undefined : kindOf(key);
    return kind !== undefined ? fake(kind, value) : scrubText(value);
  };
  const ordered = [...events].sort((a, b) => a.at - b.at || a.line - b.line);
  // Fields first, so a name met in a message before its own field is already known as one.
  for (const e of ordered) {
    if (e.kind === 'order.placed' && e.customer !== undefined) scrub(e.customer, undefined);
    if (e.kind === 'middleware.log') scrub(e.fields, undefined);
  }
  for (const id of fakes.keys()) {
    const real = id.slice(id.indexOf(':') + 1);
    // Short values (a two-letter city code) would strike inside unrelated words.
    if (real.length >= 4 && !realIds.has(real)) realIds.set(real, id);
  }
  const escaped = [...realIds.keys()].sort((a, b) => b.length - a.length).map((r) => r.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  known = escaped.length === 0 ? undefined : new RegExp(escaped.join('|'), 'g');
  return ordered.map((e) => {
    if (e.kind === 'order.placed' && e.customer !== undefined) return { ...e, customer: scrub(e.customer, undefined) as Record<string, unknown> };
    if (e.kind === 'middleware.log') return { ...e, fields: scrub(e.fields, undefined) as Record<string, unknown> };
    if (e.kind === 'http.request' && e.client !== undefined) return { ...e, client: fake('ip', e.client) };
    return e;
  });
}
