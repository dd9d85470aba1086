import type { Scenario } from '../scenario/scenario.ts';

/** Shared secret for webhook signatures unless a scenario sets its own. */
export const DEFAULT_WEBHOOK_SECRET = 'whsec_faultline';
export const ODOO_DB = 'faultline';
export const MIDDLEWARE_LOGIN = 'faultline-middleware';
export const MIDDLEWARE_PASSWORD = 'faultline';

/**
 * Each system's knobs for a scenario: the scenario's load and per-system
 * settings, plus what every system must agree on (secret, Odoo credentials).
 * Used by sim and live mode alike, so both build the same world.
 */
export function systemConfigs(scenario: Scenario): Record<'odoo' | 'capture' | 'payment' | 'logistics' | 'middleware', Record<string, unknown>> {
  const secret = (scenario.systems?.payment?.webhookSecret as string | undefined) ?? DEFAULT_WEBHOOK_SECRET;
  const orders = scenario.orders;
  return {
    odoo: { db: ODOO_DB, ...scenario.systems?.odoo },
    capture: {
      orders: orders.count,
      ...(orders.ratePerSecond !== undefined && { ratePerSecond: orders.ratePerSecond }),
      ...(orders.arrival !== undefined && { arrival: orders.arrival }),
      ...(orders.maxLines !== undefined && { maxLines: orders.maxLines }),
      ...(orders.skus !== undefined && { skus: orders.skus }),
      ...scenario.systems?.capture,
    },
    payment: { webhookSecret: secret, ...scenario.systems?.payment },
    logistics: { webhookSecret: secret, ...scenario.systems?.logistics },
    middleware: {
      webhookSecret: secret,
      odooDb: ODOO_DB,
      odooLogin: MIDDLEWARE_LOGIN,
      odooPassword: MIDDLEWARE_PASSWORD,
      ...scenario.systems?.middleware,
    },
  };
}
