import type { SystemFactory } from '../core/system.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { createAnalyticsSink } from '../../simulators/analytics/index.ts';
import { createCaptureSimulator } from '../../simulators/capture/index.ts';
import { createCrmSimulator } from '../../simulators/crm/index.ts';
import { createLogisticsProvider } from '../../simulators/logistics/index.ts';
import { createOdooEmulator } from '../../simulators/odoo/index.ts';
import { createPaymentGateway } from '../../simulators/payment/index.ts';

/** The simulated systems Faultline ships, by the name scenarios, URLs and ledgers use. */
export type SimulatedSystem = 'odoo' | 'payment' | 'logistics' | 'capture' | 'crm' | 'analytics';

export interface SystemEntry {
  name: SimulatedSystem;
  /** Builds the system from the knobs `systemConfigs` resolved for it. */
  factory: (config: Readonly<Record<string, unknown>>) => SystemFactory;
  /** In the run only when the scenario sets its knobs (even to `{}`): the built-in worlds stay as they were. */
  optIn: boolean;
  /** Its cadences are business time, which live mode compresses by the time scale. */
  businessTime: boolean;
}

const entry = (name: SimulatedSystem, factory: SystemFactory, flags: { optIn?: boolean; businessTime?: boolean } = {}): SystemEntry => ({
  name,
  factory: () => factory,
  optIn: flags.optIn ?? false,
  businessTime: flags.businessTime ?? false,
});

/**
 * Every simulated system, in the order a run starts them: a system before
 * those that call it. The middleware under test starts after the systems it
 * calls and before the load that calls it (`MIDDLEWARE_STARTS_BEFORE`). Sim
 * mode, live mode and `faultline serve` all build their systems from this
 * one list.
 */
export const SYSTEMS: readonly SystemEntry[] = [
  { name: 'odoo', factory: (config) => (context) => createOdooEmulator(context, config), optIn: false, businessTime: false },
  entry('payment', createPaymentGateway, { businessTime: true }),
  entry('logistics', createLogisticsProvider, { businessTime: true }),
  entry('analytics', createAnalyticsSink, { optIn: true }),
  entry('capture', createCaptureSimulator),
  entry('crm', createCrmSimulator, { optIn: true, businessTime: true }),
];

/** The first system that calls the middleware: it starts after the middleware. */
export const MIDDLEWARE_STARTS_BEFORE: SimulatedSystem = 'capture';

/** Every system of a run, the middleware included, in start order. */
export const START_ORDER = SYSTEMS.flatMap((system) => (system.name === MIDDLEWARE_STARTS_BEFORE ? ['middleware' as const, system.name] : [system.name]));

/** The systems a scenario's run has, in start order. */
export function systemsOf(scenario: Scenario): SystemEntry[] {
  return SYSTEMS.filter((system) => !system.optIn || scenario.systems?.[system.name] !== undefined);
}

export function systemEntry(name: SimulatedSystem): SystemEntry {
  const found = SYSTEMS.find((system) => system.name === name);
  if (found === undefined) throw new Error(`no simulated system named ${name}`);
  return found;
}
