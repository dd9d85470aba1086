/**
 * A gateway's webhook deliveries as recorded: for an order's payment event,
 * when it happened and each time it reached the middleware (copies and
 * redeliveries included). The gateway replays them at those times instead of
 * drawing its delays, duplicates and drops.
 */
import { KnobError, isPlainObject } from '../shared/knobs.ts';

export const SCRIPTED_PAYMENT_TYPES = ['payment.captured', 'payment.failed', 'payment.refunded'] as const;

export interface ScriptedPaymentEvent {
  orderRef: string;
  type: (typeof SCRIPTED_PAYMENT_TYPES)[number];
  /** When the event happened, in ms after the run starts. */
  atMs: number;
  /** When each delivery reached the middleware, in ms after the run starts: two entries are a duplicate. */
  deliveredAtMs: readonly number[];
}

const KEYS = ['orderRef', 'type', 'atMs', 'deliveredAtMs'];
const time = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

export function readPaymentScript(where: string, value: unknown): ScriptedPaymentEvent[] {
  if (!Array.isArray(value)) throw new KnobError(`${where} must be a list of { orderRef, type, atMs, deliveredAtMs: [...] }; got ${JSON.stringify(value)}`);
  return value.map((event, i): ScriptedPaymentEvent => {
    const at = `${where}[${i}]`;
    if (!isPlainObject(event)) throw new KnobError(`${at} must be { orderRef, type, atMs, deliveredAtMs: [...] }; got ${JSON.stringify(event)}`);
    const key = Object.keys(event).find((k) => !KEYS.includes(k));
    if (key !== undefined) throw new KnobError(`${at}.${key} is not a field of a scripted payment event; allowed fields: ${KEYS.join(', ')}`);
    if (typeof event.orderRef !== 'string' || event.orderRef === '') throw new KnobError(`${at}.orderRef must be the order's reference; got ${JSON.stringify(event.orderRef)}`);
    if (!(SCRIPTED_PAYMENT_TYPES as readonly unknown[]).includes(event.type)) throw new KnobError(`${at}.type must be one of ${SCRIPTED_PAYMENT_TYPES.join(', ')}; got ${JSON.stringify(event.type)}`);
    if (!time(event.atMs)) throw new KnobError(`${at}.atMs must be the ms after the run's start when the event happened, 0 or more; got ${JSON.stringify(event.atMs)}`);
    const deliveries = event.deliveredAtMs;
    if (!Array.isArray(deliveries) || !deliveries.every(time)) throw new KnobError(`${at}.deliveredAtMs must be a list of times (ms after the run's start), one per delivery; [] for an event never delivered; got ${JSON.stringify(deliveries)}`);
    const early = (deliveries as number[]).findIndex((d) => d < (event.atMs as number));
    if (early >= 0) throw new KnobError(`${at}.deliveredAtMs[${early}] (${deliveries[early]}) is before the event happened (atMs ${event.atMs}): a delivery cannot precede its event; check the two sources' clocks`);
    return { orderRef: event.orderRef, type: event.type as ScriptedPaymentEvent['type'], atMs: event.atMs as number, deliveredAtMs: [...(deliveries as number[])] };
  });
}
