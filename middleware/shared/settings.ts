/**
 * A middleware's knobs, read once from its context with defaults, so a typo in
 * a scenario fails at start with a message instead of misbehaving later.
 */
import type { SystemContext } from '../../harness/core/system.ts';
import type { OdooTransport } from '../../harness/odoo/client.ts';
import { FAULTLINE_ODOO_DB, INTEGRATION_USER } from '../../harness/contracts/identities.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../../harness/contracts/webhook-signature.ts';

export interface MiddlewareSettings {
  odooUrl: string;
  odooDb: string;
  odooLogin: string;
  odooPassword: string;
  odooTransport: OdooTransport;
  odooTimeoutMs: number;
  /** Timeout of calls to the 3PL and the payment gateway. */
  upstreamTimeoutMs: number;
  webhookSecret: string;
  urls: { payment: string | undefined; logistics: string | undefined };
}

export function readMiddlewareSettings(context: SystemContext): MiddlewareSettings {
  const config = context.config;
  const odooUrl = context.urls.odoo;
  if (typeof odooUrl !== 'string' || odooUrl === '') {
    throw new Error(`middleware "${context.name}" needs urls.odoo in its context; add an odoo system to the scenario or pass its URL`);
  }
  const transport = config.odooTransport ?? 'jsonrpc';
  if (transport !== 'jsonrpc' && transport !== 'xmlrpc')
    throw new TypeError(`config.odooTransport must be "jsonrpc" or "xmlrpc", got ${JSON.stringify(transport)}`);
  return {
    odooUrl,
    odooDb: text(config, 'odooDb', FAULTLINE_ODOO_DB),
    odooLogin: text(config, 'odooLogin', INTEGRATION_USER.login),
    odooPassword: text(config, 'odooPassword', INTEGRATION_USER.password),
    odooTransport: transport,
    odooTimeoutMs: positive(config, 'odooTimeoutMs', 10_000),
    upstreamTimeoutMs: positive(config, 'upstreamTimeoutMs', 30_000),
    webhookSecret: text(config, 'webhookSecret', DEFAULT_WEBHOOK_SECRET),
    urls: { payment: context.urls.payment, logistics: context.urls.logistics },
  };
}

export function text(config: Readonly<Record<string, unknown>>, key: string, fallback: string): string {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || value === '') throw new TypeError(`config.${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  return value;
}

export function positive(config: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new TypeError(`config.${key} must be a positive number, got ${JSON.stringify(value)}`);
  return value;
}

export function nonNegativeInteger(config: Readonly<Record<string, unknown>>, key: string, fallback: number): number {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0)
    throw new TypeError(`config.${key} must be a whole number, 0 or more, got ${JSON.stringify(value)}`);
  return value;
}

export function flag(config: Readonly<Record<string, unknown>>, key: string, fallback: boolean): boolean {
  const value = config[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`config.${key} must be true or false, got ${JSON.stringify(value)}`);
  return value;
}
