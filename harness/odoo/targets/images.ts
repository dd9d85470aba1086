/**
 * Every container image Faultline runs, pinned in one place. The compose file,
 * the Dockerfile and the testcontainers target all use these tags; a test
 * fails when one of them drifts from this list.
 *
 * Tags rather than digests: the official images are rebuilt in place, and a
 * dated tag (`odoo:17.0-YYYYMMDD`) names one nightly build of Odoo 17.0.
 * To move a pin, change it here, then in docker-compose.yml / Dockerfile, and
 * run the targets' tests.
 */
export const IMAGES = {
  postgres: 'postgres:16.4',
  odoo: 'odoo:17.0-20241125',
  /** Same release as tools/install-toxiproxy.sh installs for live mode without Docker. */
  toxiproxy: 'ghcr.io/shopify/toxiproxy:2.12.0',
  /** Base of Faultline's own image (simulators, middlewares, provisioning). */
  node: 'node:24.21.0-bookworm-slim',
} as const;

export type ImageRole = keyof typeof IMAGES;

/** The Odoo series every real target must run: the emulator and the transcripts are 17.0. */
export const ODOO_SERIES = '17.0';

/** Modules the scenarios need; `sale_stock` and `stock_account` follow by auto-install. */
export const REQUIRED_MODULES = ['sale_management', 'stock', 'account'] as const;
