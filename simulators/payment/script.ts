/**
 * A gateway's webhook deliveries as recorded: for an order's payment event,
 * when it happened and each time it reached the middleware (copies and
 * redeliveries included). The gateway replays them at those times instead of
 * drawing its delays, duplicates and drops.
 */
import { KnobError, isPlainObject } from '../shared/knobs.ts';
import { type RecordedDeliveries, isScriptTime, readDeliveries } from '../shared/replay-script.ts';

export const SCRIPTED_PAYMENT_TYPES = ['payment.captured', 'payment.failed', 'payment.refunded'] as const;

export interface ScriptedPaymentEvent extends RecordedDeliveries {
  orderRef: string;
  type: (typeof SCRIPTED_PAYMENT_TYPES)[number];
  /** When the event happened, in ms after the run starts. */
  atMs: number;
}

const KEYS = ['orderRef', 'type', 'atMs', 'deliveredAtMs', 'retriedAtMs'];

export function readPaymentScript(where: string, value: unknown): ScriptedPaymentEvent[] {
  if (!Array.isArray(value)) throw new KnobError(`${where} must be a list of { orderRef, type, atMs, deliveredAtMs: [...] }; got ${JSON.stringify(value)}`);
  return value.map((event, i): ScriptedPaymentEvent => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(event)) throw new KnobError(`${at} must be { orderRef, type, atMs, deliveredAtMs: [...] }; got ${JSON.stringify(event)}`);
    const key = Object.keys(event).find((k) => !KEYS.includes(k));
    if (key !== undefined) throw new KnobError(`${at}.${key} is not a field of a scripted payment event; allowed fields: ${KEYS.join(', ')}`);
    if (typeof event.orderRef !== 'string' || event.orderRef === '')
      throw new KnobError(`${at}.orderRef must be the order's reference; got ${JSON.stringify(event.orderRef)}`);
    if (!(SCRIPTED_PAYMENT_TYPES as readonly unknown[]).includes(event.type))
      throw new KnobError(`${at}.type must be one of ${SCRIPTED_PAYMENT_TYPES.join(', ')}; got ${JSON.stringify(event.type)}`);
    if (!isScriptTime(event.atMs))
      throw new KnobError(`${at}.atMs must be the ms after the run's start when the event happened, 0 or more; got ${JSON.stringify(event.atMs)}`);
    return { orderRef: event.orderRef, type: event.type as ScriptedPaymentEvent['type'], atMs: event.atMs, ...readDeliveries(at, event, event.atMs) };
  });
}
