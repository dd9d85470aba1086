import { describe, expect, it } from 'vitest';
import { scheduleFaultSwitches } from './fault-switches.ts';
import type { SystemFaultActions } from './fault-switches.ts';
import type { FaultSpec } from './faults.ts';
import { History } from './history.ts';
import { VirtualScheduler } from './scheduler.ts';

function recordingActions(known = true): { actions: SystemFaultActions; log: string[] } {
  const log: string[] = [];
  return {
    log,
    actions: {
      crash: (system, restartAfterMs) => log.push(`crash ${system} ${restartAfterMs}`),
      outage: (system, status) => log.push(`outage ${system} ${status}`),
      skew: (system, offsetMs) => log.push(`skew ${system} ${offsetMs}`),
      delegate: (system, fault, on) => {
        log.push(`${fault.kind} ${system} ${on}`);
        return known;
      },
    },
  };
}

function schedule(faults: FaultSpec[], actions: SystemFaultActions, onError?: (error: Error) => void) {
  const scheduler = new VirtualScheduler(0);
  const history = new History(() => scheduler.now());
  const switches = scheduleFaultSwitches({ faults, horizonMs: 60_000, clock: scheduler, history, actions, ...(onError !== undefined && { onError }) });
  return { scheduler, history, switches };
}

describe('the fault switch', () => {
  it('switches each system fault on and off at its window, recording every edge', () => {
    const { actions, log } = recordingActions();
    const { scheduler, history, switches } = schedule(
      [
        { system: 'odoo', kind: 'outage', status: 502, schedule: { kind: 'window', fromMs: 1_000, toMs: 2_000 } },
        { system: 'middleware', kind: 'clock-skew', offsetMs: 5_000, schedule: { kind: 'window', fromMs: 500, toMs: 3_000 } },
        { system: 'middleware', kind: 'crash', restartAfterMs: 250, schedule: { kind: 'window', fromMs: 1_500, toMs: 1_501 } },
      ],
      actions,
    );
    while (scheduler.runNextInstant(Number.POSITIVE_INFINITY));
    expect(log).toEqual(['skew middleware 5000', 'outage odoo 502', 'crash middleware 250', 'outage odoo null', 'skew middleware null']);
    expect(
      history
        .toArray()
        .filter((e) => e.kind === 'fault')
        .map((e) => `${e.t} ${e.kind === 'fault' && e.state}`),
    ).toEqual(['500 on', '1000 on', '1500 on', '1501 off', '2000 off', '3000 off']);
    expect(switches.switchedOn).toBe(3);
  });

  it('records a message-level fault without acting on any system', () => {
    const { actions, log } = recordingActions();
    const { history, switches } = schedule([{ link: { to: 'odoo' }, kind: 'duplicate', copies: 1 }], actions);
    expect(log).toEqual([]);
    expect(history.toArray()).toMatchObject([{ kind: 'fault', state: 'on', target: '*->odoo' }]);
    expect(switches.switchedOn).toBe(1);
  });

  it('says which system does not know a fault it was handed, to onError when given', () => {
    const { actions } = recordingActions(false);
    const errors: Error[] = [];
    schedule([{ system: 'payment', kind: 'serialization-failure', probability: 0.5 }], actions, (error) => errors.push(error));
    expect(errors.map((e) => e.message)).toEqual(['system "payment" does not support the fault "serialization-failure"']);
    expect(() => schedule([{ system: 'payment', kind: 'serialization-failure', probability: 0.5 }], actions)).toThrow(/does not support/);
  });

  it('switches nothing more once stopped', () => {
    const { actions, log } = recordingActions();
    const { scheduler, switches } = schedule([{ system: 'odoo', kind: 'outage', schedule: { kind: 'window', fromMs: 1_000, toMs: 2_000 } }], actions);
    switches.stop();
    while (scheduler.runNextInstant(Number.POSITIVE_INFINITY));
    expect(log).toEqual([]);
  });
});
