import type { Cancel, Clock } from '../../../core/clock.ts';
import { faultLabel, faultTarget, isLinkFault, scheduleEdges } from '../../../core/faults.ts';
import type { FaultSpec, SystemFaultSpec } from '../../../core/faults.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import { isNetworkFault } from './live-links.ts';
import type { Restartable } from '../live-world.ts';
import type { SystemHost } from '../processes/system-host.ts';

export interface SystemFaultOptions {
  /** The scenario's faults; network ones are left to the Toxiproxy schedule. */
  faults: readonly FaultSpec[];
  hosts: ReadonlyMap<string, SystemHost>;
  /** Clock offsets per system, read by each system's clock. */
  skew: Map<string, number>;
  /** The systems that restart from their durable store (the middleware): killed at the crash, built anew at the restart. */
  restartable: ReadonlyMap<string, Restartable>;
  history: HistoryWriter;
  clock: Clock;
  horizonMs: number;
}

export interface SystemFaultSchedule {
  /** Fault switches so far (each `on`). */
  readonly switchedOn: number;
  readonly errors: readonly Error[];
  stop(): void;
}

/**
 * Switches system faults (outage, crash, clock skew, serialization failures)
 * on the scenario's schedules, as the sim world does, and records a `fault`
 * event for them and for the senders' message-level faults, whose effect the
 * senders apply themselves.
 */
export function scheduleSystemFaults(options: SystemFaultOptions): SystemFaultSchedule {
  const { history, clock } = options;
  const timers: Cancel[] = [];
  const errors: Error[] = [];
  let switchedOn = 0;
  for (const fault of options.faults) {
    if (isNetworkFault(fault)) continue;
    const label = faultLabel(fault);
    const target = faultTarget(fault);
    for (const edge of scheduleEdges(fault.schedule, options.horizonMs)) {
      if (edge.atMs >= options.horizonMs) continue;
      const record = (): void => {
        history.append({ kind: 'fault', fault: label, state: edge.on ? 'on' : 'off', target });
        if (edge.on) switchedOn++;
        if (isLinkFault(fault)) return;
        try {
          switchSystemFault(options, fault, edge.on);
        } catch (error) {
          errors.push(error as Error);
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
    errors,
    stop() {
      for (const cancel of timers) cancel();
      timers.length = 0;
    },
  };
}

function switchSystemFault(options: SystemFaultOptions, fault: SystemFaultSpec, on: boolean): void {
  const host = options.hosts.get(fault.system);
  if (host === undefined) throw new Error(`system fault ${faultLabel(fault)}: ${fault.system} is not run by Faultline in this live run`);
  switch (fault.kind) {
    case 'crash':
      if (on) {
        // In sim a crashed process stops at once; here its async work would go on calling out until the restart.
        const restart = options.restartable.get(fault.system);
        restart?.kill();
        host.crash(fault.restartAfterMs, restart?.rebuild);
      }
      break;
    case 'outage':
      host.setOutage(on ? (fault.status ?? 503) : null);
      break;
    case 'clock-skew':
      if (on) options.skew.set(fault.system, fault.offsetMs);
      else options.skew.delete(fault.system);
      break;
    case 'serialization-failure': {
      const known = host.system?.setFault?.(fault.kind, on ? fault : null) ?? false;
      if (!known) throw new Error(`system "${fault.system}" does not support the fault "${fault.kind}"`);
      break;
    }
  }
}

/** Which systems a scenario's system faults need Faultline to host in-process (an external one cannot be crashed from here). */
export function systemsWithFaults(faults: readonly FaultSpec[]): Set<string> {
  const names = new Set<string>();
  for (const fault of faults) if (!isLinkFault(fault)) names.add(fault.system);
  return names;
}
