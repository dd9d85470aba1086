import type { Env } from '../../orm/env.ts';
import type { TaxRoundingMethod } from './taxes.ts';

export interface CompanySettings {
  readonly companyId: number;
  readonly currencyId: number;
  /** The currency's rounding step, 0.01 for USD. */
  readonly rounding: number;
  readonly taxRounding: TaxRoundingMethod;
}

/** The company's money settings, read from its rows so a `res.company.write` takes effect at once. */
export function companySettings(env: Env): CompanySettings {
  const companyId = env.companyId;
  const companies = env.model('res.company');
  const currencyId = companies.get(companyId, 'currency_id') as number;
  const method = companies.get(companyId, 'tax_calculation_rounding_method');
  return {
    companyId,
    currencyId,
    rounding: currencyRounding(env, currencyId),
    taxRounding: method === 'round_globally' ? 'round_globally' : 'round_per_line',
  };
}

export function currencyRounding(env: Env, currencyId: number | false): number {
  if (currencyId === false) return 0.01;
  const rounding = env.model('res.currency').get(currencyId, 'rounding');
  return typeof rounding === 'number' && rounding > 0 ? rounding : 0.01;
}

/** The partner of a user (res.users delegates to res.partner). */
export function userPartner(env: Env, uid: number): number | false {
  const partner = env.model('res.users').get(uid, 'partner_id');
  return typeof partner === 'number' ? partner : false;
}

/** Ids from a many2many/one2many value in internal form. */
export function idList(value: unknown): number[] {
  return Array.isArray(value) ? (value as number[]) : [];
}

export function m2oId(value: unknown): number | false {
  return typeof value === 'number' ? value : false;
}

let lastMs = Number.NaN;
let lastText = '';

/** env.nowDatetime(), memoised on the clock's millisecond: formatting a Date is the costliest thing on the create+confirm path. */
export function nowDatetime(env: Env): string {
  const ms = env.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastText = env.nowDatetime();
  }
  return lastText;
}
