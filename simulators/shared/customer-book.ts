/**
 * The customers a business already has, shared by the systems that know them:
 * the storefront takes their orders and the CRM keeps their accounts. Both
 * build the book from the same seed (a scenario setting, not their own rng
 * streams), so the same person is the same customer in both.
 */
import { createRng } from '../../harness/core/rng.ts';
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
