import { faultLabel } from './faults.ts';
import type { LatencyDistribution, LinkFaultSpec } from './faults.ts';
import type { Rng } from './rng.ts';

/**
 * What the active link faults do to one message, decided once, before it is
 * sent: both transports interpret a fault through this plan, so a fault means
 * the same in sim and in live mode. Sim mode applies every field; live mode
 * leaves the network-level ones (latency, bandwidth, lost requests and
 * answers, resets, a link down) to Toxiproxy and passes only the faults it
 * applies itself.
 */
export interface MessagePlan {
  /** One-way delay on the way to the receiver, in ms: the link's own plus the faults'. */
  delayMs: number;
  /** Delay of the answer on its way back, in ms. */
  returnDelayMs: number;
  /**
   * The label of the first delay or reorder fault that held the message back:
   * the history records it, so a reader of a failure sees which messages a
   * fault held and not only the time they took.
   */
  delayedBy?: string;
  /** How long the delay and reorder faults held it, in ms. */
  heldMs: number;
  /** The connection fails before the request arrives. */
  failure?: { code: 'refused' | 'reset'; reason: string };
  /** The request never arrives (the caller times out); the fault's label. */
  lost?: string;
  /** The receiver handles it, then the answer is lost; the fault's label. */
  answerLost?: string;
  /** A proxy in between answers with this status; the receiver never sees it. */
  httpError?: { status: number; fault: string };
  /** Extra copies delivered after the message, `gapMs` apart. */
  copies: number;
  gapMs: number;
  /** A tampered copy delivered just before the message. */
  forged?: Extract<LinkFaultSpec, { kind: 'forge' }>;
}

export interface PlanOptions {
  /** The request's size, for bandwidth faults. */
  bytes: () => number;
  /** Multiplies the faults' business-time delays (delay, reorder window, duplicate gap); live mode's time scale. */
  timeScale?: number;
  /** The link's own one-way delay the faults' delays add to (sim's in-process hop; 0 in live mode). */
  baseDelayMs?: number;
}

/**
 * The plan for one message. The faults are taken in order and the draws from
 * `rng` are made in that order (a probability first, then the fault's own
 * sample), so the same seed plans the same messages the same way.
 */
export function planMessage(faults: readonly LinkFaultSpec[], rng: Rng, options: PlanOptions): MessagePlan {
  const scale = options.timeScale ?? 1;
  const base = options.baseDelayMs ?? 0;
  const plan: MessagePlan = { delayMs: base, returnDelayMs: base, heldMs: 0, copies: 0, gapMs: 0 };
  for (const fault of faults) {
    const p = 'probability' in fault ? fault.probability : undefined;
    const hit = p === undefined || rng.chance(p);
    switch (fault.kind) {
      case 'latency': {
        const extra = sampleLatency(rng, fault.meanMs, fault.jitterMs ?? 0, fault.distribution ?? 'uniform');
        plan.delayMs += extra / 2;
        plan.returnDelayMs += extra / 2;
        break;
      }
      case 'bandwidth':
        plan.delayMs += (options.bytes() / fault.bytesPerSecond) * 1000;
        break;
      case 'delay':
        if (!hit) break;
        plan.delayMs += fault.ms * scale;
        plan.heldMs += fault.ms * scale;
        plan.delayedBy ??= faultLabel(fault);
        break;
      case 'reorder': {
        const hold = rng.next() * fault.windowMs * scale;
        plan.delayMs += hold;
        plan.heldMs += hold;
        plan.delayedBy ??= faultLabel(fault);
        break;
      }
      case 'link-down':
        plan.failure ??= { code: 'refused', reason: `link down (${faultLabel(fault)})` };
        break;
      case 'reset':
        if (hit) plan.failure ??= { code: 'reset', reason: `connection reset (${faultLabel(fault)})` };
        break;
      case 'timeout':
      case 'drop':
        if (hit) plan.lost ??= faultLabel(fault);
        break;
      case 'http-error':
        if (hit) plan.httpError ??= { status: fault.status, fault: faultLabel(fault) };
        break;
      case 'response-lost':
        if (hit) plan.answerLost ??= faultLabel(fault);
        break;
      case 'duplicate':
        if (hit) {
          plan.copies = Math.max(plan.copies, fault.copies ?? 1);
          plan.gapMs = Math.max(plan.gapMs, (fault.gapMs ?? 0) * scale);
        }
        break;
      case 'forge':
        if (hit) plan.forged ??= fault;
        break;
    }
  }
  return plan;
}

function sampleLatency(rng: Rng, meanMs: number, jitterMs: number, distribution: LatencyDistribution): number {
  let value: number;
  switch (distribution) {
    case 'uniform':
      value = meanMs + (rng.next() * 2 - 1) * jitterMs;
      break;
    case 'normal':
      value = rng.normal(meanMs, jitterMs);
      break;
    case 'exponential':
      value = rng.exponential(meanMs);
      break;
  }
  return Math.max(0, value);
}
