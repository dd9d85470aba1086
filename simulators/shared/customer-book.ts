/**
 * The customers a business already has, shared by the systems that know them:
 * the storefront takes their orders and the CRM keeps their accounts. Both
 * build the book from the same seed (a scenario setting, not their own rng
 * streams), so the same person is the same customer in both.
 */
import { createRng } from '../../harness/core/rng.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { type Customer, createSeededFaker, fakeCustomer } from './seeded-data.ts';

export interface CustomerBookSpec {
  seed: number;
  count: number;
  countryCode: string;
}

export function customerBook(spec: CustomerBookSpec): Customer[] {
  const faker = createSeededFaker(createRng(spec.seed).fork('customer-book'));
  const seen = new Set<string>();
  const book: Customer[] = [];
  while (book.length < spec.count) {
    const customer = fakeCustomer(faker, spec.countryCode);
    // The email is how the storefront and Odoo recognise a customer: two people must not share one.
    if (seen.has(customer.email)) continue;
    seen.add(customer.email);
    book.push(customer);
  }
  return book;
}

/**
 * The customer's email as she may type it another time: the same address in
 * other case (all capitals, all small, each part capitalised), never the
 * book's own text when another exists. Mail servers and Odoo's own
 * `find_or_create` take it for the same address.
 */
export function retypedEmail(email: string, rng: Rng): string {
  const capitalised = email.replace(/(^|[._@-])([a-z])/g, (_match, before: string, letter: string) => before + letter.toUpperCase());
  const variants = [...new Set([email.toUpperCase(), email.toLowerCase(), capitalised])].filter((variant) => variant !== email);
  return variants.length === 0 ? email : rng.pick(variants);
}
