import { createIncarnation } from '../../core/incarnation.ts';
import { wallClock } from '../../core/wall-clock.ts';
import { createLiveContext, createWallHistory } from '../../engine/live/http/live-context.ts';
import { serveSystem } from '../../engine/live/processes/serve-system.ts';
import type { SystemFactory } from '../../core/system.ts';
import { UsageError } from '../../run/errors.ts';
import { resolveMiddleware } from '../../engine/resolve-middleware.ts';
import { systemEntry } from '../../run/systems.ts';
import { FAULTLINE_ODOO_DB, INTEGRATION_USER } from '../../contracts/identities.ts';
import { DEFAULT_WEBHOOK_SECRET } from '../../contracts/webhook-signature.ts';
import { parseCommandArgs, parsePositiveInt, parseSeed } from '../args.ts';

const SYSTEMS = ['odoo', 'capture', 'payment', 'logistics', 'crm', 'analytics', 'naive', 'resilient'] as const;
type Servable = (typeof SYSTEMS)[number];

/** Upstream URLs from flags or FAULTLINE_*_URL, as docker-compose and the live runner pass them. */
function upstreams(values: Record<string, unknown>): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const name of ['odoo', 'capture', 'payment', 'logistics', 'crm', 'analytics', 'middleware']) {
    const value = (values[`${name}-url`] as string | undefined) ?? process.env[`FAULTLINE_${name.toUpperCase()}_URL`];
    if (value !== undefined) urls[name] = value.replace(/\/+$/, '');
  }
  return urls;
}

async function factoryFor(system: Exclude<Servable, 'odoo'>): Promise<SystemFactory> {
  if (system === 'naive' || system === 'resilient') return (await resolveMiddleware(system, process.cwd())).factory;
  // The simulators read their knobs from the context, so the registry's factory needs none here.
  return systemEntry(system).factory({});
}

/**
 * The served emulator's settings from the flags. `--master-password` guards
 * db.create_database/drop (Odoo's admin_passwd, `admin` by default as in
 * Odoo, which anyone on the network could use to drop the database);
 * `--proxy-mode` trusts X-Forwarded-For behind a reverse proxy, as Odoo's;
 * `--rpc-login-cooldown` throttles failed XML-RPC/JSON-RPC logins too, which
 * Odoo 17 itself does not (only its web login).
 */
export function odooServeOptions(values: Record<string, unknown>): {
  db: string;
  emulator: { masterPassword?: string; proxyMode?: boolean; rpcLoginCooldown?: boolean };
} {
  const master = values['master-password'];
  if (master !== undefined && (typeof master !== 'string' || master === '')) {
    throw new UsageError('--master-password needs a value; to forbid database management altogether, serve with a long random one');
  }
  return {
    db: (values.db as string | undefined) ?? FAULTLINE_ODOO_DB,
    emulator: {
      ...(typeof master === 'string' && { masterPassword: master }),
      ...(values['proxy-mode'] === true && { proxyMode: true }),
      ...(values['rpc-login-cooldown'] === true && { rpcLoginCooldown: true }),
    },
  };
}

/**
 * Serves one system over HTTP until interrupted, so any client — Python's
 * xmlrpc.client, n8n, a team's own middleware — can talk to it.
 */
export async function serveCommand(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('serve', argv, {
    port: { type: 'string' },
    host: { type: 'string' },
    db: { type: 'string' },
    seed: { type: 'string' },
    'odoo-url': { type: 'string' },
    'capture-url': { type: 'string' },
    'payment-url': { type: 'string' },
    'logistics-url': { type: 'string' },
    'crm-url': { type: 'string' },
    'analytics-url': { type: 'string' },
    'middleware-url': { type: 'string' },
    'data-dir': { type: 'string' },
    'master-password': { type: 'string' },
    'proxy-mode': { type: 'boolean' },
    'rpc-login-cooldown': { type: 'boolean' },
  });
  const which = positionals[0];
  if (which === undefined || !(SYSTEMS as readonly string[]).includes(which) || positionals.length > 1) {
    throw new UsageError(`serve needs one system: ${SYSTEMS.join(', ')} (e.g. "faultline serve odoo --port 8069")`);
  }
  const port = parsePositiveInt('--port', (values.port as string | undefined) ?? process.env.PORT) ?? (which === 'odoo' ? 8069 : 0);
  const host = (values.host as string | undefined) ?? '127.0.0.1';
  const seed = parseSeed(values.seed as string | undefined) ?? 1;

  let close: () => Promise<void>;
  let url: string;
  if (which === 'odoo') {
    const { serveOdoo } = await import('../../odoo/targets/serve-emulator.ts');
    const served = await serveOdoo({ port, host, ...odooServeOptions(values) });
    ({ url } = served);
    close = () => served.close();
  } else {
    const factory = await factoryFor(which as Exclude<Servable, 'odoo'>);
    const config: Record<string, unknown> =
      which === 'naive' || which === 'resilient'
        ? { webhookSecret: DEFAULT_WEBHOOK_SECRET, odooDb: FAULTLINE_ODOO_DB, odooLogin: INTEGRATION_USER.login, odooPassword: INTEGRATION_USER.password }
        : {};
    const context = createLiveContext({
      name: which === 'naive' || which === 'resilient' ? 'middleware' : which,
      seed,
      urls: upstreams(values),
      config,
      history: createWallHistory(),
      ...(values['data-dir'] !== undefined && { dataDir: values['data-dir'] as string }),
    });
    // The process is the system's one incarnation: it owns the timers the system sets, and Ctrl-C ends them with it.
    const incarnation = createIncarnation(wallClock, () => 0);
    const system = await factory({ ...context, clock: incarnation.clock });
    const served = await serveSystem(system, { host, port });
    ({ url } = served);
    // The CRM's reps work on its own clock from the moment it is up; the other simulators wait for requests or a runner.
    if (which === 'crm') await system.start?.();
    close = async () => {
      incarnation.kill();
      await system.stop?.();
      await served.close();
      context.close();
    };
  }
  process.stdout.write(`faultline: serving ${which} at ${url} (Ctrl-C to stop)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await close();
  return 0;
}
