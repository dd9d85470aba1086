import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';
/**
 * Whether a container engine is reachable, asked the way testcontainers asks
 * (DOCKER_HOST, the socket, testcontainers' config), so the answer matches
 * what the container target will meet. Tests that need Docker skip on `false`
 * and print the reason; the container target turns it into an error that says
 * what to do.
 */
export type DockerAvailability = { available: true; runtime: string } | { available: false; reason: string };

export async function checkDocker(timeoutMs = 10_000): Promise<DockerAvailability> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<DockerAvailability>((resolve) => {
    timer = setTimeout(() => resolve({ available: false, reason: `no answer from the container engine within ${timeoutMs} ms` }), timeoutMs);
  });
  const probe = (async (): Promise<DockerAvailability> => {
    try {
      const { getContainerRuntimeClient } = await import('testcontainers');
      const client = await getContainerRuntimeClient();
      const runtime = client.info.containerRuntime;
      return { available: true, runtime: `${runtime.host} (engine ${runtime.serverVersion}, ${runtime.operatingSystem})` };
    } catch (error) {
      return { available: false, reason: error instanceof Error ? error.message : String(error) };
    }
  })();
  try {
    return await Promise.race([probe, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether the engine has `images` or can reach the registry to pull them. A
 * reachable engine behind a firewall passes checkDocker, then fails on the
 * first pull; tests skip instead when this answers `false`. A missing image
 * is pulled; an unreachable registry fails fast (DNS, refused), so a pull
 * still running after `timeoutMs` counts as reachable and goes on in the engine.
 */
export async function checkImages(images: readonly string[], timeoutMs = 15_000): Promise<DockerAvailability> {
  let runtime: string;
  try {
    const { getContainerRuntimeClient, ImageName } = await import('testcontainers');
    const client = await getContainerRuntimeClient();
    runtime = client.info.containerRuntime.host;
    for (const image of images) {
      const name = ImageName.fromString(image);
      if (await client.image.exists(name)) continue;
      let timer: NodeJS.Timeout | undefined;
      const stillPulling = new Promise<'pulling'>((resolve) => {
        timer = setTimeout(() => resolve('pulling'), timeoutMs);
      });
      try {
        await Promise.race([client.image.pull(name), stillPulling]);
      } finally {
        clearTimeout(timer);
      }
    }
  } catch (error) {
    return { available: false, reason: `an image cannot be pulled (${error instanceof Error ? error.message : String(error)}); is the registry reachable?` };
  }
  return { available: true, runtime };
}

export class DockerUnavailableError extends Error implements ExitCoded {
  readonly exitCode = EXIT.unreachable;
  constructor(reason: string) {
    super(
      `--odoo container needs a Docker engine, and none is reachable (${reason}). ` +
        'Start Docker (or set DOCKER_HOST), or choose another Odoo: --odoo emulated (no Docker), ' +
        '--odoo compose (after `docker compose up -d`) or --odoo external --odoo-url URL.',
    );
    this.name = 'DockerUnavailableError';
  }
}
