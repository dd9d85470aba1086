import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { IMAGES } from './images.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const composeText = readFileSync(join(root, 'docker-compose.yml'), 'utf8');
// Compose merges `<<:` keys; YAML 1.2 does not unless asked.
const compose = parse(composeText, { merge: true }) as ComposeFile;

interface ComposeService {
  image?: string;
  build?: unknown;
  ports?: Array<string | { published?: string | number; host_ip?: string }>;
  healthcheck?: { test?: unknown; disable?: boolean };
  restart?: string;
  networks?: string[] | Record<string, unknown>;
  configs?: Array<{ source: string; target: string }>;
}
interface ComposeFile {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  configs?: Record<string, { file?: string }>;
}

/** The Compose Specification's schema, as shipped by dclint (a maintained compose linter). */
function composeSpecSchema(): object {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dclint/package.json'));
  const schema = JSON.parse(readFileSync(join(packageDir, 'schemas/compose.schema.json'), 'utf8')) as Record<string, unknown>;
  // It names draft-07 by its https address, which Ajv does not know under that
  // key; Ajv's default dialect is draft-07 already.
  expect(String(schema['$schema'])).toContain('draft-07');
  delete schema['$schema'];
  return schema;
}

function schemaErrors(document: unknown): string[] {
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(composeSpecSchema());
  if (validate(document)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('docker-compose.yml', () => {
  it('is valid against the Compose Specification schema', () => {
    expect(schemaErrors(compose)).toEqual([]);
  });

  it('would be rejected by the schema check if it were malformed', () => {
    // Guards the check above: a schema that accepts anything proves nothing.
    const broken = structuredClone(compose) as unknown as { services: Record<string, Record<string, unknown>> };
    broken.services['odoo']!['ports'] = 'not-a-list';
    broken.services['db']!['healthcheck'] = { interval: 5 };
    expect(schemaErrors(broken).length).toBeGreaterThan(0);
  });

  it('runs Odoo 17, PostgreSQL and Toxiproxy from the images pinned in images.ts', () => {
    expect(compose.services['odoo']?.image).toBe(IMAGES.odoo);
    expect(compose.services['db']?.image).toBe(IMAGES.postgres);
    expect(compose.services['toxiproxy']?.image).toBe(IMAGES.toxiproxy);
  });

  it('uses no image that is not pinned in images.ts', () => {
    const pinned = new Set<string>(Object.values(IMAGES));
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined) continue; // Faultline's own image, built from the Dockerfile
      expect(pinned.has(service.image ?? ''), `service ${name} uses ${service.image}`).toBe(true);
    }
  });

  it('builds Faultline from a Dockerfile based on the pinned Node image', () => {
    const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8');
    const from = dockerfile
      .split('\n')
      .filter((line) => /^FROM\s/i.test(line))
      .map((line) => line.split(/\s+/)[1]);
    expect(from).toEqual([IMAGES.node]);
  });

  it('serves the simulators and both kinds of middleware from the Faultline image', () => {
    for (const name of ['capture', 'payment', 'logistics', 'middleware', 'odoo-init']) {
      expect(compose.services[name]?.build, name).toBeDefined();
    }
    const command = (compose.services['middleware'] as { command?: string[] }).command ?? [];
    // `faultline serve naive|resilient`, the resilient design unless FAULTLINE_MIDDLEWARE says otherwise.
    expect(command.slice(0, 4)).toEqual(['npx', 'faultline', 'serve', '${FAULTLINE_MIDDLEWARE:-resilient}']);
  });

  it('publishes only Odoo and the Toxiproxy API, and only on loopback', () => {
    const published: string[] = [];
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) {
        expect(typeof port, `${name}: use the short syntax`).toBe('string');
        published.push(`${name} ${String(port)}`);
      }
    }
    expect(published).toEqual(['odoo 127.0.0.1:${FAULTLINE_ODOO_PORT:-8069}:8069', 'toxiproxy 127.0.0.1:${FAULTLINE_TOXIPROXY_PORT:-8474}:8474']);
  });

  it('gives every long-running service a health check', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.restart === 'no') continue; // one-shot init
      expect(service.healthcheck?.test, `${name} has no health check`).toBeDefined();
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
  });

  it('keeps PostgreSQL on an internal network that only Odoo shares', () => {
    expect(compose.networks?.['backend']?.internal).toBe(true);
    const onBackend = Object.entries(compose.services)
      .filter(([, service]) => Array.isArray(service.networks) && service.networks.includes('backend'))
      .map(([name]) => name);
    expect(onBackend.sort()).toEqual(['db', 'odoo']);
  });

  it('provisions the database with an init service once Odoo is healthy', () => {
    const init = compose.services['odoo-init'] as ComposeService & { command?: string[]; depends_on?: Record<string, { condition: string }> };
    expect(init.restart).toBe('no');
    expect(init.command).toEqual(['npx', 'faultline', 'provision', '--odoo', 'compose']);
    expect(init.depends_on?.['odoo']?.condition).toBe('service_healthy');
    const middleware = compose.services['middleware'] as { depends_on?: Record<string, { condition: string }> };
    expect(middleware.depends_on?.['odoo-init']?.condition).toBe('service_completed_successfully');
  });

  it('mounts config files that exist in the repository', () => {
    for (const [name, config] of Object.entries(compose.configs ?? {})) {
      expect(() => readFileSync(join(root, config.file ?? ''), 'utf8'), name).not.toThrow();
    }
    const proxies = JSON.parse(readFileSync(join(root, 'docker/toxiproxy.json'), 'utf8')) as Array<{ name: string; upstream: string }>;
    expect(proxies.map((p) => p.upstream)).toContain('odoo:8069');
  });
});
