import type { FaultSchedule, FaultSpec } from '../core/faults.ts';
import { SYSTEM_FAULT_EARLIEST_MS } from './earliest.ts';

/** Below these a fault does next to nothing, so shrinking stops there. */
const MIN_PROBABILITY = 0.01;
const MIN_MS = 10;

function halfProbability(p: number | undefined): number | undefined {
  const current = p ?? 1;
  const half = Math.round((current / 2) * 100) / 100;
  return half >= MIN_PROBABILITY && half < current ? half : undefined;
}

function halfMs(ms: number): number | undefined {
  const half = Math.round(ms / 2);
  return half >= MIN_MS && half < ms ? half : undefined;
}

/** The same window, earlier: a failure that needs fewer orders to reach it. */
function earlier(schedule: FaultSchedule | undefined, earliestMs: number): FaultSchedule | undefined {
  if (schedule?.kind !== 'window') return undefined;
  const fromMs = Math.max(earliestMs, Math.round(schedule.fromMs / 2));
  if (schedule.fromMs - fromMs < MIN_MS) return undefined;
  return { kind: 'window', fromMs, toMs: schedule.toMs - (schedule.fromMs - fromMs) };
}

function shorter(schedule: FaultSchedule | undefined): FaultSchedule | undefined {
  if (schedule?.kind === 'window') {
    const half = halfMs(schedule.toMs - schedule.fromMs);
    return half === undefined ? undefined : { kind: 'window', fromMs: schedule.fromMs, toMs: schedule.fromMs + half };
  }
  if (schedule?.kind === 'periodic') {
    const half = halfMs(schedule.forMs);
    return half === undefined ? undefined : { ...schedule, forMs: half };
  }
  return undefined;
}

/**
 * Weaker versions of a fault the scenario itself declared: lower probability,
 * smaller magnitude, shorter or earlier window. Each candidate is strictly
 * smaller on one measure bounded below, so repeated shrinking always ends.
 */
export function weakerFaults(fault: FaultSpec): FaultSpec[] {
  const candidates: FaultSpec[] = [];
  const withField = (patch: Record<string, unknown>): void => {
    candidates.push({ ...fault, ...patch } as FaultSpec);
  };
  if ('probability' in fault || ['timeout', 'reset', 'http-error', 'response-lost', 'duplicate', 'drop'].includes(fault.kind)) {
    const p = halfProbability((fault as { probability?: number }).probability);
    if (p !== undefined) withField({ probability: p });
  }
  switch (fault.kind) {
    case 'latency': {
      const mean = halfMs(fault.meanMs);
      if (mean !== undefined) withField({ meanMs: mean });
      if ((fault.jitterMs ?? 0) > 0) withField({ jitterMs: 0 });
      break;
    }
    case 'delay': {
      const ms = halfMs(fault.ms);
      if (ms !== undefined) withField({ ms });
      break;
    }
    case 'reorder': {
      const windowMs = halfMs(fault.windowMs);
      if (windowMs !== undefined) withField({ windowMs });
      break;
    }
    case 'duplicate':
      if ((fault.copies ?? 1) > 1) withField({ copies: 1 });
      break;
    case 'crash': {
      const restartAfterMs = halfMs(fault.restartAfterMs);
      if (restartAfterMs !== undefined) withField({ restartAfterMs });
      break;
    }
    case 'clock-skew': {
      const offsetMs = Math.trunc(fault.offsetMs / 2);
      if (Math.abs(offsetMs) >= MIN_MS) withField({ offsetMs });
      break;
    }
  }
  const schedule = shorter(fault.schedule);
  if (schedule !== undefined) withField({ schedule });
  const moved = earlier(fault.schedule, 'system' in fault ? SYSTEM_FAULT_EARLIEST_MS : 0);
  if (moved !== undefined) withField({ schedule: moved });
  return candidates;
}
