import type { Cancel, Clock } from './clock.ts';
import { faultLabel, faultTarget, isLinkFault, scheduleEdges } from './faults.ts';
import type { FaultSpec, SystemFaultSpec } from './faults.ts';
import type { HistoryWriter } from './history.ts';

/** What a transport does to one of its systems when a system fault switches. */
export interface SystemFaultActions {
  /** Kills the system now and brings it back `restartAfterMs` later. */
  crash(system: string, restartAfterMs: number): void;
  /** Answers every call with `status` at the system's door; null ends the outage. */
  outage(system: string, status: number | null): void;
  /** Shifts the system's clock by `offsetMs`; null puts it back. */
  skew(system: string, offsetMs: number | null): void;
  /** Hands the system a fault it applies itself (serialization failures); false when it does not know the kind. */
  delegate(system: string, fault: SystemFaultSpec, on: boolean): boolean;
}

export interface FaultSwitchOptions {
  faults: readonly FaultSpec[];
  /** Faults another part of the transport schedules and records itself (live mode's Toxiproxy schedule). */
  elsewhere?: (fault: FaultSpec) => boolean;
  horizonMs: number;
  clock: Clock;
  history: HistoryWriter;
  actions: SystemFaultActions;
  /** Where a switch that failed goes; without it the error is thrown from the timer that switched. */
  onError?: (error: Error) => void;
}

export interface FaultSwitches {
  /** Edges switched on so far. */
  readonly switchedOn: number;
  /** Cancels the switches still to come. */
  stop(): void;
}

/**
 * The one switch of faults for both transports: each fault's edges on its
 * schedule, counted from now, each recorded as a `fault` event, and a system
 * fault's edge applied through the transport's actions. A message-level fault
 * is only recorded here; the sender's plan (message-plan.ts) reads its
 * schedule itself. Edges are daemon timers: a fault switching on later must
 * not keep a finished run alive.
 */
export function scheduleFaultSwitches(options: FaultSwitchOptions): FaultSwitches {
  const { history, clock, actions } = options;
  const timers: Cancel[] = [];
  let switchedOn = 0;
  for (const fault of options.faults) {
    if (options.elsewhere?.(fault) === true) continue;
    const label = faultLabel(fault);
    const target = faultTarget(fault);
    for (const edge of scheduleEdges(fault.schedule, options.horizonMs)) {
      const record = (): void => {
        history.append({ kind: 'fault', fault: label, state: edge.on ? 'on' : 'off', target });
        if (edge.on) switchedOn++;
        if (isLinkFault(fault)) return;
        try {
          switchSystemFault(actions, fault, edge.on);
        } catch (error) {
          if (options.onError === undefined) throw error;
          options.onError(error as Error);
        }
      };
      if (edge.atMs <= 0) record();
      else timers.push(clock.setTimer(edge.atMs, record, { daemon: true }));
    }
  }
  return {
    get switchedOn() {
      return switchedOn;
    },
    stop() {
      for (const cancel of timers.splice(0)) cancel();
    },
  };
}

function switchSystemFault(actions: SystemFaultActions, fault: SystemFaultSpec, on: boolean): void {
  switch (fault.kind) {
    case 'crash':
      if (on) actions.crash(fault.system, fault.restartAfterMs);
      break;
    case 'outage':
      actions.outage(fault.system, on ? (fault.status ?? 503) : null);
      break;
    case 'clock-skew':
      actions.skew(fault.system, on ? fault.offsetMs : null);
      break;
    case 'serialization-failure':
      if (!actions.delegate(fault.system, fault, on)) throw new Error(`system "${fault.system}" does not support the fault "${fault.kind}"`);
      break;
  }
}
