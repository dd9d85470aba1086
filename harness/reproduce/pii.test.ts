import { describe, expect, it } from 'vitest';
import type { EvidenceEvent } from './evidence.ts';
import { pseudonymise } from './pii.ts';

const at = Date.parse('2026-11-27T14:00:00Z');
const placed = (ref: string, offsetMs: number, customer: Record<string, unknown>): EvidenceEvent => ({
  kind: 'order.placed',
  system: 'capture',
  file: 'orders.json',
  line: offsetMs / 1000 + 1,
  at: at + offsetMs,
  orderRef: ref,
  lines: [{ sku: 'FL-STOCK-01', quantity: 1, unitPrice: 24.99 }],
  attempts: [],
  customer,
});
const logged = (ref: string, offsetMs: number, fields: Record<string, unknown>): EvidenceEvent => ({
  kind: 'middleware.log',
  system: 'middleware',
  file: 'middleware.jsonl',
  line: offsetMs / 1000 + 1,
  at: at + offsetMs,
  orderRef: ref,
  event: 'order.accepted',
  level: 'info',
  fields,
});

const evidence: EvidenceEvent[] = [
  placed('A', 0, {
    name: 'Ada Lovelace',
    email: 'ada@lovelace.example',
    address: { street: '12 Analytical Row', city: 'London', zip: 'NW1 6XE' },
    phone: '+44 20 7946 0000',
  }),
  placed('B', 1000, { name: 'Grace Hopper', email: 'grace@hopper.example', city: 'Arlington' }),
  logged('A', 2000, {
    customer_email: 'ADA@lovelace.example',
    note: 'Ada Lovelace asked to ship to 12 Analytical Row; reply to ada@lovelace.example',
    odoo_order_id: 7,
  }),
  {
    kind: 'http.request',
    system: 'http',
    file: 'access.log',
    line: 1,
    at: at + 3000,
    orderRef: 'A',
    method: 'POST',
    path: '/orders',
    status: 202,
    client: '81.2.69.160',
  },
  logged('B', 4000, { name: 'Grace Hopper' }),
];

const text = (events: readonly EvidenceEvent[]): string => JSON.stringify(events);

describe('personal data in the evidence', () => {
  it('is replaced everywhere it appears, in its own field or inside a message, and nothing else is', () => {
    const out = text(pseudonymise(evidence));
    for (const real of [
      'Ada Lovelace',
      'ada@lovelace.example',
      'ADA@lovelace.example',
      '12 Analytical Row',
      'London',
      'NW1 6XE',
      '+44 20 7946 0000',
      'Grace Hopper',
      'grace@hopper.example',
      'Arlington',
      '81.2.69.160',
    ]) {
      expect(out, real).not.toContain(real);
    }
    expect(out).toContain('"odoo_order_id":7');
    expect(out).toContain('"orderRef":"A"');
  });

  it('gives the same real value the same fake throughout, and different values different fakes', () => {
    const [a, b, logA, request, logB] = pseudonymise(evidence) as Array<
      EvidenceEvent & { customer?: Record<string, string>; fields?: Record<string, string>; client?: string }
    >;
    expect(logB!.fields!.name).toBe(b!.customer!.name);
    // The same address whatever its case: an email's letters do not make it another person.
    expect(logA!.fields!.customer_email).toBe(a!.customer!.email);
    const street = (a!.customer!.address as unknown as Record<string, string>).street;
    expect(logA!.fields!.note).toBe(`${a!.customer!.name} asked to ship to ${street}; reply to ${a!.customer!.email}`);
    expect(a!.customer!.name).not.toBe(b!.customer!.name);
    expect(a!.customer!.email).not.toBe(b!.customer!.email);
    expect(a!.customer!.email).toMatch(/^[a-z0-9.]+@example\.(com|net|org)$/);
    expect(request!.client).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$/);
  });

  it('draws the fakes from the seed: the same evidence and seed give the same fakes, another seed others', () => {
    expect(text(pseudonymise(evidence, { seed: 7 }))).toBe(text(pseudonymise(evidence, { seed: 7 })));
    expect(text(pseudonymise(evidence, { seed: 7 }))).not.toBe(text(pseudonymise(evidence, { seed: 8 })));
  });
});
