import type { AnalyticsOptions } from '../../simulators/analytics/knobs.ts';
import type { CaptureOptions } from '../../simulators/capture/knobs.ts';
import type { CrmOptions } from '../../simulators/crm/knobs.ts';
import type { LogisticsOptions } from '../../simulators/logistics/knobs.ts';
import type { PaymentOptions } from '../../simulators/payment/knobs.ts';
import type { FaultSpec } from '../core/faults.ts';
import type { SystemFactory } from '../core/system.ts';
import type { ScriptedOrder } from '../../simulators/capture/script.ts';
import type { ScriptedPaymentEvent } from '../../simulators/payment/script.ts';
import type { ScriptedShipment } from '../../simulators/logistics/script.ts';

export type { ScriptedOrder, ScriptedPaymentEvent, ScriptedShipment };

/**
 * What production recorded, replayed exactly instead of generated: the orders
 * and their arrival times, each payment webhook's and each 3PL status's
 * deliveries. Times are ms after the run starts. Sim mode only.
 */
export interface Script {
  /** Replaces the generated load: `orders.count` must equal its length. */
  orders?: readonly ScriptedOrder[];
  payments?: readonly ScriptedPaymentEvent[];
  shipments?: readonly ScriptedShipment[];
}

/** Which middleware a run puts under test. A string other than the two built-ins is a module path. */
export type MiddlewareChoice = 'naive' | 'resilient' | (string & {}) | { name: string; factory: SystemFactory };

export type ArrivalModel = 'fixed' | 'poisson' | 'ramp' | 'burst';

export interface OrderLoad {
  /** How many orders the capture platform places. */
  count: number;
  /** Mean arrivals per second of virtual time (default 20). */
  ratePerSecond?: number;
  arrival?: ArrivalModel;
  /** Most lines an order may have (default 3). */
  maxLines?: number;
  /** Restrict orders to these catalogue skus. */
  skus?: readonly string[];
}

export interface Budget {
  /** Hard stop on virtual time, from the start of the run (default 7 days). */
  maxVirtualMs?: number;
  /** How long the world keeps running after the load ends, for retries and reconciliation (default 1 hour). */
  settleMs?: number;
  /** Bound for the `converges` invariant (default 15 minutes). */
  convergenceBoundMs?: number;
}

/** A scenario's own check, next to the built-in invariants. */
export interface CustomInvariant {
  name: string;
  description: string;
  check: (...args: never[]) => unknown;
}

/**
 * Everything one run needs: the systems and their knobs, the load, the faults,
 * the invariants and the budget. A value, so it can be stored, generated,
 * shrunk and replayed.
 */
export interface Scenario {
  name: string;
  description: string;
  /** The incident this scenario reproduces, in the field's words. */
  incident?: string;
  seed?: number;
  orders: OrderLoad;
  /** Recorded orders and deliveries replayed one by one at their times (docs/scenarios.md, "Script"). */
  script?: Script;
  /** Each simulator's knobs, typed as its reader takes them; defaults in docs/scenarios.md ("System knobs"). */
  systems?: {
    capture?: CaptureOptions;
    payment?: PaymentOptions;
    logistics?: LogisticsOptions;
    odoo?: Record<string, unknown>;
    /** The design's own settings: each middleware reads what it knows (a user's design has its own). */
    middleware?: Record<string, unknown>;
    /** Setting it (even to `{}`) puts the CRM in the run; the storefront then sells to the CRM's customers. */
    crm?: CrmOptions;
    /** Setting it (even to `{}`) puts the analytics sink in the run. */
    analytics?: AnalyticsOptions;
  };
  middleware?: MiddlewareChoice;
  faults?: readonly FaultSpec[];
  /** Invariant names to check (default: all built-ins), or custom invariants. */
  invariants?: ReadonlyArray<string | CustomInvariant>;
  budget?: Budget;
  /** What the reference middlewares are expected to do here; `demo` checks it. */
  expect?: {
    naive?: { fails: readonly string[] };
    resilient?: { fails: readonly string[] };
  };
}

export const DEFAULT_BUDGET: Required<Budget> = {
  maxVirtualMs: 7 * 24 * 3600_000,
  settleMs: 3600_000,
  convergenceBoundMs: 15 * 60_000,
};
