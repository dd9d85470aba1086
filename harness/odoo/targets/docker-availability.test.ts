import { describe, expect, it, vi } from 'vitest';
import { checkImages } from './docker-availability.ts';

/** A Docker engine that answers, with a registry that may not. */
const engine = vi.hoisted(() => ({ local: new Set<string>(), pull: (_image: string): Promise<void> => Promise.resolve() }));

vi.mock('testcontainers', () => ({
  ImageName: { fromString: (image: string) => ({ string: image }) },
  getContainerRuntimeClient: async () => ({
    info: { containerRuntime: { host: 'fake-docker' } },
    image: {
      exists: async (name: { string: string }) => engine.local.has(name.string),
      pull: (name: { string: string }) => engine.pull(name.string),
    },
  }),
}));

describe('image availability', () => {
  it('is false with the reason when the registry cannot be reached, so container tests skip', async () => {
    engine.local = new Set(['postgres:16.4']);
    engine.pull = () => Promise.reject(new Error('getaddrinfo ENOTFOUND registry-1.docker.io'));
    const answer = await checkImages(['postgres:16.4', 'odoo:17.0-20241125']);
    expect(answer).toEqual({ available: false, reason: expect.stringContaining('ENOTFOUND registry-1.docker.io') });
  });

  it('is true when every image is local, or a pull is still going after the timeout', async () => {
    engine.local = new Set(['postgres:16.4']);
    engine.pull = () => new Promise<void>(() => undefined);
    expect(await checkImages(['postgres:16.4'])).toEqual({ available: true, runtime: 'fake-docker' });
    expect(await checkImages(['odoo:17.0-20241125'], 20)).toEqual({ available: true, runtime: 'fake-docker' });
  });
});
