import type { Clock } from '../../../core/clock.ts';
import { scheduleFaultSwitches } from '../../../core/fault-switches.ts';
import { isLinkFault } from '../../../core/faults.ts';
import type { FaultSpec } from '../../../core/faults.ts';
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
 * at the hosted systems through the one switch both transports use
 * (harness/core/fault-switches.ts), and records a `fault` event for them and
 * for the senders' message-level faults, whose effect the senders apply
 * themselves. Network faults are the Toxiproxy schedule's.
 */
export function scheduleSystemFaults(options: SystemFaultOptions): SystemFaultSchedule {
  const errors: Error[] = [];
  const hostOf = (system: string): SystemHost => {
    const host = options.hosts.get(system);
    if (host === undefined) throw new Error(`a fault on ${system} needs Faultline to run ${system}, which it does not in this live run`);
    return host;
  };
  const switches = scheduleFaultSwitches({
    faults: options.faults,
    elsewhere: isNetworkFault,
    horizonMs: options.horizonMs,
    clock: options.clock,
    history: options.history,
    onError: (error) => errors.push(error),
    actions: {
      crash(system, restartAfterMs) {
        const host = hostOf(system);
        // In sim a crashed process stops at once; here its async work would go on calling out until the restart.
        const restart = options.restartable.get(system);
        restart?.kill();
        host.crash(restartAfterMs, restart?.rebuild);
      },
      outage: (system, status) => hostOf(system).setOutage(status),
      skew(system, offsetMs) {
        hostOf(system);
        if (offsetMs === null) options.skew.delete(system);
        else options.skew.set(system, offsetMs);
      },
      delegate: (system, fault, on) => hostOf(system).system?.setFault?.(fault.kind, on ? fault : null) ?? false,
    },
  });
  return {
    get switchedOn() {
      return switches.switchedOn;
    },
    errors,
    stop: () => switches.stop(),
  };
}

/** Which systems a scenario's system faults need Faultline to host in-process (an external one cannot be crashed from here). */
export function systemsWithFaults(faults: readonly FaultSpec[]): Set<string> {
  const names = new Set<string>();
  for (const fault of faults) if (!isLinkFault(fault)) names.add(fault.system);
  return names;
}
