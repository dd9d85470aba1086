/**
 * Connection settings from the environment, for CI and containers where flags
 * are awkward. Flags (options) win over the environment; the environment wins
 * over a target's defaults.
 */
export const ODOO_ENV = {
  url: 'ODOO_URL',
  db: 'ODOO_DB',
  login: 'ODOO_USER',
  password: 'ODOO_PASSWORD',
  masterPassword: 'ODOO_MASTER_PASSWORD',
  allowNonTestDatabase: 'ODOO_ALLOW_DESTRUCTIVE',
} as const;

export interface OdooSettings {
  url?: string | undefined;
  db?: string | undefined;
  login?: string | undefined;
  password?: string | undefined;
  masterPassword?: string | undefined;
  allowNonTestDatabase?: boolean | undefined;
}

export type Environment = Readonly<Record<string, string | undefined>>;

export function odooSettingsFromEnv(env: Environment): OdooSettings {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const allow = text(ODOO_ENV.allowNonTestDatabase);
  if (allow !== undefined && !/^(1|0|true|false|yes|no)$/i.test(allow)) {
    throw new Error(`${ODOO_ENV.allowNonTestDatabase} must be 1/0, true/false or yes/no, got ${JSON.stringify(allow)}`);
  }
  return {
    url: text(ODOO_ENV.url),
    db: text(ODOO_ENV.db),
    login: text(ODOO_ENV.login),
    password: text(ODOO_ENV.password),
    masterPassword: text(ODOO_ENV.masterPassword),
    allowNonTestDatabase: allow === undefined ? undefined : /^(1|true|yes)$/i.test(allow),
  };
}

/** Options first, then the environment, then defaults; `undefined` never overrides. */
export function mergeSettings(...layers: readonly OdooSettings[]): OdooSettings {
  const merged: OdooSettings = {};
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer) as [keyof OdooSettings, unknown][]) {
      if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
    }
  }
  return merged;
}

export function normaliseUrl(url: string, source: string): string {
  const parsed = URL.parse(url);
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.hostname === '') {
    throw new Error(`${source} must be an http(s) URL such as http://127.0.0.1:8069, got ${JSON.stringify(url)}`);
  }
  return url.replace(/\/+$/, '');
}
