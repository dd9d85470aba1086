import type { Scenario } from './scenario.ts';
import { CRM_DEFAULTS } from '../../simulators/crm/knobs.ts';
import { FAULTLINE_ODOO_DB, INTEGRATION_USER } from '../contracts/identities.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../contracts/webhook-signature.ts';

/**
 * Each system's knobs for a scenario: the scenario's load and per-system
 * settings, plus what every system must agree on (secret, Odoo credentials).
 * Used by sim and live mode alike, so both build the same world.
 */
export function systemConfigs(
  scenario: Scenario,
): Record<'odoo' | 'capture' | 'payment' | 'logistics' | 'middleware' | 'crm' | 'analytics', Record<string, unknown>> {
  const secret = (scenario.systems?.payment?.webhookSecret as string | undefined) ?? DEFAULT_WEBHOOK_SECRET;
  const orders = scenario.orders;
  const crm = scenario.systems?.crm;
  const script = scenario.script;
  // With a CRM, the storefront's customers are the CRM's accounts: one book, one seed, the same people.
  const customers = crm === undefined ? undefined : crmCustomers(crm);
  return {
    odoo: { db: FAULTLINE_ODOO_DB, ...scenario.systems?.odoo },
    capture: {
      orders: orders.count,
      ...(orders.ratePerSecond !== undefined && { ratePerSecond: orders.ratePerSecond }),
      ...(orders.arrival !== undefined && { arrival: orders.arrival }),
      ...(orders.maxLines !== undefined && { maxLines: orders.maxLines }),
      ...(orders.skus !== undefined && { skus: orders.skus }),
      ...(script?.orders !== undefined && { script: script.orders }),
      ...scenario.systems?.capture,
      ...(customers !== undefined && { customerBook: withCrmBook(customers, scenario.systems?.capture?.customerBook) }),
    },
    payment: { webhookSecret: secret, ...(script?.payments !== undefined && { script: script.payments }), ...scenario.systems?.payment },
    logistics: { webhookSecret: secret, ...(script?.shipments !== undefined && { script: script.shipments }), ...scenario.systems?.logistics },
    middleware: {
      webhookSecret: secret,
      odooDb: FAULTLINE_ODOO_DB,
      odooLogin: INTEGRATION_USER.login,
      odooPassword: INTEGRATION_USER.password,
      ...scenario.systems?.middleware,
    },
    crm: { webhookSecret: secret, ...crm },
    analytics: { ...scenario.systems?.analytics },
  };
}

/**
 * The storefront's book with a CRM: the CRM's people, under what the scenario
 * sets of the capture's own `customerBook` (how often they retype their email;
 * a seed or count of its own, should it want other people). `null` (a new
 * customer per order) and a value that is not an object are passed on as they
 * are, for the capture's knob reader to take or report.
 */
function withCrmBook(crm: { seed: number; count: number }, own: unknown): unknown {
  if (own === undefined) return crm;
  if (typeof own !== 'object' || own === null || Array.isArray(own)) return own;
  return { ...crm, ...own };
}

/** The CRM's `customers` knob as the storefront needs it; a bad value is left to the CRM's own knob reader to report. */
function crmCustomers(crm: Record<string, unknown>): { seed: number; count: number } {
  const given = typeof crm.customers === 'object' && crm.customers !== null ? (crm.customers as Record<string, unknown>) : {};
  const pick = (key: 'seed' | 'count'): number => (typeof given[key] === 'number' ? given[key] : CRM_DEFAULTS.customers[key]);
  return { seed: pick('seed'), count: pick('count') };
}
