import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceError } from './evidence.ts';
import { readEvidenceFile, readEvidenceText } from './read-evidence.ts';

const samples = join(import.meta.dirname, '..', '..', 'examples', 'incident', 'samples');
const read = (name: string) => readEvidenceFile(join(samples, name), name);
const ignored = (r: Awaited<ReturnType<typeof read>>) => r.ignored.map((i) => `${i.file}:${i.line}: ${i.reason}`);

describe('evidence readers on the committed samples', () => {
  it('reads Stripe events, citing the line each event starts on, and names the event that carries no order', async () => {
    const r = await read('stripe-events.json');
    expect(r.format).toBe('stripe-events');
    expect(r.events.map((e) => [e.line, e.kind === 'payment.event' && e.eventId, e.orderRef, e.kind === 'payment.event' && e.amount])).toEqual([
      [4, 'evt_3PqA1', 'SHOP-1001', 49.99],
      [11, 'evt_3PqA1', 'SHOP-1001', 49.99],
    ]);
    expect(new Date(r.events[0]!.at).toISOString()).toBe('2026-11-27T14:02:10.000Z');
    expect(ignored(r)).toEqual(['stripe-events.json:19: event evt_3PqA9 names no order (data.object.metadata.order_ref): it cannot be joined to an order']);
  });

  it('reads generic payment JSON Lines with zoned times and lists the broken and the unjoinable lines', async () => {
    const r = await read('payment-events.jsonl');
    expect(r.format).toBe('payment-jsonl');
    expect(r.events.map((e) => new Date(e.at).toISOString())).toEqual(['2026-11-27T14:02:10.000Z', '2026-11-27T14:02:10.000Z']);
    expect(ignored(r)).toHaveLength(2);
    expect(ignored(r)[0]).toMatch(/^payment-events\.jsonl:3: not valid JSON/);
    expect(ignored(r)[1]).toBe('payment-events.jsonl:4: no order_ref (looked for order_ref, orderRef)');
  });

  it('reads the 3PL feed as CSV and says why an unknown status and a short row are not used', async () => {
    const r = await read('3pl-status.csv');
    expect(r.format).toBe('3pl-csv');
    expect(r.events.map((e) => e.kind === 'shipment.status' && `${e.shipmentId} ${e.status} #${e.sequence}`)).toEqual([
      'SHP-77 picked #1',
      'SHP-77 packed #2',
      'SHP-77 shipped #3',
    ]);
    expect(ignored(r)).toEqual([
      '3pl-status.csv:5: status "teleported" is not one Faultline knows (created, picked, packed, shipped, in_transit, out_for_delivery, delivered, exception, returned, cancelled)',
      '3pl-status.csv:6: has 5 fields where the header has 7',
    ]);
  });

  it('reads the 3PL feed as JSON Lines', async () => {
    const r = await read('3pl-status.jsonl');
    expect(r.format).toBe('3pl-jsonl');
    expect(r.events).toHaveLength(2);
    expect(ignored(r)).toEqual(['3pl-status.jsonl:3: no order_ref (looked for order_ref, orderRef, reference)']);
  });

  it('reads the capture export as JSON with its attempts, and names an order without lines', async () => {
    const r = await read('capture-orders.json');
    expect(r.format).toBe('capture-json');
    const order = r.events[0]!;
    expect(order.kind === 'order.placed' && order.attempts.map((a) => a.outcome)).toEqual(['no_answer', 'ok']);
    expect(ignored(r)).toEqual(['capture-orders.json:13: order SHOP-1002 has no lines']);
  });

  it('reads the capture export as CSV, one row per line with quoted fields, and says zoneless times were read as UTC', async () => {
    const r = await read('capture-orders.csv');
    expect(r.format).toBe('capture-csv');
    expect(r.events.map((e) => e.kind === 'order.placed' && `${e.orderRef}: ${e.lines.map((l) => `${l.quantity} ${l.sku}`).join(', ')}`)).toEqual([
      'SHOP-1001: 1 LAMP-RED, 2 TAPE',
      'SHOP-1002: 1 CHAIR, OFFICE',
    ]);
    expect(ignored(r)).toEqual([
      'capture-orders.csv:5: created_at "yesterday" is not a time Faultline reads (ISO 8601, epoch seconds or ms, or 10/Oct/2026:13:55:36 -0500)',
    ]);
    expect(r.notes).toEqual(['2 timestamps carry no zone and were read as UTC; if the source logs local time, convert it or add the offset']);
  });

  it('reads a combined access log with $request_time in its own zone, and names the line that is not in the format', async () => {
    const r = await read('access.log');
    expect(r.format).toBe('access-combined');
    expect(
      r.events.map(
        (e) => e.kind === 'http.request' && `${new Date(e.at).toISOString()} ${e.method} ${e.path} ${e.status} ${e.requestTimeMs ?? '-'} ${e.orderRef ?? '-'}`,
      ),
    ).toEqual([
      '2026-11-27T14:02:00.000Z POST /orders 201 12 SHOP-1001',
      '2026-11-27T14:02:11.000Z POST /orders 201 10 SHOP-1001',
      '2026-11-27T14:02:41.000Z POST /webhooks/payment 200 - -',
    ]);
    expect(ignored(r)[0]).toMatch(/^access\.log:4: not in combined log format/);
    expect(r.notes).toEqual(['1 line carries no $request_time: latency cannot be judged from them (add $request_time to log_format)']);
  });

  it('reads a JSON access log', async () => {
    const r = await read('odoo-access.jsonl');
    expect(r.format).toBe('access-json');
    expect(r.events.map((e) => e.kind === 'http.request' && e.status)).toEqual([503, 503, 503, 200]);
    expect(ignored(r)).toEqual(['odoo-access.jsonl:5: no status']);
  });

  it('reads the middleware log and names the line without a correlation id', async () => {
    const r = await read('middleware.jsonl');
    expect(r.format).toBe('middleware-jsonl');
    expect(r.events.map((e) => e.kind === 'middleware.log' && `${e.event} ${e.orderRef}`)).toEqual([
      'order.accepted SHOP-1001',
      'order.accepted SHOP-1001',
      'invoice.posted SHOP-1001',
    ]);
    expect(ignored(r)).toEqual([
      'middleware.jsonl:4: "odoo slow" carries no correlation id (correlation_id): it cannot be joined to an order; log one on every line',
    ]);
  });

  it('refuses a file in no known format, naming the file, the line and what is supported', () => {
    expect(() => readEvidenceText('notes.txt', '\nwe think it broke around 14:00\n')).toThrow(EvidenceError);
    expect(() => readEvidenceText('notes.txt', '\nwe think it broke around 14:00\n')).toThrow(
      /^notes\.txt:2: its first line is "we think it broke around 14:00", which is no evidence format Faultline reads; supported:/,
    );
    expect(() => readEvidenceText('data.csv', 'a,b\n1,2\n')).toThrow(/^data\.csv:1: its CSV header is a,b/);
    expect(() => readEvidenceText('empty.jsonl', '')).toThrow(/^empty\.jsonl:1: the file is empty/);
  });

  it('refuses a missing file by name', async () => {
    await expect(readEvidenceFile(join(samples, 'nope.jsonl'), 'nope.jsonl')).rejects.toThrow(/^nope\.jsonl:0: no such file/);
  });
});
