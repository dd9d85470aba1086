import type { Cancel, Clock } from '../../../core/clock.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import type { LinkProxy, NetworkFault } from './toxiproxy.ts';
import { toxicFor } from './toxiproxy.ts';
import { wallClock } from '../../../core/wall-clock.ts';

export interface ScheduledNetworkFault {
  /** Names the fault in the history (`fault` events) and on the proxy; unique per schedule. */
  id: string;
  /** The link's name, as given to createLinkProxies. */
  link: string;
  /** How the history names the fault (`fault` events) when several scheduled items stand for one scenario fault; the id unless set. */
  label?: string;
  fault: NetworkFault;
  /** When it switches on, in ms after the schedule starts. */
  startMs: number;
  /** When it switches off, in ms after the schedule starts; omitted: on until stop(). */
  endMs?: number;
}

export interface NetworkFaultSchedule {
  /** Switches that failed (Toxiproxy refused or hung); the run should report them. */
  readonly errors: readonly Error[];
  /** Settles once every scheduled switch has happened (faults without an end are then still on). */
  readonly done: Promise<void>;
  /** Cancels pending switches and switches every fault that is on off again. */
  stop(): Promise<void>;
}

export interface ScheduleOptions {
  links: readonly LinkProxy[];
  faults: readonly ScheduledNetworkFault[];
  history: HistoryWriter;
  /** Real time unless a test passes another clock. */
  clock?: Clock;
}

/**
 * Switches network faults on and off on a real-time schedule, starting now,
 * and records each switch as a `fault` event once it is in effect.
 */
export function scheduleNetworkFaults(options: ScheduleOptions): NetworkFaultSchedule {
  const clock = options.clock ?? wallClock;
  const links = new Map(options.links.map((link) => [link.name, link]));
  const ids = new Set<string>();
  for (const item of options.faults) {
    const where = `scheduled fault ${JSON.stringify(item.id)}`;
    if (typeof item.id !== 'string' || item.id === '') throw new RangeError('every scheduled fault needs an id (a non-empty string naming it in the history)');
    if (ids.has(item.id)) throw new RangeError(`${where} appears twice; give each scheduled fault its own id`);
    ids.add(item.id);
    if (!links.has(item.link))
      throw new RangeError(`${where} targets link ${JSON.stringify(item.link)}, which has no proxy; known links: ${[...links.keys()].join(', ') || 'none'}`);
    if (!(Number.isFinite(item.startMs) && item.startMs >= 0))
      throw new RangeError(`${where}: startMs must be a non-negative number, got ${String(item.startMs)}`);
    if (item.endMs !== undefined && !(Number.isFinite(item.endMs) && item.endMs > item.startMs)) {
      throw new RangeError(`${where}: endMs must be after startMs (${item.startMs}), got ${String(item.endMs)}`);
    }
    toxicFor(item.fault);
  }

  const errors: Error[] = [];
  const timers: Cancel[] = [];
  const on = new Set<ScheduledNetworkFault>();
  const pending: Promise<void>[] = [];
  let stopped = false;

  const inflight = new Set<Promise<void>>();
  const switchOn = (item: ScheduledNetworkFault): Promise<void> => {
    if (stopped) return Promise.resolve();
    const work = (async () => {
      try {
        await links.get(item.link)!.applyFault(item.id, item.fault);
        on.add(item);
        options.history.append({ kind: 'fault', fault: item.label ?? item.id, state: 'on', target: item.link });
      } catch (error) {
        errors.push(error as Error);
      }
    })();
    inflight.add(work);
    void work.then(() => inflight.delete(work));
    return work;
  };
  const switchOff = async (item: ScheduledNetworkFault) => {
    if (!on.has(item)) return;
    on.delete(item);
    try {
      await links.get(item.link)!.removeFault(item.id);
      options.history.append({ kind: 'fault', fault: item.label ?? item.id, state: 'off', target: item.link });
    } catch (error) {
      errors.push(error as Error);
    }
  };

  for (const item of options.faults) {
    // Each switch is a promise `done` waits for; the off switch waits for its own on switch.
    let onDone!: Promise<void>;
    pending.push(
      new Promise<void>((resolve) => {
        timers.push(
          clock.setTimer(item.startMs, () => {
            onDone = switchOn(item);
            void onDone.then(resolve);
          }),
        );
        timers.push(() => resolve());
      }),
    );
    if (item.endMs !== undefined) {
      pending.push(
        new Promise<void>((resolve) => {
          timers.push(
            clock.setTimer(item.endMs!, () => {
              void Promise.resolve(onDone)
                .then(() => switchOff(item))
                .then(resolve);
            }),
          );
          timers.push(() => resolve());
        }),
      );
    }
  }
  const done = Promise.all(pending).then(() => undefined);

  return {
    errors,
    done,
    async stop() {
      stopped = true;
      for (const cancel of timers) cancel();
      // A switch already under way finishes first, so nothing is left on behind our back.
      await Promise.all([...inflight]);
      await Promise.all([...on].map((item) => switchOff(item)));
    },
  };
}
