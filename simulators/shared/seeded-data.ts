/**
 * Faker driven by the run's rng, so the same seed gives the same customers.
 * Never the global `faker`: its state is shared by everything in the process.
 */
import type { Faker } from '@faker-js/faker';
import { faker as englishFaker } from '@faker-js/faker/locale/en';
import type { Rng } from '../../harness/core/rng.ts';

// faker's main entry loads all of its 70 locales (about 110 ms and 14 MiB in
// every process: each command, check worker and test file). Its English entry
// exports only a shared instance, so a fresh one is built with its class and
// its English definitions.
const FakerClass = englishFaker.constructor as new (options: { locale: Faker['rawDefinitions'] }) => Faker;

export function createSeededFaker(rng: Rng): Faker {
  const faker = new FakerClass({ locale: englishFaker.rawDefinitions });
  faker.seed(rng.int(0, 0x7fffffff));
  return faker;
}

export interface Customer {
  name: string;
  email: string;
  street: string;
  city: string;
  zip: string;
  countryCode: string;
}

// RFC 2606 domains: a middleware that really emails customers in a live run reaches nobody.
const EMAIL_DOMAINS = ['example.com', 'example.net', 'example.org'] as const;

function emailPart(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '');
}

/** Composed from faker's parts: its `streetAddress` and `email` templates cost 5× more on the hot path. */
export function fakeCustomer(faker: Faker, countryCode: string): Customer {
  const firstName = faker.person.firstName();
  const lastName = faker.person.lastName();
  return {
    name: `${firstName} ${lastName}`,
    email: `${emailPart(firstName)}.${emailPart(lastName)}${faker.number.int({ min: 1, max: 999 })}@${faker.helpers.arrayElement(EMAIL_DOMAINS)}`,
    street: `${faker.number.int({ min: 1, max: 9999 })} ${faker.location.street()}`,
    city: faker.location.city(),
    zip: faker.location.zipCode('#####'),
    countryCode,
  };
}

/** A deterministic opaque token (idempotency keys, tracking numbers) from the rng. */
export function token(rng: Rng, hexDigits: number): string {
  let out = '';
  while (out.length < hexDigits) out += rng.int(0, 0xffff).toString(16).padStart(4, '0');
  return out.slice(0, hexDigits);
}

/** `prefix` + zero-padded counter: ids that sort in creation order and read well in reports. */
export function sequentialId(prefix: string, n: number, width = 6): string {
  return prefix + String(n).padStart(width, '0');
}
